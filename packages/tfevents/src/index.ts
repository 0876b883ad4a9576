export { maskedCrc32c } from './crc.ts';
export { findEventFiles, isEventFileName, runIdFor } from './files.ts';
export { type EventFileRead, readEventBytes, readEventFile } from './read.ts';
export { encodeRecord, type RecordScan, scanRecord } from './records.ts';
export { SCALARS_PLUGIN, type ScalarPoint, scalarsOf, tensorScalar } from './scalars.ts';
export { eventRecord, writeEventFile } from './write.ts';
