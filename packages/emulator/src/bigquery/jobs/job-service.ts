/**
 * jobs.insert and the life of a job: checked at insert, run in the background on its own DuckDB connection,
 * DONE with statistics or with `status.errorResult`. Query, load, copy and extract jobs.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runCopyJob, runExtractJob } from '../catalog/copy-extract.ts';
import { runLoadJob } from '../catalog/load-job.ts';
import type { BigQueryDeps, JobSubmitter, JsonObject } from '../deps.ts';
import { asBigQueryError, BigQueryError, invalid, invalidQuery } from '../errors.ts';
import { bindParameters, type QueryParameter } from '../sql/params.ts';
import { initTranslator } from '../sql/polyglot.ts';
import { translate } from '../sql/translate.ts';
import type { TableRef } from '../types.ts';
import type { JobStore, StoredJob } from './job-store.ts';
import { runStatement } from './query-runner.ts';

const JOB_ID = /^[A-Za-z0-9_-]{1,1024}$/;

/** Inserts and runs jobs. */
export class JobService implements JobSubmitter {
  private readonly store: JobStore;
  private deps: Omit<BigQueryDeps, 'jobs'> | undefined;

  constructor(store: JobStore) {
    this.store = store;
  }

  /** Connects the service to the rest of the local BigQuery (done once, after all parts exist). */
  attach(deps: Omit<BigQueryDeps, 'jobs'>): void {
    this.deps = deps;
  }

  private get parts(): Omit<BigQueryDeps, 'jobs'> {
    if (!this.deps) throw new Error('JobService used before attach()');
    return this.deps;
  }

  async insert(
    projectId: string,
    body: JsonObject,
    extras: { uploadedFile?: string } = {},
  ): Promise<JsonObject> {
    const ref = (body.jobReference ?? {}) as { jobId?: string; location?: string };
    const jobId = ref.jobId ?? `job_${randomUUID().replaceAll('-', '_')}`;
    if (!JOB_ID.test(jobId))
      throw invalid(
        `jobReference.jobId ${JSON.stringify(jobId)} is not valid: use letters, digits, _ and - (at most 1024).`,
      );
    const location = ref.location ?? 'US';
    if (this.store.has(projectId, jobId))
      throw new BigQueryError(409, 'duplicate', `Already Exists: Job ${projectId}:${location}.${jobId}`);
    const configuration = { ...((body.configuration ?? {}) as JsonObject) };
    const jobType = ['query', 'load', 'copy', 'extract'].find((k) => configuration[k]);
    if (!jobType) throw invalid('configuration must have one of query, load, copy or extract.');
    configuration.jobType = jobType.toUpperCase();
    const now = String(Date.now());
    const resource: JsonObject = {
      kind: 'bigquery#job',
      etag: randomUUID(),
      id: `${projectId}:${location}.${jobId}`,
      selfLink: `/bigquery/v2/projects/${projectId}/jobs/${jobId}?location=${location}`,
      user_email: 'emulator@terra-vertex.local',
      jobReference: { projectId, jobId, location },
      configuration,
      status: { state: 'RUNNING' },
      statistics: { creationTime: now, startTime: now },
    };
    const job: StoredJob = { resource };
    this.store.put(projectId, jobId, job);
    if (configuration.dryRun || (body.configuration && (body.configuration as JsonObject).dryRun)) {
      await this.dryRun(job, projectId);
      return resource;
    }
    let cancelled = false;
    job.cancel = () => {
      cancelled = true;
    };
    job.done = this.execute(job, projectId, jobType, extras, () => cancelled);
    return resource;
  }

  private async dryRun(job: StoredJob, projectId: string): Promise<void> {
    const query = (job.resource.configuration as JsonObject).query as JsonObject | undefined;
    try {
      if (!query) throw invalid('dryRun is supported for query jobs only.');
      const { statement, tables } = await prepareQuery(projectId, query);
      const conn = await this.parts.warehouse.connect();
      try {
        const bytes = await estimateBytes(conn, tables);
        this.finish(job, projectId, {
          totalBytesProcessed: bytes,
          query: { statementType: statement.statementType, totalBytesProcessed: bytes },
        });
      } finally {
        conn.closeSync();
      }
    } catch (err) {
      this.fail(job, projectId, err);
    }
  }

