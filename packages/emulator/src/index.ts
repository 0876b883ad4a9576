export type { RequestRecord } from './admin/request-log.ts';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './emulator.ts';
export type { LocalImage } from './runtime/images.ts';
