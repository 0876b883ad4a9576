/**
 * The official BigQuery client for a configuration: the emulator's HTTP port with no credential lookup
 * locally, Application Default Credentials in the cloud.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { ResolvedConfig } from '../config.ts';
import { cached, HTTP_TO_GRPC } from '../connection.ts';
import { ApiError, StatusCode } from '../errors.ts';

/** Where datasets are created when nothing else says (BigQuery's own default multi-region). */
export const DEFAULT_BIGQUERY_LOCATION = 'US';

/**
 * The BigQuery location for new datasets and jobs: `BIGQUERY_LOCATION` when set, else `US`. BigQuery
 * locations (`US`, `EU`, `us-central1` …) are not Vertex AI regions, so `config.location` is not used.
 */
export function bigQueryLocation(env: Record<string, string | undefined> = process.env): string {
  return env.BIGQUERY_LOCATION?.trim() || DEFAULT_BIGQUERY_LOCATION;
}

/**
 * The `@google-cloud/bigquery` client for this configuration, made once per backend. With the emulator it
 * talks to `config.emulator.http` (`/bigquery/v2/...`) through a pass-through auth client, so no ADC or
 * metadata server is probed. In the cloud it uses the configured credentials; jobs run in the location of
 * the data unless `BIGQUERY_LOCATION` pins one.
 *
 * @example
 * const bq = await bigQueryClient(await resolveConfig());
 * const [rows] = await bq.query('SELECT 1 AS one');
 */
export function bigQueryClient(config: ResolvedConfig): Promise<BigQuery> {
  const pinned = process.env.BIGQUERY_LOCATION?.trim();
  const key = config.emulator
    ? `bigquery|emu:${config.emulator.http}|${config.project}|${pinned ?? ''}`
    : `bigquery|cloud:${config.project}|${pinned ?? ''}|${JSON.stringify(config.credentials ?? {})}`;
  return cached(key, async () => {
    const { BigQuery } = await import('@google-cloud/bigquery');
    const location = pinned ? { location: pinned } : {};
    if (config.emulator) {
      const { PassThroughClient } = await import('google-auth-library');
      return new BigQuery({
        apiEndpoint: config.emulator.http,
        projectId: config.project,
        authClient: new PassThroughClient(),
        // Loopback: a refused connection means the emulator is down, not a blip worth 15 s of backoff.
        retryOptions: { autoRetry: false },
        ...location,
      });
    }
    return new BigQuery({ projectId: config.project, ...location, ...config.credentials });
  });
}

const REASON_CODES: Record<string, number> = {
  invalid: StatusCode.INVALID_ARGUMENT,
  invalidQuery: StatusCode.INVALID_ARGUMENT,
  notFound: StatusCode.NOT_FOUND,
  duplicate: StatusCode.ALREADY_EXISTS,
  accessDenied: StatusCode.PERMISSION_DENIED,
  quotaExceeded: StatusCode.RESOURCE_EXHAUSTED,
  rateLimitExceeded: StatusCode.RESOURCE_EXHAUSTED,
  backendError: StatusCode.UNAVAILABLE,
  stopped: StatusCode.CANCELLED,
};

/**
 * Wraps an error of the BigQuery client (HTTP status in `code`, `errors[{reason, message}]`) or a failed
 * job's `status.errorResult` into an {@link ApiError} naming `context`, keeping BigQuery's message.
 */
export function toBigQueryError(err: unknown, context: string): Error {
  if (err instanceof ApiError) return err;
  const e = err as {
    code?: unknown;
    reason?: string;
    message?: string;
    errors?: { reason?: string; message?: string }[];
    cause?: { code?: string };
  };
  const refused = [e?.cause?.code, (e as { code?: unknown })?.code].includes('ECONNREFUSED');
  if (refused || /ECONNREFUSED/.test(e?.message ?? ''))
    return new ApiError(StatusCode.UNAVAILABLE, e.message ?? String(err), context);
  const reason = e?.reason ?? e?.errors?.[0]?.reason;
  const message = e?.errors?.[0]?.message ?? e?.message ?? String(err);
  let code: number | undefined;
  if (typeof e?.code === 'number') code = HTTP_TO_GRPC[e.code] ?? StatusCode.UNKNOWN;
  else if (reason) code = REASON_CODES[reason] ?? StatusCode.UNKNOWN;
  if (code === undefined) return err instanceof Error ? err : new Error(String(err));
  return new ApiError(code, message, context);
}
