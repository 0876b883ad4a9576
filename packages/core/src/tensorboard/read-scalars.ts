import type { protos } from '@google-cloud/aiplatform';
import type { ResolvedConfig } from '../config.ts';
import { callTensorboardService } from './resource.ts';
import { type ScalarSeries, scalarValuesOf } from './scalars.ts';

type ITimeSeries = protos.google.cloud.aiplatform.v1.ITensorboardTimeSeries;

/** Time series per BatchReadTensorboardTimeSeriesData call (the Python SDK's `READ_TIME_SERIES_BATCH_SIZE`). */
export const READ_BATCH_SIZE = 20;
/** BatchRead returns at most this many scalar points per series (sampled beyond it). */
const BATCH_READ_LIMIT = 1000;
/** ReadTensorboardTimeSeriesData's largest `maxDataPoints`. */
const READ_LIMIT = 10_000;

/** Every scalar series of the runs of an experiment, runs in listing order, tags sorted. */
export async function readExperimentScalars(
  config: ResolvedConfig,
  experimentName: string,
): Promise<ScalarSeries[]> {
  const runs = await callTensorboardService(config, `Listing runs of ${experimentName}`, async (c) => {
    const [list] = await c.listTensorboardRuns({ parent: experimentName });
    return list;
  });
  const out: ScalarSeries[] = [];
  for (const run of runs) {
    out.push(...(await readRunScalars(config, run.name ?? '', run.displayName || lastPart(run.name))));
  }
  return out;
}

/** Every scalar series of one run, tags sorted. `label` is what the series' `run` field says. */
export async function readRunScalars(
  config: ResolvedConfig,
  runName: string,
  label: string,
): Promise<ScalarSeries[]> {
  const series = await callTensorboardService(config, `Listing time series of ${runName}`, async (c) => {
    const [list] = await c.listTensorboardTimeSeries({ parent: runName });
    return list;
  });
  const scalars = series.filter((s) => s.valueType === 'SCALAR' || s.valueType === 1);
  const data = await readTimeSeriesData(config, runName, scalars);
  return scalars
    .map((s) => ({ run: label, tag: s.displayName ?? '', points: data.get(s.name ?? '') ?? [] }))
    .sort((a, b) => a.tag.localeCompare(b.tag));
}

/**
 * Points of the given series of one run, by series name: BatchRead in groups of {@link READ_BATCH_SIZE};
 * a series that hit BatchRead's sampling limit is read again on its own with the largest page Vertex allows.
 */
export async function readTimeSeriesData(
  config: ResolvedConfig,
  runName: string,
  series: ITimeSeries[],
): Promise<Map<string, ScalarSeries['points']>> {
  const tensorboard = runName.replace(/\/experiments\/.*$/, '');
  const byId = new Map(series.map((s) => [lastPart(s.name), s.name ?? '']));
  const out = new Map<string, ScalarSeries['points']>();
  for (let i = 0; i < series.length; i += READ_BATCH_SIZE) {
    const names = series.slice(i, i + READ_BATCH_SIZE).map((s) => s.name ?? '');
    const response = await callTensorboardService(config, `Reading time series of ${runName}`, async (c) => {
      const [r] = await c.batchReadTensorboardTimeSeriesData({ tensorboard, timeSeries: names });
      return r;
    });
    for (const d of response.timeSeriesData ?? []) {
      const name = byId.get(d.tensorboardTimeSeriesId ?? '');
      if (!name) continue;
      let points = scalarValuesOf(d);
      if (points.length >= BATCH_READ_LIMIT) points = await readAll(config, name);
      out.set(name, points);
    }
  }
  return out;
}

async function readAll(config: ResolvedConfig, name: string): Promise<ScalarSeries['points']> {
  const response = await callTensorboardService(config, `Reading time series ${name}`, async (c) => {
    const [r] = await c.readTensorboardTimeSeriesData({
      tensorboardTimeSeries: name,
      maxDataPoints: READ_LIMIT,
    });
    return r;
  });
  return scalarValuesOf(response.timeSeriesData);
}

function lastPart(name: string | null | undefined): string {
  return (name ?? '').split('/').pop() ?? '';
}
