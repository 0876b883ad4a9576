/**
 * The local BigQuery: BigQuery REST v2 on DuckDB, with BigQuery ML on scikit-learn, XGBoost and PyTorch.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ObjectStore } from '../storage/index.ts';
import { BqmlService } from './bqml/bqml-service.ts';
import { JobService } from './jobs/job-service.ts';
import { JobStore } from './jobs/job-store.ts';
import { registerBigQueryRoutes } from './routes.ts';
import { quoteIdent, Warehouse } from './warehouse.ts';

export { BigQueryError } from './errors.ts';
export { initTranslator } from './sql/polyglot.ts';
export { translate } from './sql/translate.ts';
export { Warehouse } from './warehouse.ts';

/** A started local BigQuery. */
export interface LocalBigQuery {
  warehouse: Warehouse;
  bqml: BqmlService;
  /** Mounts the REST API on the emulator's HTTP server. */
  register(app: FastifyInstance): void;
  /** Drops every dataset, table, model and job. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Opens the local BigQuery's state under `{dataDir}/bigquery`. */
export async function startLocalBigQuery(options: {
  dataDir: string;
  objects: ObjectStore;
  python: string;
}): Promise<LocalBigQuery> {
  const root = join(options.dataDir, 'bigquery');
  const warehouse = await Warehouse.open(options.dataDir);
  const bqml = new BqmlService({ warehouse, python: options.python, dataDir: options.dataDir });
  const jobStore = new JobStore(root);
  const jobService = new JobService(jobStore);
  const deps = { warehouse, objects: options.objects, root, bqml };
  jobService.attach(deps);
  return {
    warehouse,
    bqml,
    register: (app) => registerBigQueryRoutes(app, { ...deps, jobs: jobService, jobStore, jobService }),
    reset: async () => {
      jobStore.clear();
      const conn = await warehouse.connect();
      try {
        const schemas = await conn.runAndReadAll(
          "SELECT schema_name FROM information_schema.schemata WHERE catalog_name = current_database() AND schema_name NOT IN ('main', 'information_schema', 'pg_catalog')",
        );
        for (const [name] of schemas.getRows()) {
          const [projectId, ...rest] = String(name).split('.');
          if (rest.length) await bqml.dropDatasetModels(projectId as string, rest.join('.'));
          await conn.run(`DROP SCHEMA IF EXISTS ${quoteIdent(String(name))} CASCADE`);
        }
      } finally {
        conn.closeSync();
      }
      rmSync(join(root, 'catalog'), { recursive: true, force: true });
    },
    stop: async () => {
      await bqml.close();
      warehouse.close();
    },
  };
}
