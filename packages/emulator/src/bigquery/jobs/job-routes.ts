/**
 * BigQuery REST v2 job methods: jobs.insert, get, list, cancel, delete, query (the fast path of
 * `bigquery.query()`) and getQueryResults, with BigQuery's long-poll (`timeoutMs`, at most 10 s a call).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonObject } from '../deps.ts';
import { BigQueryError, invalid } from '../errors.ts';
import { encodeRows, schemaOf, type Warehouse } from '../warehouse.ts';
import type { JobService } from './job-service.ts';
import type { JobStore, StoredJob } from './job-store.ts';

type Params = { projectId: string; jobId: string };
type Query = Record<string, string | undefined>;

const MAX_WAIT_MS = 10_000;
/** Rows per page when the client sets no maxResults (BigQuery pages by ~10 MB; rows here are small). */
const DEFAULT_PAGE = 10_000;

async function waitFor(job: StoredJob, timeoutMs: number): Promise<boolean> {
  if ((job.resource.status as { state: string }).state === 'DONE') return true;
  if (!job.done) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((r) => {
    timer = setTimeout(r, timeoutMs);
  });
  await Promise.race([job.done, timeout]);
  clearTimeout(timer);
  return (job.resource.status as { state: string }).state === 'DONE';
}

function timeoutOf(q: Query, fallback = MAX_WAIT_MS): number {
  const t = Number(q.timeoutMs ?? fallback);
  return Number.isFinite(t) ? Math.min(Math.max(t, 0), MAX_WAIT_MS) : MAX_WAIT_MS;
}

function errorOf(job: StoredJob): BigQueryError | undefined {
  const status = job.resource.status as { errorResult?: { reason: string; message: string } };
  if (!status.errorResult) return undefined;
  const code =
    status.errorResult.reason === 'notFound' ? 404 : status.errorResult.reason === 'duplicate' ? 409 : 400;
  return new BigQueryError(code, status.errorResult.reason, status.errorResult.message);
}

/** One page of a finished query's rows, as getQueryResults and jobs.query answer. */
async function resultsPage(
  warehouse: Warehouse,
  job: StoredJob,
  q: Query,
  kind: string,
): Promise<JsonObject> {
  const ref = job.resource.jobReference;
  const stats = job.resource.statistics as { query?: JsonObject };
  const base: JsonObject = { kind, jobReference: ref, jobComplete: true, cacheHit: false };
  const st = stats.query ?? {};
  if (st.numDmlAffectedRows !== undefined) base.numDmlAffectedRows = st.numDmlAffectedRows;
  if (st.dmlStats) base.dmlStats = st.dmlStats;
  base.totalBytesProcessed = (job.resource.statistics as JsonObject).totalBytesProcessed ?? '0';
  if (!job.resultsTable) return { ...base, totalRows: '0', ...(st.schema ? { schema: st.schema } : {}) };
  const conn = await warehouse.connect();
  try {
    const total = Number(
      (await conn.runAndReadAll(`SELECT count(*) FROM ${job.resultsTable}`)).getRows()[0]?.[0] ?? 0,
    );
    const start = q.pageToken !== undefined ? Number(q.pageToken) : Number(q.startIndex ?? 0);
    if (!Number.isInteger(start) || start < 0)
      throw invalid(`pageToken/startIndex ${q.pageToken ?? q.startIndex} is not valid.`);
    const max = q.maxResults !== undefined ? Number(q.maxResults) : DEFAULT_PAGE;
    if (!Number.isInteger(max) || max < 0)
      throw invalid(`maxResults ${q.maxResults} must be a non-negative integer.`);
    const reader = await conn.runAndReadAll(`SELECT * FROM ${job.resultsTable} LIMIT ${max} OFFSET ${start}`);
    const schema = schemaOf(reader as unknown as Parameters<typeof schemaOf>[0]);
    const int64Timestamp = q['formatOptions.useInt64Timestamp'] === 'true';
    const rows = encodeRows(reader.getRows(), schema, { int64Timestamp });
    const next = start + rows.length;
    return {
      ...base,
      schema: { fields: schema },
      rows,
      totalRows: String(total),
      ...(next < total ? { pageToken: String(next) } : {}),
    };
  } finally {
    conn.closeSync();
  }
}