  private async execute(
    job: StoredJob,
    projectId: string,
    jobType: string,
    extras: { uploadedFile?: string },
    cancelled: () => boolean,
  ): Promise<void> {
    const deps = this.parts;
    const config = job.resource.configuration as JsonObject;
    const conn = await deps.warehouse.connect();
    try {
      const ctx = { deps: { ...deps, jobs: this }, projectId, uploadedFile: extras.uploadedFile };
      if (jobType === 'load')
        this.finish(job, projectId, { load: await runLoadJob(conn, config.load as JsonObject, ctx) });
      else if (jobType === 'copy')
        this.finish(job, projectId, { copy: await runCopyJob(conn, config.copy as JsonObject, ctx) });
      else if (jobType === 'extract')
        this.finish(job, projectId, {
          extract: await runExtractJob(conn, config.extract as JsonObject, ctx),
        });
      else await this.runQuery(job, projectId, conn);
      if (cancelled())
        this.fail(
          job,
          projectId,
          new BigQueryError(400, 'stopped', 'Job execution was cancelled: User requested cancellation'),
        );
    } catch (err) {
      this.fail(job, projectId, err);
    } finally {
      conn.closeSync();
    }
  }

  private async runQuery(job: StoredJob, projectId: string, conn: DuckDBConnection): Promise<void> {
    const deps = this.parts;
    const query = (job.resource.configuration as JsonObject).query as JsonObject;
    const { params, statement: st, tables } = await prepareQuery(projectId, query);
    const bytes = await estimateBytes(conn, tables);
    const stats = job.resource.statistics as JsonObject;
    stats.query = { statementType: st.statementType };
    const jobId = (job.resource.jobReference as { jobId: string }).jobId;
    const out = await runStatement(
      {
        conn,
        warehouse: deps.warehouse,
        bqml: deps.bqml,
        params,
        resultsName: `${projectId}:${jobId}`,
        destination: query.destinationTable as TableRef | undefined,
        writeDisposition: query.writeDisposition as string | undefined,
        createDisposition: query.createDisposition as string | undefined,
        onMlProgress: (ml) => {
          stats.query = { statementType: st.statementType, mlStatistics: ml };
          this.store.save(projectId, jobId);
        },
      },
      st,
    );
    job.resultsTable = out.resultsTable;
    const { totalRows: _rows, ...queryStats } = out.statistics;
    this.finish(job, projectId, {
      totalBytesProcessed: bytes,
      query: {
        ...queryStats,
        totalBytesProcessed: bytes,
        totalBytesBilled: bytes,
        cacheHit: false,
        totalSlotMs: '0',
      },
    });
  }

  private finish(job: StoredJob, projectId: string, statistics: JsonObject): void {
    const stats = job.resource.statistics as JsonObject;
    Object.assign(stats, statistics, { endTime: String(Date.now()) });
    job.resource.status = { state: 'DONE' };
    this.store.save(projectId, (job.resource.jobReference as { jobId: string }).jobId);
  }

  private fail(job: StoredJob, projectId: string, err: unknown): void {
    const error = asBigQueryError(err);
    const stats = job.resource.statistics as JsonObject;
    stats.endTime = String(Date.now());
    job.resource.status = {
      state: 'DONE',
      errorResult: error.toErrorProto(),
      errors: [error.toErrorProto()],
    };
    job.resultsTable = undefined;
    this.store.save(projectId, (job.resource.jobReference as { jobId: string }).jobId);
  }
}

/** A query job's configuration checked, its parameters bound and its SQL translated; with the tables it reads. */
async function prepareQuery(projectId: string, query: JsonObject) {
  if (query.useLegacySql === true)
    throw invalidQuery(
      'Legacy SQL is not supported by the local BigQuery: set useLegacySql to false (GoogleSQL).',
    );
  if (typeof query.query !== 'string' || !query.query.trim())
    throw invalid('configuration.query.query is missing: give the SQL to run.');
  const params = bindParameters(query.queryParameters as QueryParameter[], query.parameterMode as string);
  await initTranslator();
  const statement = translate(query.query, namesOf(projectId, query), params.plain);
  const tables =
    statement.kind === 'sql'
      ? statement.tables
      : statement.kind === 'createModel'
        ? statement.query.tables
        : [];
  return { params, statement, tables };
}

function namesOf(projectId: string, query: JsonObject) {
  const ds = query.defaultDataset as { projectId?: string; datasetId: string } | undefined;
  return { projectId, ...(ds?.datasetId ? { defaultDataset: ds } : {}) };
}

/** Bytes a query reads, estimated from the tables it names (8 bytes a cell, as a FLOAT64 column would bill). */
async function estimateBytes(conn: DuckDBConnection, tables: TableRef[]): Promise<string> {
  let total = 0;
  for (const t of tables) {
    const r = await conn.runAndReadAll(
      'SELECT estimated_size, column_count FROM duckdb_tables() WHERE schema_name = $s AND table_name = $t',
      { s: `${t.projectId}.${t.datasetId}`, t: t.tableId },
    );
    const [rows, cols] = (r.getRows()[0] ?? [0, 0]) as [bigint | number, bigint | number];
    total += Number(rows) * Number(cols) * 8;
  }
  return String(total);
}
