/**
 * HTTP plumbing shared by the local BigQuery's route groups (catalog, jobs, models): JSON bodies and
 * BigQuery-shaped error replies.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { StorageError } from '../storage/index.ts';
import { asBigQueryError, BigQueryError, invalid, isDuckDbError } from './errors.ts';

/**
 * Turns any error into a BigQueryError: Cloud Storage errors keep their status and reason, Fastify's
 * request errors become 400 `invalid`, DuckDB's go through {@link asBigQueryError}, anything else is a 500
 * `backendError` (a bug of the emulator, not of the request).
 */
export function toBigQueryError(err: unknown): BigQueryError {
  if (err instanceof BigQueryError) return err;
  if (err instanceof StorageError) return new BigQueryError(err.code, err.reason, err.message);
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new BigQueryError(status, 'invalid', (err as Error).message);
  const message = err instanceof Error ? err.message : String(err);
  if (isDuckDbError(message)) return asBigQueryError(err);
  return new BigQueryError(500, 'backendError', message);
}

/** Sends an error as BigQuery does: `{error:{code, message, status, errors:[{reason, message, domain}]}}`. */
export function sendBigQueryError(reply: FastifyReply, err: unknown): FastifyReply {
  const error = toBigQueryError(err);
  if (error.code >= 500) reply.log.error({ err }, 'local BigQuery error');
  return reply.code(error.code).type('application/json; charset=UTF-8').send(JSON.stringify(error.toJSON()));
}

/** JSON bodies (an empty body is `{}`), BigQuery-shaped errors, for the scope's routes. */
export function installJsonApi(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string', bodyLimit: 64 * 2 ** 20 },
    (_req, text, done) => {
      try {
        done(null, (text as string).trim() === '' ? {} : JSON.parse(text as string));
      } catch (err) {
        done(invalid(`The request body is not valid JSON (${(err as Error).message}). Send a JSON object.`));
      }
    },
  );
  scope.setErrorHandler((err: FastifyError | BigQueryError, _request, reply) =>
    sendBigQueryError(reply, err),
  );
}
