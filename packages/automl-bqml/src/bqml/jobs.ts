/**
 * Running BigQuery query jobs the way BigQuery ML needs: `createQueryJob` (the job resource is the only place
 * `statementType`, `ddlOperationPerformed` and `mlStatistics` appear), polling `job.getMetadata()` for
 * training progress, then `getQueryResults`.
 */
import type { BigQuery, Job } from '@google-cloud/bigquery';
import {
  bigQueryClient,
  type CostEstimate,
  estimateBigQueryCost,
  type InitOptions,
  resolveConfig,
  toBigQueryError,
} from '@terra-vertex/core';
import type { SqlQuery } from './sql.ts';

/** Which BigQuery to use: a client you made, or the configuration (emulator or cloud) to make one from. */
export interface BigQueryTarget {
  /** A ready client; otherwise one is made from `config` (or the environment) with `bigQueryClient`. */
  bigquery?: BigQuery;
  /** Project and emulator settings for the client (`init()` and the environment fill the rest). */
  config?: InitOptions;
  /** Job location (default: the client's, else where the data is). */
  location?: string;
}

/** A client and the project that unqualified `dataset.table` names belong to. */
export interface ResolvedTarget {
  bigquery: BigQuery;
  project: string;
  location?: string;
}

/** Resolves a {@link BigQueryTarget} to a client and its default project. */
export async function resolveTarget(target: BigQueryTarget = {}): Promise<ResolvedTarget> {
  const loc = target.location ? { location: target.location } : {};
  if (target.bigquery) return { bigquery: target.bigquery, project: target.bigquery.projectId, ...loc };
  const config = await resolveConfig(target.config ?? {});
  return { bigquery: await bigQueryClient(config), project: config.project, ...loc };
}

/** `mlStatistics.iterationResults[]` of a CREATE MODEL job. */
export interface IterationResult {
  index?: number;
  durationMs?: string;
  trainingLoss?: number;
  evalLoss?: number;
  learnRate?: number;
  [field: string]: unknown;
}

/** `statistics.query.mlStatistics` of a CREATE MODEL job. */
export interface MlStatistics {
  maxIterations?: string;
  modelType?: string;
  trainingType?: string;
  iterationResults?: IterationResult[];
  [field: string]: unknown;
}

/** What a finished query job reports about itself. */
export interface JobStatistics {
  jobId: string;
  location?: string;
  /** `SELECT`, `CREATE_MODEL`, `DROP_MODEL` … */
  statementType?: string;
  /** `CREATE`, `REPLACE`, `SKIP`, `DROP` for DDL. */
  ddlOperationPerformed?: string;
  mlStatistics?: MlStatistics;
  totalBytesProcessed?: string;
}

/** A training job's progress, from `job.getMetadata()` while it runs. */
export interface BqmlProgress {
  jobId: string;
  /** `PENDING`, `RUNNING` or `DONE`. */
  state: string;
  /** Iterations finished so far (from `mlStatistics.iterationResults`). */
  iterations: number;
  maxIterations?: number;
  /** The latest iteration's losses and learning rate. */
  trainingLoss?: number;
  evalLoss?: number;
  learnRate?: number;
  elapsedMs: number;
}

/** Options of {@link runQueryJob}. */
export interface RunQueryOptions {
  /** Called after each `getMetadata()` poll until the job is DONE. */
  onProgress?: (p: BqmlProgress) => void;
  /** Milliseconds between polls (default 1,000). */
  pollMs?: number;
  location?: string;
  /** What the job is, for errors (`CREATE MODEL p.d.m`). */
  context?: string;
  /** Read only the first page of at most this many rows (default every row). */
  maxRows?: number;
  /** BigQuery's own limit: the job fails, billing nothing, when it would bill more bytes than this. */
  maximumBytesBilled?: number;
}

type JobMetadata = {
  jobReference?: { jobId?: string; location?: string };
  status?: { state?: string; errorResult?: { reason?: string; message?: string } };
  statistics?: {
    query?: {
      statementType?: string;
      ddlOperationPerformed?: string;
      mlStatistics?: MlStatistics;
      totalBytesProcessed?: string;
    };
  };
};

function progressOf(meta: JobMetadata, jobId: string, started: number): BqmlProgress {
  const ml = meta.statistics?.query?.mlStatistics;
  const its = ml?.iterationResults ?? [];
  const last = its.at(-1);
  const max = ml?.maxIterations === undefined ? undefined : Number(ml.maxIterations);
  return {
    jobId,
    state: meta.status?.state ?? 'PENDING',
    iterations: its.length,
    ...(max !== undefined && Number.isFinite(max) ? { maxIterations: max } : {}),
    ...(last?.trainingLoss !== undefined ? { trainingLoss: Number(last.trainingLoss) } : {}),
    ...(last?.evalLoss !== undefined ? { evalLoss: Number(last.evalLoss) } : {}),
    ...(last?.learnRate !== undefined ? { learnRate: Number(last.learnRate) } : {}),
    elapsedMs: Date.now() - started,
  };
}

