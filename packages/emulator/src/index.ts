/**
 * @packageDocumentation
 * @terra-vertex/emulator: a local Vertex AI, Cloud Storage, BigQuery and Cloud Logging that the official Google
 * clients reach over the real wire protocols; {@link startEmulator} starts it inside the calling process.
 */
export type { RequestRecord } from './admin/request-log.ts';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './emulator.ts';
export type { LocalImage } from './runtime/images.ts';
