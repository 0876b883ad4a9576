import type { FastifyInstance } from 'fastify';
import {
  ENDPOINT_RESOURCE_TYPE,
  PREDICTION_COUNT_METRIC,
  type PredictionMetrics,
  type PredictionSample,
  type PredictionSeries,
} from './prediction-metrics.ts';
import { parseTimeSeriesFilter, type TimeSeriesFilter } from './time-series-filter.ts';

/** A Monitoring v3 `Point` of an INT64 DELTA metric. */
interface Point {
  interval: { startTime: string; endTime: string };
  value: { int64Value: string };
}

type Query = Record<string, string | string[] | undefined>;

class BadRequest extends Error {}

const ALIGNERS = ['ALIGN_NONE', 'ALIGN_SUM', 'ALIGN_DELTA'];
/** Raw DELTA points cover one minute, as Vertex AI samples serving metrics every 60 seconds. */
const SAMPLE_MS = 60_000;

/**
 * Cloud Monitoring REST `GET /v3/projects/{project}/timeSeries` (`projects.timeSeries.list`) for the one metric
 * the emulator produces, `aiplatform.googleapis.com/prediction/online/prediction_count`, answered in Monitoring
 * v3's JSON shape. Raw points are per-minute sums whose `endTime` is the last prediction in that minute;
 * `ALIGN_SUM`/`ALIGN_DELTA` with `aggregation.alignmentPeriod` sum into periods ending at `interval.endTime`.
 */
export function registerMonitoringRoutes(app: FastifyInstance, metrics: PredictionMetrics): void {
  app.get('/v3/projects/:project/timeSeries', async (req, reply) => {
    const { project } = req.params as { project: string };
    try {
      return listTimeSeries(metrics, project, req.query as Query);
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      return reply.code(400).send({ error: { code: 400, status: 'INVALID_ARGUMENT', message: err.message } });
    }
  });
}

function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function timestamp(q: Query, key: string): number | undefined {
  const v = one(q, key);
  if (v === undefined || v === '') return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new BadRequest(
      `${key} must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, got ${JSON.stringify(v)}.`,
    );
  return t;
}

