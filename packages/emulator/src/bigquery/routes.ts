/**
 * The local BigQuery on the emulator's HTTP server: BigQuery REST v2 under `/bigquery/v2` (the client's
 * `apiEndpoint`) and under no prefix (`BIGQUERY_EMULATOR_HOST` is used as the base URL verbatim), plus the
 * upload endpoint of load jobs, with BigQuery's JSON bodies and error replies (./http.ts).
 */
import type { FastifyInstance } from 'fastify';
import { catalogRoutes } from './catalog/routes.ts';
import { uploadRoutes } from './catalog/upload-routes.ts';
import type { BigQueryDeps } from './deps.ts';
import { installJsonApi } from './http.ts';
import { jobRoutes } from './jobs/job-routes.ts';
import type { JobService } from './jobs/job-service.ts';
import type { JobStore } from './jobs/job-store.ts';

/** Registers the local BigQuery on `app`. */
export function registerBigQueryRoutes(
  app: FastifyInstance,
  deps: BigQueryDeps & { jobStore: JobStore; jobService: JobService },
): void {
  for (const prefix of ['/bigquery/v2', '']) {
    app.register(
      async (scope) => {
        installJsonApi(scope);
        catalogRoutes(scope, deps);
        jobRoutes(scope, { store: deps.jobStore, service: deps.jobService, warehouse: deps.warehouse });
        deps.bqml.routes(scope);
      },
      { prefix },
    );
  }
  // Its own scope, parsers and error replies: upload bodies are streamed, not JSON.
  uploadRoutes(app, deps);
}
