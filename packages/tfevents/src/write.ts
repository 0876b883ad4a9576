import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EventType } from './protos.ts';
import { encodeRecord } from './records.ts';
import type { ScalarPoint } from './scalars.ts';

/** One framed `Event` record: the file-version header, or one scalar as a `simple_value`. */
export function eventRecord(event: {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  scalar?: { tag: string; value: number };
}): Buffer {
  const message = EventType.fromObject({
    wallTime: event.wallTime,
    step: event.step ?? 0,
    ...(event.fileVersion !== undefined ? { fileVersion: event.fileVersion } : {}),
    ...(event.scalar
      ? { summary: { value: [{ tag: event.scalar.tag, simpleValue: event.scalar.value }] } }
      : {}),
  });
  return encodeRecord(EventType.encode(message).finish());
}

/**
 * Writes a complete event file: the `brain.Event:2` file-version record first, then one event per point
 * (`simple_value` scalars, as TensorBoard, tensorboardX and PyTorch write them). For tests, fixtures and tools.
 */
export async function writeEventFile(path: string, points: ScalarPoint[]): Promise<void> {
  const first = points.length ? Math.min(...points.map((p) => p.wallTime)) : Date.now() / 1000;
  const records = [
    eventRecord({ wallTime: first, fileVersion: 'brain.Event:2' }),
    ...points.map((p) =>
      eventRecord({ wallTime: p.wallTime, step: p.step, scalar: { tag: p.tag, value: p.value } }),
    ),
  ];
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, Buffer.concat(records));
}
