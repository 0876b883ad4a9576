import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DT, EventType } from './protos.ts';
import { readEventFile } from './read.ts';
import { encodeRecord } from './records.ts';
import type { ScalarPoint } from './scalars.ts';
import { eventRecord, writeEventFile } from './write.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'tfevents-'));
const points: ScalarPoint[] = [
  { tag: 'loss', step: 0, wallTime: 1700000000.25, value: 1.5 },
  { tag: 'loss', step: 1, wallTime: 1700000001.5, value: 0.75 },
  { tag: 'accuracy', step: 1, wallTime: 1700000001.5, value: 0.5 },
  { tag: 'loss', step: 7_000_000_000, wallTime: 1700000002, value: -3 },
];

/** A TF2 `tf.summary.scalar` event: a scalar tensor, the plugin named only when `plugin` is given. */
function tensorEvent(tag: string, step: number, tensor: Record<string, unknown>, plugin?: string): Buffer {
  const value = {
    tag,
    tensor: { tensorShape: {}, ...tensor },
    ...(plugin ? { metadata: { pluginData: { pluginName: plugin } } } : {}),
  };
  const msg = EventType.fromObject({ wallTime: 1700000000 + step, step, summary: { value: [value] } });
  return encodeRecord(EventType.encode(msg).finish());
}

