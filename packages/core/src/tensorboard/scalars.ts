/**
 * Scalar points as TensorBoard keeps them, and their wire form in TensorboardService requests: Timestamps
 * for wall times, int64 steps as strings, and write batches that stay under a request size.
 */
import type { protos } from '@google-cloud/aiplatform';

type ITimeSeriesData = protos.google.cloud.aiplatform.v1.ITimeSeriesData;
type ITimestamp = protos.google.protobuf.ITimestamp;

/** One scalar value of a tag at a step. `wallTime` is seconds since the epoch (as in event files). */
export interface ScalarValue {
  step: number;
  wallTime: number;
  value: number;
}

/** Every point of one tag in one run, by step. `run` is the run's display name. */
export interface ScalarSeries {
  run: string;
  tag: string;
  points: ScalarValue[];
}

/** A point to write, with its tag; `wallTime` (seconds since the epoch) defaults to now. */
export interface ScalarWrite {
  tag: string;
  step: number;
  value: number;
  wallTime?: number;
}

/** Seconds since the epoch as a protobuf Timestamp (int64 seconds as a string, as the clients accept). */
export function toTimestamp(seconds: number): { seconds: string; nanos: number } {
  const whole = Math.floor(seconds);
  let nanos = Math.round((seconds - whole) * 1e9);
  let s = whole;
  if (nanos >= 1e9) {
    s += 1;
    nanos -= 1e9;
  }
  return { seconds: String(s), nanos };
}

/** A protobuf Timestamp (seconds may be a Long, string or number) as seconds since the epoch. */
export function fromTimestamp(t: ITimestamp | null | undefined): number {
  if (!t) return 0;
  return Number(t.seconds ?? 0) + Number(t.nanos ?? 0) / 1e9;
}

/** The scalar points of a `TimeSeriesData`, sorted by step then wall time. */
export function scalarValuesOf(data: ITimeSeriesData | null | undefined): ScalarValue[] {
  const points = (data?.values ?? []).map((p) => ({
    step: Number(p.step ?? 0),
    wallTime: fromTimestamp(p.wallTime),
    value: Number(p.scalar?.value ?? 0),
  }));
  return points.sort((a, b) => a.step - b.step || a.wallTime - b.wallTime);
}

/** A `TimeSeriesDataPoint` for a scalar. */
export function scalarDataPoint(p: { step: number; value: number; wallTime: number }) {
  return { step: String(Math.trunc(p.step)), wallTime: toTimestamp(p.wallTime), scalar: { value: p.value } };
}

/** Points of one time series (by its id in the run) to send. */
export interface SeriesWrite {
  timeSeriesId: string;
  points: { step: number; value: number; wallTime: number }[];
}

/** One `WriteTensorboardRunDataRequest` in client form. */
export interface RunDataWrite {
  tensorboardRun: string;
  timeSeriesData: {
    tensorboardTimeSeriesId: string;
    valueType: 'SCALAR';
    values: ReturnType<typeof scalarDataPoint>[];
  }[];
}

/** The Python uploader's scalar request budget (`UploadLimits.max_scalar_request_size`, 128 KiB). */
export const MAX_SCALAR_REQUEST_BYTES = 128 * 1024;
/** An upper bound of one encoded scalar point: step (≤ 11), wall time (≤ 19), value (9), framing. */
const POINT_BYTES = 48;

/**
 * Splits the points of several runs into `WriteTensorboardExperimentData` batches (lists of run writes)
 * whose encoded size stays under `maxBytes`, like the Python uploader's byte budget. Points keep their
 * order; empty runs and series are left out.
 */
export function batchRunWrites(
  runs: { runName: string; series: SeriesWrite[] }[],
  maxBytes = MAX_SCALAR_REQUEST_BYTES,
): RunDataWrite[][] {
  const batches: RunDataWrite[][] = [];
  let batch: RunDataWrite[] = [];
  let budget = maxBytes;
  const flush = () => {
    if (batch.length) batches.push(batch);
    batch = [];
    budget = maxBytes;
  };
  for (const { runName, series } of runs) {
    let runWrite: RunDataWrite | undefined;
    for (const s of series) {
      let seriesWrite: RunDataWrite['timeSeriesData'][number] | undefined;
      for (const p of s.points) {
        const runCost = runWrite ? 0 : runName.length + 16;
        const seriesCost = seriesWrite ? 0 : s.timeSeriesId.length + 16;
        if (runCost + seriesCost + POINT_BYTES > budget && batch.length) {
          flush();
          runWrite = undefined;
          seriesWrite = undefined;
        }
        if (!runWrite) {
          runWrite = { tensorboardRun: runName, timeSeriesData: [] };
          batch.push(runWrite);
          budget -= runName.length + 16;
        }
        if (!seriesWrite) {
          seriesWrite = { tensorboardTimeSeriesId: s.timeSeriesId, valueType: 'SCALAR', values: [] };
          runWrite.timeSeriesData.push(seriesWrite);
          budget -= s.timeSeriesId.length + 16;
        }
        seriesWrite.values.push(scalarDataPoint(p));
        budget -= POINT_BYTES;
      }
    }
  }
  flush();
  return batches;
}

/** Number of points in a batch of run writes. */
export function pointsIn(batch: RunDataWrite[]): number {
  return batch.reduce((n, r) => n + r.timeSeriesData.reduce((m, s) => m + s.values.length, 0), 0);
}
