/**
 * The local BigQuery on the emulator's HTTP server: BigQuery REST v2 under `/bigquery/v2` (the client's
 * `apiEndpoint`) and under no prefix (`BIGQUERY_EMULATOR_HOST` is used as the base URL verbatim), plus the
 * upload endpoint of load jobs. Each group has its own JSON parser and BigQuery-shaped errors.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { catalogRoutes } from './catalog/routes.ts';
import { uploadRoutes } from './catalog/upload-routes.ts';
import type { BigQueryDeps } from './deps.ts';
import { BigQueryError } from './errors.ts';
import { jobRoutes } from './jobs/job-routes.ts';
import type { JobService } from './jobs/job-service.ts';
import type { JobStore } from './jobs/job-store.ts';

/** Sends any error as BigQuery's `{error: {...}}`. */
export function bigQueryErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((err: FastifyError | BigQueryError, _req, reply) => {
    let error: BigQueryError;
    if (err instanceof BigQueryError) error = err;
    else {
      const status = (err as FastifyError).statusCode;
      const code = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
      error = new BigQueryError(code, code < 500 ? 'invalid' : 'backendError', err.message);
      if (code >= 500) reply.log.error({ err }, 'BigQuery emulator error');
    }
    return reply
      .code(error.code)
      .type('application/json; charset=UTF-8')
      .send(JSON.stringify(error.toJSON()));
  });
}

function jsonParser(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 64 * 2 ** 20 },
    (_req, text, done) => {
      try {
        done(null, (text as string).trim() === '' ? {} : JSON.parse(text as string));
      } catch (err) {
        done(
          new BigQueryError(
            400,
            'parseError',
            `The request body is not valid JSON (${(err as Error).message}).`,
          ),
          undefined,
        );
      }
    },
  );
}

/** Registers the local BigQuery on `app`. */
export function registerBigQueryRoutes(
  app: FastifyInstance,
  deps: BigQueryDeps & { jobStore: JobStore; jobService: JobService },
): void {
  for (const prefix of ['/bigquery/v2', '']) {
    app.register(
      async (scope) => {
        jsonParser(scope);
        bigQueryErrorHandler(scope);
        catalogRoutes(scope, deps);
        jobRoutes(scope, { store: deps.jobStore, service: deps.jobService, warehouse: deps.warehouse });
        deps.bqml.routes(scope);
      },
      { prefix },
    );
  }
  app.register(async (scope) => {
    bigQueryErrorHandler(scope);
    uploadRoutes(scope, deps);
  });
}