describe('readEventFile', () => {
  it('reads back what writeEventFile wrote (round trip)', async () => {
    const path = join(dir(), 'events.out.tfevents.1.host');
    await writeEventFile(path, points);
    const read = await readEventFile(path);
    expect(read.warnings).toEqual([]);
    expect(read.corrupt).toBe(false);
    expect(read.offset).toBe(readFileSync(path).length);
    expect(read.scalars).toEqual(points);
  });

  it('reads TF2 tensor-form scalars of every numeric dtype, remembering the plugin named once per tag', async () => {
    const path = join(dir(), 'events.out.tfevents.2.host.v2');
    const f64 = Buffer.alloc(8);
    f64.writeDoubleLE(2.25);
    const i64 = Buffer.alloc(8);
    i64.writeBigInt64LE(-42n);
    await writeFile(
      path,
      Buffer.concat([
        eventRecord({ wallTime: 1700000000, fileVersion: 'brain.Event:2' }),
        tensorEvent('acc', 1, { dtype: DT.FLOAT, floatVal: [0.5] }, 'scalars'),
        tensorEvent('acc', 2, { dtype: DT.FLOAT, floatVal: [0.625] }), // later values carry no metadata
        tensorEvent('d', 3, { dtype: DT.DOUBLE, tensorContent: f64 }, 'scalars'),
        tensorEvent('i', 4, { dtype: DT.INT64, tensorContent: i64 }, 'scalars'),
        tensorEvent('j', 5, { dtype: DT.INT32, intVal: [7] }, 'scalars'),
        tensorEvent('h', 6, { dtype: DT.HALF, halfVal: [0x3c00] }, 'scalars'),
        tensorEvent('hist', 7, { dtype: DT.FLOAT, floatVal: [1, 2, 3] }, 'histograms'),
      ]),
    );
    const read = await readEventFile(path);
    expect(read.warnings).toEqual([]);
    expect(read.scalars.map((p) => [p.tag, p.step, p.value])).toEqual([
      ['acc', 1, 0.5],
      ['acc', 2, 0.625],
      ['d', 3, 2.25],
      ['i', 4, -42],
      ['j', 5, 7],
      ['h', 6, 1],
    ]);
  });

  it('tails a growing file: a partial trailing record ends the read quietly, and the rest comes later', async () => {
    const path = join(dir(), 'events.out.tfevents.3.host');
    await writeEventFile(path, points.slice(0, 2));
    const whole = readFileSync(path);
    const third = eventRecord({ wallTime: 1700000005, step: 2, scalar: { tag: 'loss', value: 0.5 } });
    writeFileSync(path, Buffer.concat([whole, third.subarray(0, 10)])); // mid-header
    const tags = new Map<string, string>();
    const first = await readEventFile(path, 0, tags);
    expect(first).toMatchObject({ corrupt: false, warnings: [], offset: whole.length, pendingBytes: 10 });
    expect(first.scalars).toHaveLength(2);
    await appendFile(path, third.subarray(10, 20)); // mid-data now
    const still = await readEventFile(path, first.offset, tags);
    expect(still).toMatchObject({ corrupt: false, warnings: [], offset: whole.length, scalars: [] });
    await appendFile(path, third.subarray(20));
    const second = await readEventFile(path, still.offset, tags);
    expect(second.corrupt).toBe(false);
    expect(second.scalars).toEqual([{ tag: 'loss', step: 2, wallTime: 1700000005, value: 0.5 }]);
    expect(second.offset).toBe(whole.length + third.length);
  });

  it('stops at a record whose CRC does not match, with a warning naming the file and offset', async () => {
    const path = join(dir(), 'events.out.tfevents.4.host');
    await writeEventFile(path, points);
    const bytes = readFileSync(path);
    const good = Buffer.concat([
      eventRecord({ wallTime: 1, fileVersion: 'brain.Event:2' }),
      eventRecord({ wallTime: 2, step: 0, scalar: { tag: 'loss', value: 1.5 } }),
    ]).length;
    bytes[good + 14] = bytes[good + 14]! ^ 0xff; // a data byte of the third record
    writeFileSync(path, bytes);
    const read = await readEventFile(path);
    expect(read.corrupt).toBe(true);
    expect(read.offset).toBe(good);
    expect(read.scalars).toEqual([points[0]]);
    expect(read.warnings).toHaveLength(1);
    expect(read.warnings[0]).toContain(path);
    expect(read.warnings[0]).toContain(`byte ${good}`);
    expect(read.warnings[0]).toContain('CRC');
  });

  it('reports a file that is not TFRecords at all as corrupt from byte 0', async () => {
    const path = join(dir(), 'events.out.tfevents.5.host');
    writeFileSync(path, 'this is not an event file, just some text that is long enough');
    const read = await readEventFile(path);
    expect(read).toMatchObject({ corrupt: true, offset: 0, scalars: [] });
    expect(read.warnings[0]).toMatch(/byte 0/);
  });

  it('skips a well-framed record that is not an Event, with a warning, and keeps reading', async () => {
    const path = join(dir(), 'events.out.tfevents.6.host');
    const junk = encodeRecord(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f])); // field 1 as bytes, absurd length
    writeFileSync(
      path,
      Buffer.concat([junk, eventRecord({ wallTime: 3, step: 1, scalar: { tag: 'x', value: 2 } })]),
    );
    const read = await readEventFile(path);
    expect(read.corrupt).toBe(false);
    expect(read.warnings).toHaveLength(1);
    expect(read.scalars).toEqual([{ tag: 'x', step: 1, wallTime: 3, value: 2 }]);
  });

  it("reads a file written by the trainer templates' pure-Python writer (tb_events.py)", async () => {
    const work = dir();
    const template = new URL(
      '../../templates/templates/trainer/common/trainer/tb_events.py.hbs',
      import.meta.url,
    );
    copyFileSync(template, join(work, 'tb_events.py'));
    const script = [
      'import sys, tb_events',
      'w = tb_events.EventFileWriter(sys.argv[1])',
      'for step in range(5):',
      '    w.scalar("loss", 1.0 / (step + 1), step)',
      '    w.scalar("val/accuracy", step * 0.125, step)',
      'w.close()',
      'print(w.path)',
    ].join('\n');
    const out = execFileSync('/usr/bin/python3', ['-c', script, join(work, 'logs')], {
      cwd: work,
      encoding: 'utf8',
    });
    const read = await readEventFile(out.trim());
    expect(read).toMatchObject({ corrupt: false, warnings: [] });
    expect(read.scalars.filter((p) => p.tag === 'loss').map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, Math.fround(1 / 3)],
      [3, 0.25],
      [4, Math.fround(0.2)],
    ]);
    expect(read.scalars.filter((p) => p.tag === 'val/accuracy').map((p) => p.value)).toEqual([
      0, 0.125, 0.25, 0.375, 0.5,
    ]);
    expect(read.scalars.every((p) => Math.abs(p.wallTime - Date.now() / 1000) < 60)).toBe(true);
  });
});
