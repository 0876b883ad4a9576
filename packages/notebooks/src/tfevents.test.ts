import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTrainer } from '@terra-vertex/templates';
import { describe, expect, it } from 'vitest';
import { readScalarEvents, scalarSeries } from './tfevents.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';

/** A TFRecord around `data` (CRCs zeroed: the reader does not check them). */
function record(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  new DataView(out.buffer).setBigUint64(0, BigInt(data.length), true);
  out.set(data, 12);
  return out;
}

const bytes = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const delimited = (field: number, payload: Uint8Array) => bytes([(field << 3) | 2, payload.length], payload);

describe('TensorBoard event files', () => {
  it("reads the scalars written by a generated trainer's own event writer", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tvx-tfevents-'));
    await writeTrainer(join(dir, 'pkg'), {
      name: 'pkg',
      framework: 'sklearn',
      metric: { id: 'accuracy', goal: 'maximize' },
    });
    const script = [
      'from trainer import tb_events',
      `w = tb_events.EventFileWriter(${JSON.stringify(join(dir, 'logs'))})`,
      'for step in (1, 2, 3):',
      '    w.scalar("train/loss", 1.0 / step, step)',
      '    w.scalar("eval/accuracy", 0.5 + step / 10, step)',
      'w.close()',
    ].join('\n');
    execFileSync(PY, ['-c', script], { cwd: join(dir, 'pkg') });
    const [file] = readdirSync(join(dir, 'logs'));
    const events = readScalarEvents(readFileSync(join(dir, 'logs', file!)));
    expect(events).toHaveLength(6);
    expect(scalarSeries(events, 'train/loss').map(([s, v]) => [s, Number(v.toFixed(4))])).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 0.3333],
    ]);
    expect(scalarSeries(events, 'eval/accuracy').at(-1)![1]).toBeCloseTo(0.8, 5);
    expect(events[0]!.wallTime).toBeGreaterThan(1.7e9);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads scalar tensors (tf.summary) and skips events without summaries', () => {
    const value = new Uint8Array(new Float32Array([0.25]).buffer);
    const tensor = bytes([0x08, 0x01], delimited(4, value)); // dtype DT_FLOAT, tensor_content
    const summaryValue = bytes(delimited(1, new TextEncoder().encode('loss')), delimited(8, tensor));
    const event = bytes([0x10, 0x07], delimited(5, delimited(1, summaryValue))); // step 7, summary
    const fileVersion = bytes(delimited(3, new TextEncoder().encode('brain.Event:2')));
    const events = readScalarEvents(bytes(record(fileVersion), record(event)));
    expect(events).toEqual([{ tag: 'loss', step: 7, value: 0.25, wallTime: 0 }]);
  });
});
