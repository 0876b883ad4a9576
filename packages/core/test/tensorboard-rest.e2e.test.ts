import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { writeEventFile } from '@terra-vertex/tfevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Tensorboard, TensorboardRun, uploadTbLog } from '../src/index.ts';
import { recordedRequests, stopEmulator, useEmulator } from './helpers.ts';

/** The TensorBoard API over Vertex's REST/JSON transport (`apiTransport: 'rest'`). */
describe('TensorBoard over REST against the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator();
    init({ apiTransport: 'rest' });
  });
  afterAll(() => stopEmulator(emu));

  it('creates, uploads, writes and reads scalars back', async () => {
    const tb = await Tensorboard.create({ displayName: 'rest' });
    const logdir = mkdtempSync(join(tmpdir(), 'tvx-tb-rest-'));
    const points = [1, 2, 3].map((step) => ({
      tag: 'loss',
      step,
      wallTime: 1_700_000_000 + step,
      value: 1 / step,
    }));
    await writeEventFile(join(logdir, 'train', 'events.out.tfevents.1.h.1.0'), points);
    const { experiment } = await uploadTbLog({
      tensorboardId: tb.id,
      tensorboardExperimentName: 'rest-exp',
      logdir,
    });
    const run = await TensorboardRun.get(`${experiment.resourceName}/runs/train`);
    await run.writeScalars([{ tag: 'acc', step: 3, value: 0.5, wallTime: 1_700_000_003 }]);
    const series = await experiment.readScalars();
    expect(series.map((s) => [s.run, s.tag, s.points.map((p) => [p.step, p.value])])).toEqual([
      ['train', 'acc', [[3, 0.5]]],
      ['train', 'loss', points.map((p) => [p.step, Math.fround(p.value)])],
    ]);
    expect((await recordedRequests(emu, 'BatchReadTensorboardTimeSeriesData')).length).toBeGreaterThan(0);
  });
});
