import { maskedCrc32c } from './crc.ts';

/** Length (8) + masked CRC of the length (4). */
const HEADER = 12;
/** Masked CRC of the data. */
const FOOTER = 4;

/** Frames one record: uint64 LE length, masked CRC32C of the length, the data, masked CRC32C of the data. */
export function encodeRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER + data.length + FOOTER);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, HEADER);
  out.writeUInt32LE(maskedCrc32c(data), HEADER + data.length);
  return out;
}

/** One step of scanning a buffer of records. */
export type RecordScan =
  | { kind: 'record'; data: Buffer; next: number }
  /** The buffer ends inside this record: more bytes may still come. */
  | { kind: 'partial' }
  | { kind: 'corrupt'; reason: string };

/** Reads the record starting at `at` in `buf` (which holds the file from some offset on). */
export function scanRecord(buf: Buffer, at: number): RecordScan {
  if (buf.length - at < HEADER) return { kind: 'partial' };
  const lengthBytes = buf.subarray(at, at + 8);
  if (maskedCrc32c(lengthBytes) !== buf.readUInt32LE(at + 8))
    return { kind: 'corrupt', reason: 'the CRC of the record length does not match' };
  const length = buf.readBigUInt64LE(at);
  if (length > BigInt(buf.length - at - HEADER - FOOTER)) return { kind: 'partial' };
  const start = at + HEADER;
  const data = buf.subarray(start, start + Number(length));
  if (maskedCrc32c(data) !== buf.readUInt32LE(start + data.length))
    return { kind: 'corrupt', reason: 'the CRC of the record data does not match' };
  return { kind: 'record', data, next: start + data.length + FOOTER };
}
