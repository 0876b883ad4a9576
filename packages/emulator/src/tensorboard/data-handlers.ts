import type { ServiceHandlers } from '../vertex/dispatch.ts';
import type { Json } from '../vertex/protos.ts';
import { invalidArgument } from '../vertex/rpc-error.ts';
import { checkName, idOf } from './names.ts';
import type { TensorboardResources } from './resources.ts';
import { samplePoints } from './sampling.ts';

/** Which `TimeSeriesDataPoint` value each value type carries. */
const VALUE_FIELD: Record<string, string> = { SCALAR: 'scalar', TENSOR: 'tensor', BLOB_SEQUENCE: 'blobs' };
/** "The data point number limit is 1000 for scalars, 100 for tensors and blob references." */
const BATCH_READ_LIMIT: Record<string, number> = { SCALAR: 1000, TENSOR: 100, BLOB_SEQUENCE: 100 };
const MAX_WRITE_POINTS = 5000;

/** Writing, reading and exporting time series data; usage and size of a tensorboard. */
export function dataHandlers(res: TensorboardResources): ServiceHandlers {
  /** Checks every TimeSeriesData of one run before anything is written; returns what to append where. */
  const checkRunData = (run: string, data: Json[], at: string): [string, Json[]][] => {
    res.run(run);
    return data.map((d, i) => {
      const field = `${at}time_series_data[${i}]`;
      const series = res.series(`${run}/timeSeries/${d.tensorboardTimeSeriesId as string}`);
      if (d.valueType !== series.valueType)
        throw invalidArgument(
          `${field}.value_type ${JSON.stringify(d.valueType)} does not match the time series' value type ${series.valueType}.`,
        );
      const want = VALUE_FIELD[series.valueType as string]!;
      const points = ((d.values as Json[] | undefined) ?? []).map((p, j) => {
        if (p[want] === undefined)
          throw invalidArgument(
            `${field}.values[${j}] has no ${want} value, as a ${series.valueType} time series needs.`,
          );
        return { ...p, step: String(p.step ?? '0') };
      });
      return [series.name as string, points];
    });
  };
  const write = (batches: [string, Json[]][]) => {
    const total = batches.reduce((n, [, p]) => n + p.length, 0);
    if (total > MAX_WRITE_POINTS)
      throw invalidArgument(
        `A write may carry at most ${MAX_WRITE_POINTS} data points; this one has ${total}.`,
      );
    for (const [series, points] of batches) res.appendPoints(series, points);
    return {};
  };
  const seriesData = (series: Json, values: Json[]) => ({
    tensorboardTimeSeriesId: idOf(series.name as string),
    valueType: series.valueType,
    values,
  });
  return {
    WriteTensorboardRunData: (req) => {
      const run = checkName('tensorboard_run', req.tensorboardRun, 'run');
      return write(checkRunData(run, req.timeSeriesData as Json[], ''));
    },
    WriteTensorboardExperimentData: (req) => {
      const experiment = checkName('tensorboard_experiment', req.tensorboardExperiment, 'experiment');
      res.experiment(experiment);
      const batches = (req.writeRunDataRequests as Json[]).flatMap((r, i) => {
        const run = checkName(`write_run_data_requests[${i}].tensorboard_run`, r.tensorboardRun, 'run');
        if (!run.startsWith(`${experiment}/runs/`))
          throw invalidArgument(
            `write_run_data_requests[${i}].tensorboard_run ${run} is not a run of ${experiment}.`,
          );
        return checkRunData(
          run,
          (r.timeSeriesData as Json[] | undefined) ?? [],
          `write_run_data_requests[${i}].`,
        );
      });
      return write(batches);
    },
    ReadTensorboardTimeSeriesData: (req) => {
      const series = res.series(
        checkName('tensorboard_time_series', req.tensorboardTimeSeries, 'timeSeries'),
      );
      rejectFilter(req.filter);
      const max = Number(req.maxDataPoints ?? 0);
      if (max > 10000 || max < -1)
        throw invalidArgument(`max_data_points ${max} is not valid: use 1 to 10000, or -1 for every point.`);
      const points = res.data.read(series.name as string);
      return { timeSeriesData: seriesData(series, max === -1 ? points : samplePoints(points, max || 1000)) };
    },
    BatchReadTensorboardTimeSeriesData: (req) => {
      const tensorboard = checkName('tensorboard', req.tensorboard, 'tensorboard');
      res.tensorboard(tensorboard);
      return {
        timeSeriesData: (req.timeSeries as string[]).map((name, i) => {
          checkName(`time_series[${i}]`, name, 'timeSeries');
          if (!name.startsWith(`${tensorboard}/`))
            throw invalidArgument(`time_series[${i}] ${name} is not in ${tensorboard}.`);
          const series = res.series(name);
          const limit = BATCH_READ_LIMIT[series.valueType as string] ?? 100;
          return seriesData(series, samplePoints(res.data.read(name), limit));
        }),
      };
    },
    ExportTensorboardTimeSeriesData: (req) => {
      const series = res.series(
        checkName('tensorboard_time_series', req.tensorboardTimeSeries, 'timeSeries'),
      );
      rejectFilter(req.filter);
      const points = ordered(res.data.read(series.name as string), req.orderBy as string | undefined);
      const start = req.pageToken ? Number(req.pageToken) : 0;
      if (!Number.isInteger(start) || start < 0)
        throw invalidArgument(`page_token ${JSON.stringify(req.pageToken)} is not valid.`);
      const size = Number(req.pageSize) > 0 ? Math.min(Number(req.pageSize), 10000) : 1000;
      const page = points.slice(start, start + size);
      return start + size < points.length
        ? { timeSeriesDataPoints: page, nextPageToken: String(start + size) }
        : { timeSeriesDataPoints: page };
    },
    ReadTensorboardUsage: (req) => {
      res.tensorboard(checkName('tensorboard', req.tensorboard, 'tensorboard'));
      return { monthlyUsageData: {} };
    },
    ReadTensorboardSize: (req) => {
      const tensorboard = checkName('tensorboard', req.tensorboard, 'tensorboard');
      res.tensorboard(tensorboard);
      return { storageSizeByte: String(res.data.size(tensorboard)) };
    },
  };
}

function rejectFilter(filter: unknown): void {
  if (typeof filter === 'string' && filter.trim())
    throw invalidArgument(
      `filter ${JSON.stringify(filter)} is not supported by the emulator: leave it empty.`,
    );
}

/** Export order: `step` (default) or `wall_time`, optionally `desc`. */
function ordered(points: Json[], orderBy: string | undefined): Json[] {
  if (!orderBy?.trim()) return points;
  const m = /^\s*(step|wall_time)(\s+(asc|desc))?\s*$/i.exec(orderBy);
  if (!m)
    throw invalidArgument(
      `order_by ${JSON.stringify(orderBy)} is not supported: use step or wall_time, optionally with desc.`,
    );
  const sign = m[3]?.toLowerCase() === 'desc' ? -1 : 1;
  const key = (p: Json) =>
    m[1]!.toLowerCase() === 'step' ? Number(p.step ?? 0) : Date.parse(String(p.wallTime ?? 0));
  return [...points].sort((a, b) => sign * (key(a) - key(b)));
}
