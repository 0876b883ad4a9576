/**
 * @packageDocumentation
 * @terra-vertex/tfevents: TensorBoard event files in TypeScript: TFRecord framing (length, masked CRC-32C) around
 * TensorFlow's `Event` protos, read incrementally (for live tailing) and written, for scalars.
 */
export { maskedCrc32c } from './crc.ts';
export { findEventFiles, isEventFileName, runIdFor } from './files.ts';
export type { EventMessage, SummaryValue, TensorProto } from './protos.ts';
export { type EventFileRead, readEventBytes, readEventFile } from './read.ts';
export { encodeRecord, type RecordScan, scanRecord } from './records.ts';
export { SCALARS_PLUGIN, type ScalarPoint, scalarsOf, tensorScalar } from './scalars.ts';
export { eventRecord, writeEventFile } from './write.ts';