/** The statistics BigQuery ML results come back in. */
export function jobStatistics(meta: JobMetadata, jobId: string): JobStatistics {
  const q = meta.statistics?.query ?? {};
  const location = meta.jobReference?.location;
  return {
    jobId,
    ...(location ? { location } : {}),
    ...(q.statementType ? { statementType: q.statementType } : {}),
    ...(q.ddlOperationPerformed ? { ddlOperationPerformed: q.ddlOperationPerformed } : {}),
    ...(q.mlStatistics ? { mlStatistics: q.mlStatistics } : {}),
    ...(q.totalBytesProcessed ? { totalBytesProcessed: q.totalBytesProcessed } : {}),
  };
}

/**
 * Runs `sql` as a query job: `createQueryJob`, polls `getMetadata()` for progress while the job runs (when
 * `onProgress` is given), reads every result row, and returns them with the job's statistics. A failed job
 * throws an `ApiError` carrying BigQuery's message.
 */
export async function runQueryJob(
  bigquery: BigQuery,
  sql: SqlQuery,
  options: RunQueryOptions = {},
): Promise<{ rows: Record<string, unknown>[]; columns: string[]; totalRows?: number; job: JobStatistics }> {
  const context = options.context ?? 'BigQuery query';
  const hasParams = Object.keys(sql.params).length > 0;
  const types = Object.keys(sql.types).length ? { types: sql.types } : {};
  let job: Job;
  try {
    [job] = await bigquery.createQueryJob({
      query: sql.query,
      ...(hasParams ? { params: sql.params, ...types } : {}),
      ...(options.location ? { location: options.location } : {}),
      ...(options.maximumBytesBilled !== undefined
        ? { maximumBytesBilled: String(Math.floor(options.maximumBytesBilled)) }
        : {}),
    });
  } catch (err) {
    throw toBigQueryError(err, context);
  }
  const jobId = job.id ?? '';
  const started = Date.now();
  try {
    if (options.onProgress) {
      for (;;) {
        const [meta] = (await job.getMetadata()) as unknown as [JobMetadata];
        options.onProgress(progressOf(meta, jobId, started));
        if (meta.status?.state === 'DONE') break;
        await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
      }
    }
    const page = options.maxRows !== undefined ? { maxResults: options.maxRows, autoPaginate: false } : {};
    const [rows, , response] = await job.getQueryResults(page);
    const [meta] = (await job.getMetadata()) as unknown as [JobMetadata];
    if (meta.status?.errorResult) throw meta.status.errorResult;
    const res = response as { schema?: { fields?: { name?: string }[] }; totalRows?: string } | undefined;
    const total = res?.totalRows === undefined ? undefined : Number(res.totalRows);
    return {
      rows: rows as Record<string, unknown>[],
      columns: (res?.schema?.fields ?? []).map((f) => f.name ?? ''),
      ...(total !== undefined && Number.isFinite(total) ? { totalRows: total } : {}),
      job: jobStatistics(meta, jobId),
    };
  } catch (err) {
    throw toBigQueryError(err, `${context} (job ${jobId})`);
  }
}

/**
 * Dry-runs `sql` (BigQuery validates it and reports what it would process, billing nothing) and returns
 * `statistics.totalBytesProcessed`.
 */
export async function dryRunQueryJob(
  bigquery: BigQuery,
  sql: SqlQuery,
  options: Pick<RunQueryOptions, 'location' | 'context'> = {},
): Promise<number> {
  const hasParams = Object.keys(sql.params).length > 0;
  const types = Object.keys(sql.types).length ? { types: sql.types } : {};
  try {
    const [job] = await bigquery.createQueryJob({
      query: sql.query,
      dryRun: true,
      ...(hasParams ? { params: sql.params, ...types } : {}),
      ...(options.location ? { location: options.location } : {}),
    });
    const meta = job.metadata as JobMetadata & { statistics?: { totalBytesProcessed?: string } };
    if (meta.status?.errorResult) throw meta.status.errorResult;
    return Number(meta.statistics?.query?.totalBytesProcessed ?? meta.statistics?.totalBytesProcessed ?? 0);
  } catch (err) {
    throw toBigQueryError(err, `${options.context ?? 'BigQuery query'} (dry run)`);
  }
}

/** A CREATE MODEL statement priced from its dry run at the BigQuery ML on-demand price (one input table). */
export async function createModelCost(
  bigquery: BigQuery,
  sql: SqlQuery,
  model: string,
  location?: string,
): Promise<CostEstimate> {
  const bytes = await dryRunQueryJob(bigquery, sql, {
    ...(location ? { location } : {}),
    context: `CREATE MODEL ${model}`,
  });
  return estimateBigQueryCost(bytes, {
    createModel: true,
    tables: 1,
    what: `BigQuery ML CREATE MODEL ${model}`,
  });
}