function duration(q: Query, key: string): number | undefined {
  const v = one(q, key);
  if (v === undefined || v === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(v);
  if (!m || Number(m[1]) <= 0)
    throw new BadRequest(
      `${key} must be a positive duration in seconds such as "60s", got ${JSON.stringify(v)}.`,
    );
  return Number(m[1]) * 1000;
}

function listTimeSeries(metrics: PredictionMetrics, project: string, q: Query) {
  let filter: TimeSeriesFilter;
  try {
    filter = parseTimeSeriesFilter(one(q, 'filter') ?? '');
  } catch (err) {
    throw new BadRequest((err as Error).message);
  }
  const end = timestamp(q, 'interval.endTime');
  if (end === undefined) throw new BadRequest('interval.endTime is required (an RFC 3339 timestamp).');
  const start = timestamp(q, 'interval.startTime') ?? end;
  if (start > end) throw new BadRequest('interval.startTime must not be after interval.endTime.');
  const aligner = one(q, 'aggregation.perSeriesAligner') ?? 'ALIGN_NONE';
  if (!ALIGNERS.includes(aligner))
    throw new BadRequest(
      `aggregation.perSeriesAligner ${aligner} is not supported by the emulator; use one of ${ALIGNERS.join(', ')}.`,
    );
  const period = duration(q, 'aggregation.alignmentPeriod');
  if (aligner !== 'ALIGN_NONE' && period === undefined)
    throw new BadRequest(
      `aggregation.alignmentPeriod is required with aggregation.perSeriesAligner ${aligner}.`,
    );
  const reducer = one(q, 'aggregation.crossSeriesReducer');
  if (reducer && reducer !== 'REDUCE_NONE')
    throw new BadRequest(
      `aggregation.crossSeriesReducer ${reducer} is not supported by the emulator; leave it out (or REDUCE_NONE) and combine the series yourself.`,
    );
  const view = one(q, 'view') ?? 'FULL';
  if (view !== 'FULL' && view !== 'HEADERS')
    throw new BadRequest(`view must be FULL or HEADERS, got ${JSON.stringify(view)}.`);
  const pageSize = Number(one(q, 'pageSize') ?? 100_000);
  const offset = Number(one(q, 'pageToken') || 0);
  if (!Number.isInteger(pageSize) || pageSize <= 0)
    throw new BadRequest('pageSize must be a positive integer.');
  if (!Number.isInteger(offset) || offset < 0)
    throw new BadRequest('pageToken must be a nextPageToken of an earlier answer.');

  if (filter.metricType !== PREDICTION_COUNT_METRIC) return {};
  if (filter.resourceType !== undefined && filter.resourceType !== ENDPOINT_RESOURCE_TYPE) return {};
  const series = metrics
    .all()
    .filter((s) => s.project === project && matches(s, filter))
    .map((s) => {
      const inside = s.samples.filter((p) => p.time > start - (start === end ? 1 : 0) && p.time <= end);
      return {
        s,
        points: aligner === 'ALIGN_NONE' ? rawPoints(inside) : aligned(inside, start, end, period!),
      };
    })
    .filter((x) => x.points.length > 0);
  const page = series.slice(offset, offset + pageSize);
  const next = offset + pageSize < series.length ? String(offset + pageSize) : undefined;
  if (page.length === 0) return {}; // proto3 JSON leaves empty lists out
  return {
    timeSeries: page.map(({ s, points }) => ({
      metric: { type: PREDICTION_COUNT_METRIC, labels: { deployed_model_id: s.deployedModelId } },
      resource: {
        type: ENDPOINT_RESOURCE_TYPE,
        labels: { resource_container: s.project, location: s.location, endpoint_id: s.endpointId },
      },
      metricKind: 'DELTA',
      valueType: 'INT64',
      ...(view === 'FULL' ? { points } : {}),
      unit: '1',
    })),
    ...(next ? { nextPageToken: next } : {}),
  };
}

function matches(s: PredictionSeries, f: TimeSeriesFilter): boolean {
  return (
    (f.endpointId === undefined || f.endpointId === s.endpointId) &&
    (f.location === undefined || f.location === s.location) &&
    (f.resourceContainer === undefined || f.resourceContainer === s.project) &&
    (f.deployedModelId === undefined || f.deployedModelId === s.deployedModelId)
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Per-minute sums, newest first (Monitoring lists points in reverse time order). */
function rawPoints(samples: PredictionSample[]): Point[] {
  const minutes = new Map<number, { last: number; count: number }>();
  for (const p of samples) {
    const m = Math.floor(p.time / SAMPLE_MS) * SAMPLE_MS;
    const b = minutes.get(m) ?? { last: p.time, count: 0 };
    b.last = Math.max(b.last, p.time);
    b.count += p.count;
    minutes.set(m, b);
  }
  return [...minutes.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([m, b]) => ({
      interval: { startTime: iso(m), endTime: iso(b.last) },
      value: { int64Value: String(b.count) },
    }));
}

/** Sums per alignment period, the periods ending at `end` and stepping back; empty periods are left out. */
function aligned(samples: PredictionSample[], start: number, end: number, period: number): Point[] {
  const out: Point[] = [];
  for (let hi = end; hi > start - period && hi > end - period * 100_000; hi -= period) {
    const count = samples
      .filter((p) => p.time > hi - period && p.time <= hi)
      .reduce((n, p) => n + p.count, 0);
    if (count > 0)
      out.push({
        interval: { startTime: iso(hi - period), endTime: iso(hi) },
        value: { int64Value: String(count) },
      });
    if (hi - period < (samples[0]?.time ?? end)) break;
  }
  return out;
}
