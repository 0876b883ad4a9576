/**
 * When endpoints last served predictions, from Cloud Monitoring's
 * `aiplatform.googleapis.com/prediction/online/prediction_count` (the way one finds idle endpoints on Vertex AI:
 * there is no "last used" field on the endpoint itself).
 */
import type { ResolvedConfig } from '../config.ts';
import { getGoogleJson } from '../connection.ts';
import { toApiError } from '../errors.ts';

/** Cloud Monitoring's public REST host. */
export const MONITORING_API = 'https://monitoring.googleapis.com';
/** The metric Vertex AI writes for every online prediction. */
export const PREDICTION_COUNT_METRIC = 'aiplatform.googleapis.com/prediction/online/prediction_count';
/** Cloud Monitoring keeps these samples six weeks: looking further back finds nothing. */
const MAX_LOOKBACK_S = 42 * 24 * 3600;

interface TimeSeries {
  resource?: { labels?: Record<string, string> };
  metric?: { labels?: Record<string, string> };
  points?: { interval?: { endTime?: string }; value?: { int64Value?: string | number } }[];
}

interface ListTimeSeriesResponse {
  timeSeries?: TimeSeries[];
  nextPageToken?: string;
}

/**
 * Endpoint id → time of its latest prediction in the last `lookbackSeconds` (at least a day, at most the six
 * weeks Monitoring keeps), as the end of the aligned period that holds it: at most one alignment period (a
 * minute over a day's look-back) late. Endpoints without predictions in that window are absent.
 */
export async function lastPredictionTimes(
  config: ResolvedConfig,
  lookbackSeconds: number,
  now = new Date(),
): Promise<Map<string, Date>> {
  const lookback = Math.min(Math.max(lookbackSeconds, 24 * 3600), MAX_LOOKBACK_S);
  const filter = [
    `metric.type = "${PREDICTION_COUNT_METRIC}"`,
    'resource.type = "aiplatform.googleapis.com/Endpoint"',
    `resource.labels.location = "${config.location}"`,
  ].join(' AND ');
  const latest = new Map<string, Date>();
  let pageToken: string | undefined;
  do {
    let page: ListTimeSeriesResponse;
    try {
      page = await getGoogleJson<ListTimeSeriesResponse>(
        config,
        MONITORING_API,
        `/v3/projects/${encodeURIComponent(config.project)}/timeSeries`,
        {
          filter,
          'interval.startTime': new Date(now.getTime() - lookback * 1000).toISOString(),
          'interval.endTime': now.toISOString(),
          // At most ~1,440 sums per series; over the default day each covers a minute.
          'aggregation.alignmentPeriod': `${Math.max(60, Math.ceil(lookback / 1440))}s`,
          'aggregation.perSeriesAligner': 'ALIGN_SUM',
          pageToken,
        },
      );
    } catch (err) {
      throw toApiError(err, 'Reading prediction counts from Cloud Monitoring');
    }
    for (const series of page.timeSeries ?? []) {
      const id = series.resource?.labels?.endpoint_id;
      if (!id) continue;
      for (const p of series.points ?? []) {
        if (!p.interval?.endTime || Number(p.value?.int64Value ?? 0) <= 0) continue;
        const t = new Date(p.interval.endTime);
        const seen = latest.get(id);
        if (!seen || t > seen) latest.set(id, t);
      }
    }
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return latest;
}
