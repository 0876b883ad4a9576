import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { v1 } from '@google-cloud/aiplatform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { codeOf, tensorboardClient } from './tensorboard-client.ts';

const parent = 'projects/demo-tb/locations/us-central1';
const wall = (s: number) => ({ seconds: 1700000000 + s, nanos: 0 });

describe('TensorboardService, driven by the official TensorboardServiceClient', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tvx-tb-test-'));
  let emu: RunningEmulator;
  let tb: v1.TensorboardServiceClient;
  let board: string;

  beforeAll(async () => {
    emu = await startEmulator({ dataDir });
    tb = tensorboardClient(emu);
  });
  afterAll(async () => {
    await tb.close();
    await emu.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const createBoard = async (displayName: string, isDefault = false) => {
    const [op] = await tb.createTensorboard({ parent, tensorboard: { displayName, isDefault } });
    const [created] = await op.promise();
    return created;
  };

  it('creates, gets, lists and updates tensorboards, with at most one default per location', async () => {
    const first = await createBoard('first', true);
    expect(first.name).toMatch(/^projects\/demo-tb\/locations\/us-central1\/tensorboards\/\d+$/);
    expect(first.isDefault).toBe(true);
    expect(first.blobStoragePathPrefix).toMatch(/^cloud-ai-platform-[0-9a-f-]+$/);
    const second = await createBoard('second', true);
    board = second.name!;
    const [got] = await tb.getTensorboard({ name: first.name });
    expect(got.isDefault).toBe(false);
    expect(got.runCount).toBe(0);
    const [defaults] = await tb.listTensorboards({ parent, filter: 'is_default=true' });
    expect(defaults.map((t) => t.displayName)).toEqual(['second']);
    const [byName] = await tb.listTensorboards({ parent, orderBy: 'display_name' });
    expect(byName.map((t) => t.displayName)).toEqual(['first', 'second']);

    const [op] = await tb.updateTensorboard({
      tensorboard: { name: first.name, displayName: 'renamed', isDefault: true },
      updateMask: { paths: ['display_name', 'is_default'] },
    });
    const [updated] = await op.promise();
    expect(updated).toMatchObject({ displayName: 'renamed', isDefault: true });
    expect((await tb.getTensorboard({ name: board }))[0].isDefault).toBe(false);
    expect(await codeOf(tb.getTensorboard({ name: `${parent}/tensorboards/404` }))).toMatch(/^NOT_FOUND/);
    expect(await codeOf(tb.getTensorboard({ name: 'tensorboards/1' }))).toMatch(/^INVALID_ARGUMENT.*name/);
  });

  it('creates experiments, runs (one by one and in a batch) and time series, checking ids, parents and duplicates', async () => {
    const [exp] = await tb.createTensorboardExperiment({
      parent: board,
      tensorboardExperimentId: 'exp-1',
      tensorboardExperiment: { displayName: 'Experiment one' },
    });
    expect(exp.name).toBe(`${board}/experiments/exp-1`);
    expect(
      await codeOf(tb.createTensorboardExperiment({ parent: board, tensorboardExperimentId: 'exp-1' })),
    ).toMatch(/^ALREADY_EXISTS/);
    expect(
      await codeOf(tb.createTensorboardExperiment({ parent: board, tensorboardExperimentId: 'Bad_Id' })),
    ).toMatch(/^INVALID_ARGUMENT.*tensorboard_experiment_id/);
    expect(
      await codeOf(
        tb.createTensorboardExperiment({
          parent: `${parent}/tensorboards/404`,
          tensorboardExperimentId: 'x',
        }),
      ),
    ).toMatch(/^NOT_FOUND/);

    const [batch] = await tb.batchCreateTensorboardRuns({
      parent: exp.name,
      requests: [
        { parent: exp.name, tensorboardRunId: 'run-a', tensorboardRun: { displayName: 'A' } },
        { parent: exp.name, tensorboardRunId: 'run-b', tensorboardRun: { displayName: 'B' } },
      ],
    });
    expect(batch.tensorboardRuns?.map((r) => r.name)).toEqual([
      `${exp.name}/runs/run-a`,
      `${exp.name}/runs/run-b`,
    ]);
    expect(
      await codeOf(
        tb.createTensorboardRun({
          parent: exp.name,
          tensorboardRunId: 'run-c',
          tensorboardRun: { displayName: 'A' },
        }),
      ),
    ).toMatch(/^INVALID_ARGUMENT.*already exist/);
    expect(
      await codeOf(
        tb.createTensorboardRun({
          parent: exp.name,
          tensorboardRunId: 'run-a',
          tensorboardRun: { displayName: 'Z' },
        }),
      ),
    ).toMatch(/^ALREADY_EXISTS/);
    expect((await tb.getTensorboard({ name: board }))[0].runCount).toBe(2);

    const run = `${exp.name}/runs/run-a`;
    const [loss] = await tb.createTensorboardTimeSeries({
      parent: run,
      tensorboardTimeSeriesId: 'loss',
      tensorboardTimeSeries: { displayName: 'loss', valueType: 'SCALAR', pluginName: 'scalars' },
    });
    expect(loss.name).toBe(`${run}/timeSeries/loss`);
    const [series] = await tb.batchCreateTensorboardTimeSeries({
      parent: exp.name,
      requests: [
        {
          parent: `${exp.name}/runs/run-b`,
          tensorboardTimeSeries: { displayName: 'loss', valueType: 'SCALAR' },
        },
      ],
    });
    expect(series.tensorboardTimeSeries?.[0]?.name).toMatch(/\/runs\/run-b\/timeSeries\/\d+$/);
    expect(
      await codeOf(
        tb.createTensorboardTimeSeries({
          parent: run,
          tensorboardTimeSeries: { displayName: 'acc', valueType: 'VALUE_TYPE_UNSPECIFIED' },
        }),
      ),
    ).toMatch(/^INVALID_ARGUMENT.*value_type/);
    expect(
      await codeOf(
        tb.createTensorboardTimeSeries({
          parent: run,
          tensorboardTimeSeries: { displayName: 'loss', valueType: 'SCALAR' },
        }),
      ),
    ).toMatch(/^INVALID_ARGUMENT.*already exist/);
    const [listed] = await tb.listTensorboardTimeSeries({ parent: run, filter: 'display_name = "loss"' });
    expect(listed.map((t) => t.name)).toEqual([loss.name]);
  });

  it('writes scalars and reads them back: sampled to 1000 keeping the last, all with -1, exported in pages', async () => {
    const run = `${board}/experiments/exp-1/runs/run-a`;
    const values = Array.from({ length: 1500 }, (_, step) => ({
      step,
      wallTime: wall(step),
      scalar: { value: step / 2 },
    }));
    for (let i = 0; i < values.length; i += 500)
      await tb.writeTensorboardRunData({
        tensorboardRun: run,
        timeSeriesData: [
          { tensorboardTimeSeriesId: 'loss', valueType: 'SCALAR', values: values.slice(i, i + 500) },
        ],
      });
    // A later write to a step replaces its value.
    await tb.writeTensorboardExperimentData({
      tensorboardExperiment: `${board}/experiments/exp-1`,
      writeRunDataRequests: [
        {
          tensorboardRun: run,
          timeSeriesData: [
            {
              tensorboardTimeSeriesId: 'loss',
              valueType: 'SCALAR',
              values: [{ step: 3, wallTime: wall(3), scalar: { value: -1 } }],
            },
          ],
        },
      ],
    });
    const name = `${run}/timeSeries/loss`;
    const [sampled] = await tb.readTensorboardTimeSeriesData({ tensorboardTimeSeries: name });
    const points = sampled.timeSeriesData!.values!;
    expect(sampled.timeSeriesData?.valueType).toBe('SCALAR');
    expect(points).toHaveLength(1000);
    expect(Number(points.at(-1)!.step)).toBe(1499);
    expect(points.at(-1)!.scalar?.value).toBe(749.5);
    const [all] = await tb.readTensorboardTimeSeriesData({ tensorboardTimeSeries: name, maxDataPoints: -1 });
    expect(all.timeSeriesData!.values!.map((p) => Number(p.step))).toEqual(values.map((v) => v.step));
    expect(all.timeSeriesData!.values![3]!.scalar?.value).toBe(-1);
    expect(Number(all.timeSeriesData!.values![10]!.wallTime?.seconds)).toBe(1700000010);
    const [few] = await tb.readTensorboardTimeSeriesData({ tensorboardTimeSeries: name, maxDataPoints: 3 });
    expect(few.timeSeriesData!.values!.map((p) => Number(p.step))).toEqual([0, 750, 1499]);

    const [page1, next] = await tb.exportTensorboardTimeSeriesData(
      { tensorboardTimeSeries: name, pageSize: 1000, orderBy: 'step desc' },
      { autoPaginate: false },
    );
    expect(page1).toHaveLength(1000);
    expect(Number(page1[0]!.step)).toBe(1499);
    expect(next?.pageToken).toBe('1000');
    const [page2, last] = await tb.exportTensorboardTimeSeriesData(next!, { autoPaginate: false });
    expect(page2.map((p) => Number(p.step)).at(-1)).toBe(0);
    expect(page2).toHaveLength(500);
    expect(last).toBeNull();
    const [batch] = await tb.batchReadTensorboardTimeSeriesData({ tensorboard: board, timeSeries: [name] });
    expect(batch.timeSeriesData?.[0]?.values).toHaveLength(1000);
    const [ts] = await tb.getTensorboardTimeSeries({ name });
    expect(Number(ts.metadata?.maxStep)).toBe(1499);
    const [size] = await tb.readTensorboardSize({ tensorboard: board });
    expect(Number(size.storageSizeByte)).toBeGreaterThan(0);
  });

  it('refuses writes that do not fit the time series', async () => {
    const run = `${board}/experiments/exp-1/runs/run-a`;
    const write = (data: object) =>
      codeOf(tb.writeTensorboardRunData({ tensorboardRun: run, timeSeriesData: [data] }));
    expect(
      await write({
        tensorboardTimeSeriesId: 'loss',
        valueType: 'TENSOR',
        values: [{ step: 1, tensor: { value: Buffer.from('x') } }],
      }),
    ).toMatch(/^INVALID_ARGUMENT.*value_type/);
    expect(
      await write({
        tensorboardTimeSeriesId: 'nope',
        valueType: 'SCALAR',
        values: [{ step: 1, scalar: { value: 1 } }],
      }),
    ).toMatch(/^NOT_FOUND/);
    expect(
      await write({ tensorboardTimeSeriesId: 'loss', valueType: 'SCALAR', values: [{ step: 1 }] }),
    ).toMatch(/^INVALID_ARGUMENT.*scalar/);
    expect(
      await codeOf(
        tb.readTensorboardTimeSeriesData({
          tensorboardTimeSeries: `${run}/timeSeries/loss`,
          maxDataPoints: 20000,
        }),
      ),
    ).toMatch(/^INVALID_ARGUMENT.*max_data_points/);
  });

  it('keeps everything across a restart, and deleting a parent deletes its children and their data', async () => {
    const name = `${board}/experiments/exp-1/runs/run-a/timeSeries/loss`;
    await tb.close();
    await emu.stop();
    emu = await startEmulator({ dataDir });
    tb = tensorboardClient(emu);
    const [again] = await tb.readTensorboardTimeSeriesData({
      tensorboardTimeSeries: name,
      maxDataPoints: -1,
    });
    expect(again.timeSeriesData?.values).toHaveLength(1500);
    expect((await tb.getTensorboard({ name: board }))[0].runCount).toBe(2);

    const [op] = await tb.deleteTensorboardExperiment({ name: `${board}/experiments/exp-1` });
    await op.promise();
    expect(await codeOf(tb.getTensorboardRun({ name: `${board}/experiments/exp-1/runs/run-a` }))).toMatch(
      /^NOT_FOUND/,
    );
    expect(await codeOf(tb.getTensorboardTimeSeries({ name }))).toMatch(/^NOT_FOUND/);
    expect((await tb.getTensorboard({ name: board }))[0].runCount).toBe(0);
    expect(Number((await tb.readTensorboardSize({ tensorboard: board }))[0].storageSizeByte)).toBe(0);
    const [del] = await tb.deleteTensorboard({ name: board });
    await del.promise();
    expect(await codeOf(tb.getTensorboard({ name: board }))).toMatch(/^NOT_FOUND/);
  });
});
