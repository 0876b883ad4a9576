import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Experiment,
  ExperimentRun,
  endRun,
  getExperimentDf,
  init,
  logMetrics,
  logTimeSeriesMetrics,
  resetExperimentTracker,
  resolveConfig,
  startRun,
  tensorboardServiceClient,
} from '../src/index.ts';
import { stopEmulator, useEmulator } from './helpers.ts';

/** Needs the emulator's TensorboardService (issue 9, helper A). */
describe('an experiment backed by a TensorBoard', () => {
  let emu: RunningEmulator;
  let tensorboard: string;
  beforeAll(async () => {
    emu = await useEmulator();
    resetExperimentTracker();
    const config = await resolveConfig();
    const tb = await tensorboardServiceClient(config);
    const [op] = await tb.createTensorboard({
      parent: `projects/${config.project}/locations/${config.location}`,
      tensorboard: { displayName: 'experiments' },
    });
    tensorboard = (await op.promise())[0].name!;
  });
  afterAll(async () => {
    resetExperimentTracker();
    await stopEmulator(emu);
  });

  it('logs time series to a TensorboardRun and shows their last values in the table', async () => {
    init({ experiment: 'tb-exp', experimentTensorboard: tensorboard });
    await startRun('run-1');
    await logTimeSeriesMetrics({ loss: 0.9, accuracy: 0.5 }); // step 1
    await logTimeSeriesMetrics({ loss: 0.4, accuracy: 0.8 }); // step 2
    await logTimeSeriesMetrics({ loss: 0.2 }, 10);
    await logMetrics({ accuracy: 0.8 });
    await endRun();

    const exp = (await Experiment.get('tb-exp'))!;
    expect(exp.backingTensorboardResourceName).toBe(tensorboard);
    const run = (await ExperimentRun.get('run-1', { experiment: exp }))!;
    const tbRun = `${tensorboard}/experiments/tb-exp/runs/run-1`;
    expect(await run.backingTensorboardRun()).toBe(tbRun);

    const client = await tensorboardServiceClient(await resolveConfig());
    const [series] = await client.listTensorboardTimeSeries({ parent: tbRun });
    const loss = series.find((s) => s.displayName === 'loss')!;
    expect(loss.valueType).toBe('SCALAR');
    const [data] = await client.readTensorboardTimeSeriesData({ tensorboardTimeSeries: loss.name! });
    expect(data.timeSeriesData!.values!.map((v) => [Number(v.step), v.scalar!.value])).toEqual([
      [1, 0.9],
      [2, 0.4],
      [10, 0.2],
    ]);

    const [row] = await getExperimentDf();
    expect(row).toMatchObject({
      run_name: 'run-1',
      'metric.accuracy': 0.8,
      'time_series_metric.loss': 0.2,
      'time_series_metric.accuracy': 0.8,
    });

    await exp.delete({ deleteBackingTensorboardRuns: true });
    await expect(client.getTensorboardRun({ name: tbRun })).rejects.toThrow(/NOT_FOUND|not found/i);
  });
});
