import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { PREDICTION_COUNT_METRIC, PredictionMetrics } from './prediction-metrics.ts';
import { registerMonitoringRoutes } from './routes.ts';

const EP = 'projects/p/locations/us-central1/endpoints/42';
const T0 = Date.parse('2024-05-01T12:00:00Z');
const METRIC = `metric.type = "${PREDICTION_COUNT_METRIC}"`;

function app() {
  const metrics = new PredictionMetrics();
  metrics.record(EP, 'd1', 3, T0 + 10_000);
  metrics.record(EP, 'd1', 2, T0 + 20_000);
  metrics.record(EP, 'd1', 1, T0 + 130_000);
  metrics.record('projects/p/locations/us-central1/endpoints/7', 'd9', 5, T0 + 15_000);
  metrics.record('projects/other/locations/us-central1/endpoints/8', 'd8', 5, T0 + 15_000);
  const server = Fastify();
  registerMonitoringRoutes(server, metrics);
  return server;
}

interface Point {
  interval: { startTime: string; endTime: string };
  value: { int64Value: string };
}
interface Answer {
  timeSeries: { resource: { labels: Record<string, string> }; points: Point[] }[];
  nextPageToken?: string;
  error: { message: string };
}

async function list(query: Record<string, string>) {
  const res = await app().inject({ method: 'GET', url: '/v3/projects/p/timeSeries', query });
  return { status: res.statusCode, body: res.json() as Answer };
}

describe('Monitoring timeSeries.list for prediction_count', () => {
  const interval = {
    'interval.startTime': new Date(T0).toISOString(),
    'interval.endTime': new Date(T0 + 180_000).toISOString(),
  };

  it('answers raw per-minute DELTA points newest first, one series per endpoint and deployed model', async () => {
    const { status, body } = await list({
      filter: `${METRIC} AND resource.labels.endpoint_id = "42"`,
      ...interval,
    });
    expect(status).toBe(200);
    expect(body.timeSeries).toEqual([
      {
        metric: { type: PREDICTION_COUNT_METRIC, labels: { deployed_model_id: 'd1' } },
        resource: {
          type: 'aiplatform.googleapis.com/Endpoint',
          labels: { resource_container: 'p', location: 'us-central1', endpoint_id: '42' },
        },
        metricKind: 'DELTA',
        valueType: 'INT64',
        points: [
          {
            interval: { startTime: '2024-05-01T12:02:00.000Z', endTime: '2024-05-01T12:02:10.000Z' },
            value: { int64Value: '1' },
          },
          {
            interval: { startTime: '2024-05-01T12:00:00.000Z', endTime: '2024-05-01T12:00:20.000Z' },
            value: { int64Value: '5' },
          },
        ],
        unit: '1',
      },
    ]);
  });

  it('sums into alignment periods ending at interval.endTime, and pages by series', async () => {
    const q = {
      filter: METRIC,
      ...interval,
      'aggregation.alignmentPeriod': '120s',
      'aggregation.perSeriesAligner': 'ALIGN_SUM',
    };
    const first = await list({ ...q, pageSize: '1' });
    expect(first.body.timeSeries).toHaveLength(1);
    expect(
      first.body.timeSeries[0]!.points.map((p: Point) => [p.interval.endTime, p.value.int64Value]),
    ).toEqual([
      ['2024-05-01T12:03:00.000Z', '1'],
      ['2024-05-01T12:01:00.000Z', '5'],
    ]);
    const second = await list({ ...q, pageSize: '1', pageToken: first.body.nextPageToken ?? '' });
    expect(second.body.timeSeries[0]!.resource.labels.endpoint_id).toBe('7');
    expect(second.body.nextPageToken).toBeUndefined();
  });

  it('leaves out series without points in the interval and other metrics', async () => {
    const late = {
      'interval.startTime': new Date(T0 + 200_000).toISOString(),
      'interval.endTime': new Date(T0 + 300_000).toISOString(),
    };
    expect((await list({ filter: METRIC, ...late })).body).toEqual({});
    expect(
      (await list({ filter: 'metric.type = "compute.googleapis.com/instance/cpu/utilization"', ...interval }))
        .body,
    ).toEqual({});
  });

  it('refuses unsupported filters, aligners and a missing end time, saying what is supported', async () => {
    const bad = await list({ filter: `${METRIC} OR resource.labels.endpoint_id = "1"`, ...interval });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/supported: equalities joined by AND on metric\.type/);
    const aligner = await list({
      filter: METRIC,
      ...interval,
      'aggregation.perSeriesAligner': 'ALIGN_RATE',
      'aggregation.alignmentPeriod': '60s',
    });
    expect(aligner.body.error.message).toMatch(
      /ALIGN_RATE is not supported.*ALIGN_NONE, ALIGN_SUM, ALIGN_DELTA/,
    );
    const noEnd = await list({ filter: METRIC });
    expect(noEnd.body.error.message).toMatch(/interval\.endTime is required/);
  });
});
