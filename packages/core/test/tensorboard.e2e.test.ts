import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { type ScalarPoint, writeEventFile } from '@terra-vertex/tfevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  Tensorboard,
  TensorboardExperiment,
  TensorboardRun,
  TensorboardTimeSeries,
  type UploadProgressEvent,
  uploadTbLog,
  ValidationError,
} from '../src/index.ts';
import { stopEmulator, useEmulator } from './helpers.ts';
import { expectedSeries, expectSameSeries, work } from './tensorboard-fixture.ts';

describe('TensorBoard on the emulator', () => {
  let emu: RunningEmulator;
  let tb: Tensorboard;
  beforeAll(async () => {
    emu = await useEmulator();
    tb = await Tensorboard.create({ displayName: 'lab tensorboard', labels: { team: 'genomics' } });
  });
  afterAll(() => stopEmulator(emu));

  it('creates, gets, lists and deletes tensorboards, experiments, runs and time series', async () => {
    expect(tb.resourceName).toMatch(
      /^projects\/demo-terra-vertex\/locations\/us-central1\/tensorboards\/[^/]+$/,
    );
    expect(tb.displayName).toBe('lab tensorboard');
    expect(tb.labels).toEqual({ team: 'genomics' });
    expect(tb.createTime).toBeInstanceOf(Date);
    const other = await Tensorboard.create({ isDefault: true, description: 'spare' });
    expect(other.isDefault).toBe(true);
    expect(other.displayName).toMatch(/^Tensorboard \d{4}-/);
    expect((await Tensorboard.get(other.id)).description).toBe('spare');
    expect((await Tensorboard.list()).map((t) => t.resourceName)).toEqual(
      expect.arrayContaining([tb.resourceName, other.resourceName]),
    );
    expect((await Tensorboard.list({ filter: 'is_default=true' })).map((t) => t.id)).toEqual([other.id]);

    const exp = await TensorboardExperiment.create({
      tensorboardExperimentId: 'crud',
      tensorboardName: other.id,
      displayName: 'CRUD',
    });
    expect(exp.resourceName).toBe(`${other.resourceName}/experiments/crud`);
    expect((await TensorboardExperiment.get('crud', { tensorboardId: other.id })).displayName).toBe('CRUD');
    expect(
      (await TensorboardExperiment.list({ tensorboardName: other.resourceName })).map((e) => e.id),
    ).toEqual(['crud']);
    const run = await TensorboardRun.create({
      tensorboardRunId: 'run-1',
      tensorboardExperimentName: exp.resourceName,
    });
    expect(run.displayName).toBe('run-1');
    expect(
      (await TensorboardRun.get('run-1', { tensorboardId: other.id, tensorboardExperimentId: 'crud' })).id,
    ).toBe('run-1');
    expect((await exp.runs()).map((r) => r.id)).toEqual(['run-1']);
    const ts = await run.createTensorboardTimeSeries('loss');
    expect(ts.valueType).toBe('SCALAR');
    expect(ts.pluginName).toBe('scalars');
    expect((await TensorboardTimeSeries.get(ts.resourceName)).displayName).toBe('loss');
    expect(
      (await TensorboardTimeSeries.list({ tensorboardRunName: run.resourceName })).map((t) => t.id),
    ).toEqual([ts.id]);

    await ts.delete();
    expect(await run.timeSeries()).toEqual([]);
    await run.delete();
    await exp.delete();
    await expect(TensorboardExperiment.get(exp.resourceName)).rejects.toThrow(ApiError);
    await other.delete();
    const err = await Tensorboard.get(other.resourceName).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(5);
  });

  it('writes scalars to a run and reads them back by run, by tag and for the whole experiment', async () => {
    const exp = await TensorboardExperiment.create({
      tensorboardExperimentId: 'writes',
      tensorboardName: tb.resourceName,
    });
    const a = await TensorboardRun.create({
      tensorboardRunId: 'a',
      tensorboardExperimentName: exp.resourceName,
    });
    const b = await TensorboardRun.create({
      tensorboardRunId: 'b',
      tensorboardExperimentName: exp.resourceName,
    });
    const t0 = 1_700_000_000.125;
    const lossA = Array.from({ length: 50 }, (_, i) => ({
      tag: 'loss',
      step: i,
      value: 1 / (i + 1),
      wallTime: t0 + i,
    }));
    await a.writeScalars([...lossA, { tag: 'acc', step: 49, value: 0.75, wallTime: t0 + 49 }]);
    await b.writeScalars([{ tag: 'loss', step: 0, value: 2, wallTime: t0 }]);
    await b.writeTensorboardScalarData({ loss: 1.5 }, 1, new Date((t0 + 1) * 1000));
    await expect(b.writeTensorboardScalarData({ nope: 1 }, 2)).rejects.toThrow(ValidationError);

    const byTag = await a.readTimeSeriesData();
    expect(Object.keys(byTag).sort()).toEqual(['acc', 'loss']);
    expect(byTag.loss!.map((p) => p.value)).toEqual(lossA.map((p) => p.value));
    expectSameSeries(await exp.readScalars(), [
      ...expectedSeries('a', [...lossA, { tag: 'acc', step: 49, value: 0.75, wallTime: t0 + 49 }]),
      ...expectedSeries('b', [
        { tag: 'loss', step: 0, value: 2, wallTime: t0 },
        { tag: 'loss', step: 1, value: 1.5, wallTime: t0 + 1 },
      ]),
    ]);
    const [loss] = await a.timeSeries({ filter: 'display_name = "loss"' });
    expect((await loss!.read({ maxDataPoints: 10 })).length).toBeLessThanOrEqual(10);
  });

  it('uploadTbLog: runs per folder and series per tag read back equal; corrupt files are named and skipped', async () => {
    const logdir = join(work, 'logs');
    const pts = (tag: string, n: number, scale: number): ScalarPoint[] =>
      Array.from({ length: n }, (_, i) => ({
        tag,
        step: i * 10,
        wallTime: 1_700_000_100 + i * 0.5,
        value: scale * (i + 1),
      }));
    const train = [...pts('loss', 30, 0.5), ...pts('lr', 30, 0.25)];
    const evalSub = [...pts('accuracy', 5, 0.125), ...pts('loss', 5, 2)];
    const root = pts('epoch_time', 3, 4);
    await writeEventFile(join(logdir, 'train', 'events.out.tfevents.1.host.1.0'), train);
    await writeEventFile(join(logdir, 'eval', 'sub_1', 'events.out.tfevents.2.host.1.0'), evalSub);
    await writeEventFile(join(logdir, 'events.out.tfevents.3.host.1.0'), root);
    const corrupt = join(logdir, 'broken', 'events.out.tfevents.4.host.1.0');
    await writeEventFile(corrupt, pts('x', 4, 1));
    appendFileSync(corrupt, Buffer.from('0123456789abcdef0123456789abcdef'));

    const events: UploadProgressEvent[] = [];
    const result = await uploadTbLog({
      tensorboardId: tb.id,
      tensorboardExperimentName: 'local-logs',
      logdir,
      runNamePrefix: 'v1/',
      experimentDisplayName: 'Local logs',
      description: 'uploaded from a folder',
      onProgress: (e) => events.push(e),
    });
    expect(result.runs.map((r) => r.run).sort()).toEqual([
      'v1-broken',
      'v1-default',
      'v1-eval-sub-1',
      'v1-train',
    ]);
    expect(result.points).toBe(train.length + evalSub.length + root.length + 4);
    expect(result.warnings.some((w) => w.includes(corrupt))).toBe(true);
    expect(events).toContainEqual({ type: 'warning', message: expect.stringContaining(corrupt) });
    expect(events).toContainEqual({
      type: 'experiment',
      experiment: result.experiment.resourceName,
      created: true,
    });
    expect(events.at(-1)).toEqual({ type: 'write', written: result.points, total: result.points });
    expect(result.experiment.displayName).toBe('Local logs');
    expect(result.experiment.description).toBe('uploaded from a folder');

    const read = await result.experiment.readScalars();
    expectSameSeries(read, [
      ...expectedSeries('v1-train', train),
      ...expectedSeries('v1-eval-sub-1', evalSub),
      ...expectedSeries('v1-default', root),
      ...expectedSeries('v1-broken', pts('x', 4, 1)),
    ]);

    // Uploading again goes to the existing experiment and runs.
    const again: UploadProgressEvent[] = [];
    await uploadTbLog({
      tensorboardExperimentName: result.experiment.resourceName,
      logdir: join(logdir, 'train'),
      runNamePrefix: 'v2-',
      onProgress: (e) => again.push(e),
    });
    expect(again).toContainEqual({
      type: 'experiment',
      experiment: result.experiment.resourceName,
      created: false,
    });
    expect((await result.experiment.runs()).map((r) => r.id).sort()).toEqual([
      'v1-broken',
      'v1-default',
      'v1-eval-sub-1',
      'v1-train',
      'v2-default',
    ]);
  });

  it('uploadTbLog refuses what it cannot do, naming the option', async () => {
    const err = await uploadTbLog({ tensorboardExperimentName: 'x', logdir: work }).catch((e: unknown) => e);
    expect((err as ValidationError).field).toBe('tensorboardId');
    const missing = await uploadTbLog({
      tensorboardId: tb.id,
      tensorboardExperimentName: 'x',
      logdir: join(work, 'nope'),
    }).catch((e: unknown) => e);
    expect((missing as ValidationError).field).toBe('logdir');
  });
});
