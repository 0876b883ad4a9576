/**
 * Test harness of the catalog (used by its tests only): a real Fastify app with the catalog routes under
 * `/bigquery/v2` and at the root, the upload routes, a real DuckDB warehouse and object store, and a job
 * submitter that runs load/copy/extract jobs synchronously.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { ObjectStore } from '../../storage/index.ts';
import type { BqmlService } from '../bqml/bqml-service.ts';
import type { BigQueryDeps, JobSubmitter, JsonObject } from '../deps.ts';
import { toBigQueryError } from '../http.ts';
import { Warehouse } from '../warehouse.ts';
import { runCopyJob, runExtractJob } from './copy-extract.ts';
import { runLoadJob } from './load-job.ts';
import { catalogRoutes } from './routes.ts';
import { uploadRoutes } from './upload-routes.ts';

/** A running harness. */
export interface CatalogHarness {
  app: FastifyInstance;
  deps: BigQueryDeps;
  objects: ObjectStore;
  dataDir: string;
  /** `projectId.datasetId` of every dataset whose models were dropped. */
  dropped: string[];
  /** Calls a route (`url` relative to `/bigquery/v2/projects/{project}/` unless it starts with `/`). */
  call(method: string, url: string, body?: unknown): Promise<{ status: number; json: JsonObject }>;
  /** Inserts a load/copy/extract job and returns the finished Job resource. */
  job(kind: 'load' | 'copy' | 'extract', config: JsonObject): Promise<JsonObject>;
  close(): Promise<void>;
}

/** The project the harness's calls use. */
export const PROJECT = 'proj';

/** Runs jobs synchronously on their own connection, as the job service does in the background. */
function syncJobs(deps: () => BigQueryDeps): JobSubmitter {
  return {
    async insert(projectId, body, extras = {}) {
      const config = body.configuration as JsonObject;
      const conn = await deps().warehouse.connect();
      const job: JsonObject = {
        kind: 'bigquery#job',
        jobReference: { projectId, jobId: 'j1', location: 'US' },
      };
      try {
        const ctx = { deps: deps(), projectId, uploadedFile: extras.uploadedFile };
        const statistics = config.load
          ? { load: await runLoadJob(conn, config.load as JsonObject, ctx) }
          : config.copy
            ? { copy: await runCopyJob(conn, config.copy as JsonObject, ctx) }
            : { extract: await runExtractJob(conn, config.extract as JsonObject, ctx) };
        return { ...job, configuration: config, status: { state: 'DONE' }, statistics };
      } catch (err) {
        const errorResult = toBigQueryError(err).toErrorProto();
        return {
          ...job,
          configuration: config,
          status: { state: 'DONE', errorResult, errors: [errorResult] },
        };
      } finally {
        conn.closeSync();
      }
    },
  };
}

/** Starts the harness in a fresh temporary folder, with a bucket `bkt`. */
export async function startCatalogHarness(): Promise<CatalogHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tvx-bq-catalog-'));
  const warehouse = await Warehouse.open(dataDir);
  const objects = new ObjectStore(join(dataDir, 'gcs'));
  await objects.createBucket('bkt');
  const dropped: string[] = [];
  // BigQuery ML is another module; the catalog only asks it these two things.
  const bqml = {
    hasModel: (ref: { modelId: string }) => ref.modelId === 'taken_model',
    dropDatasetModels: async (p: string, d: string) => {
      dropped.push(`${p}.${d}`);
    },
  } as unknown as BqmlService;
  const deps: BigQueryDeps = {
    warehouse,
    objects,
    root: join(dataDir, 'bigquery'),
    bqml,
    jobs: syncJobs(() => deps),
  };
  const app = Fastify();
  app.register(async (scope) => catalogRoutes(scope, deps), { prefix: '/bigquery/v2' });
  app.register(async (scope) => catalogRoutes(scope, deps));
  app.register(async (scope) => uploadRoutes(scope, deps));
  app.post('/test-jobs', async (request) => deps.jobs.insert(PROJECT, request.body as JsonObject));
  await app.ready();
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url: url.startsWith('/') ? url : `/bigquery/v2/projects/${PROJECT}/${url}`,
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, json: (res.body ? JSON.parse(res.body) : undefined) as JsonObject };
  };
  return {
    app,
    deps,
    objects,
    dataDir,
    dropped,
    call,
    job: async (kind, config) =>
      (await call('POST', '/test-jobs', { configuration: { [kind]: config } })).json,
    close: async () => {
      await app.close();
      warehouse.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `v`s of a tabledata/query answer's rows. */
export function rowsOf(json: JsonObject): unknown[][] {
  return ((json.rows ?? []) as { f: { v: unknown }[] }[]).map((r) => r.f.map((c) => c.v));
}
