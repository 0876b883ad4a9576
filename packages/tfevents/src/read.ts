import { open } from 'node:fs/promises';
import { type EventMessage, EventType } from './protos.ts';
import { scanRecord } from './records.ts';
import { type ScalarPoint, scalarsOf } from './scalars.ts';

/** What one (possibly incremental) read of an event file found. */
export interface EventFileRead {
  scalars: ScalarPoint[];
  /** Byte offset just past the last complete record read: pass it back to continue (live tailing). */
  offset: number;
  /** Human-readable problems (corrupt CRC, bad protobuf …) naming the file and byte offset; reading stops at a corrupt record. */
  warnings: string[];
  /** true when the file is corrupt from `offset` on (do not retry), false when it just ends mid-record (retry later). */
  corrupt: boolean;
  /** Bytes after `offset` that do not yet make a complete record (a writer may still be appending them). */
  pendingBytes: number;
}

/**
 * Reads the scalars of a TensorBoard event file from `fromOffset` on. A record cut short at the end of the
 * file ends the read quietly (the writer may be in the middle of it: call again later with `offset`); a
 * record whose CRC does not match ends it with a warning and `corrupt: true`; a well-framed record that is
 * not an `Event` is skipped with a warning.
 *
 * @param tagPlugins the plugin of each tag seen so far in this file; pass the same map when continuing a
 *   read, because TensorFlow writes a tag's plugin only with its first value.
 * @example
 * let read = await readEventFile(path);
 * const tags = new Map<string, string>();
 * read = await readEventFile(path, read.offset, tags); // later: only what was appended
 */
export async function readEventFile(
  path: string,
  fromOffset = 0,
  tagPlugins: Map<string, string> = new Map(),
): Promise<EventFileRead> {
  return readEventBytes(await readFrom(path, fromOffset), { source: path, fromOffset, tagPlugins });
}

/**
 * Reads the scalars of event-file bytes already in memory (e.g. downloaded from Cloud Storage), with the
 * same rules as {@link readEventFile}; `fromOffset` is where `bytes` start in the file, for messages.
 */
export function readEventBytes(
  bytes: Uint8Array,
  options: { source?: string; fromOffset?: number; tagPlugins?: Map<string, string> } = {},
): EventFileRead {
  const { source = 'event file', fromOffset = 0, tagPlugins = new Map<string, string>() } = options;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result: EventFileRead = {
    scalars: [],
    offset: fromOffset,
    warnings: [],
    corrupt: false,
    pendingBytes: 0,
  };
  let at = 0;
  for (;;) {
    const scan = scanRecord(buf, at);
    if (scan.kind === 'partial') break;
    if (scan.kind === 'corrupt') {
      result.warnings.push(
        `${source}: corrupt record at byte ${fromOffset + at}: ${scan.reason}; the rest of the file is skipped.`,
      );
      result.corrupt = true;
      break;
    }
    let event: EventMessage | undefined;
    try {
      event = EventType.toObject(EventType.decode(scan.data), { longs: Number }) as EventMessage;
    } catch (err) {
      result.warnings.push(
        `${source}: the record at byte ${fromOffset + at} is not a tensorflow.Event (${(err as Error).message}); it is skipped.`,
      );
    }
    if (event) result.scalars.push(...scalarsOf(event, tagPlugins));
    at = scan.next;
  }
  result.offset = fromOffset + at;
  result.pendingBytes = buf.length - at;
  return result;
}

async function readFrom(path: string, offset: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await file.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