/** Registers the job methods under `/projects/:projectId/…` of the given scope. */
export function jobRoutes(
  scope: FastifyInstance,
  deps: { store: JobStore; service: JobService; warehouse: Warehouse },
): void {
  const { store, service, warehouse } = deps;

  scope.post('/projects/:projectId/jobs', async (req: FastifyRequest<{ Params: Params }>) =>
    service.insert(req.params.projectId, (req.body ?? {}) as JsonObject),
  );

  scope.get(
    '/projects/:projectId/jobs/:jobId',
    async (req: FastifyRequest<{ Params: Params }>) =>
      store.get(req.params.projectId, req.params.jobId).resource,
  );

  scope.get(
    '/projects/:projectId/jobs',
    async (req: FastifyRequest<{ Params: Params; Querystring: Query }>) => {
      const q = req.query;
      const states = q.stateFilter ? String(q.stateFilter).toUpperCase().split(',') : undefined;
      const all = store
        .list(req.params.projectId)
        .filter((j) => !states || states.includes((j.resource.status as { state: string }).state));
      const start = Number(q.pageToken ?? 0);
      const max = Number(q.maxResults ?? 1000);
      const page = all.slice(start, start + max);
      return {
        kind: 'bigquery#jobList',
        etag: String(all.length),
        jobs: page.map((j) => ({ ...j.resource, state: (j.resource.status as { state: string }).state })),
        ...(start + max < all.length ? { nextPageToken: String(start + max) } : {}),
      };
    },
  );

  scope.post('/projects/:projectId/jobs/:jobId/cancel', async (req: FastifyRequest<{ Params: Params }>) => {
    const job = store.get(req.params.projectId, req.params.jobId);
    job.cancel?.();
    return { kind: 'bigquery#jobCancelResponse', job: job.resource };
  });

  scope.delete(
    '/projects/:projectId/jobs/:jobId/delete',
    async (req: FastifyRequest<{ Params: Params }>, reply) => {
      store.delete(req.params.projectId, req.params.jobId);
      return reply.code(204).send();
    },
  );

  scope.post('/projects/:projectId/queries', async (req: FastifyRequest<{ Params: Params }>) => {
    const body = (req.body ?? {}) as JsonObject;
    if (typeof body.query !== 'string') throw invalid('query is missing: give the SQL to run.');
    const {
      timeoutMs,
      maxResults,
      requestId: _r,
      formatOptions,
      location,
      jobCreationMode: _m,
      ...config
    } = body;
    const resource = await service.insert(req.params.projectId, {
      jobReference: { location: location ?? 'US' },
      configuration: { query: { useLegacySql: false, ...config } },
    });
    const { projectId, jobId } = resource.jobReference as Params;
    const job = store.get(projectId, jobId);
    const q: Query = {
      maxResults: maxResults === undefined ? undefined : String(maxResults),
      'formatOptions.useInt64Timestamp': String(
        (formatOptions as { useInt64Timestamp?: boolean })?.useInt64Timestamp ?? false,
      ),
    };
    if (
      !(await waitFor(job, timeoutOf({ timeoutMs: timeoutMs === undefined ? undefined : String(timeoutMs) })))
    )
      return { kind: 'bigquery#queryResponse', jobReference: job.resource.jobReference, jobComplete: false };
    const error = errorOf(job);
    if (error) throw error;
    return resultsPage(warehouse, job, q, 'bigquery#queryResponse');
  });

  scope.get(
    '/projects/:projectId/queries/:jobId',
    async (req: FastifyRequest<{ Params: Params; Querystring: Query }>) => {
      const job = store.get(req.params.projectId, req.params.jobId);
      if (!(await waitFor(job, timeoutOf(req.query))))
        return {
          kind: 'bigquery#getQueryResultsResponse',
          jobReference: job.resource.jobReference,
          jobComplete: false,
        };
      const error = errorOf(job);
      if (error) throw error;
      return resultsPage(warehouse, job, req.query, 'bigquery#getQueryResultsResponse');
    },
  );
}
