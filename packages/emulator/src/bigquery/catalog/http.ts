/**
 * HTTP plumbing of the catalog routes: JSON bodies, BigQuery-shaped error replies and query parameters.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StorageError } from '../../storage/index.ts';
import type { BigQueryDeps } from '../deps.ts';
import { asBigQueryError, BigQueryError, invalid } from '../errors.ts';

/**
 * Turns any error into a BigQueryError: Cloud Storage errors keep their status and reason, Fastify's
 * request errors become 400 `invalid`, everything else goes through {@link asBigQueryError}.
 */
export function toBigQueryError(err: unknown): BigQueryError {
  if (err instanceof BigQueryError) return err;
  if (err instanceof StorageError) return new BigQueryError(err.code, err.reason, err.message);
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new BigQueryError(status, 'invalid', (err as Error).message);
  return asBigQueryError(err);
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

/** A query parameter as one string (the first if repeated). */
export function queryParam(request: FastifyRequest, key: string): string | undefined {
  const value = (request.query as Record<string, string | string[] | undefined>)[key];
  return Array.isArray(value) ? value[0] : value;
}

/** A boolean query parameter (`true`/`false`/`1`/`0`); `undefined` when absent. */
export function boolParam(request: FastifyRequest, key: string): boolean | undefined {
  const value = queryParam(request, key);
  if (value === undefined || value === '') return undefined;
  if (/^(true|1)$/i.test(value)) return true;
  if (/^(false|0)$/i.test(value)) return false;
  throw invalid(`Query parameter ${key}=${JSON.stringify(value)} is not a boolean. Pass true or false.`);
}

/** A non-negative integer query parameter; `undefined` when absent. */
export function intParam(request: FastifyRequest, key: string): number | undefined {
  const value = queryParam(request, key);
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value))
    throw invalid(`Query parameter ${key}=${JSON.stringify(value)} is not a non-negative integer.`);
  return Number(value);
}

/** The request body as a JSON object (400 naming the fix otherwise). */
export function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalid('The request body must be a JSON object (a BigQuery REST resource).');
  return body as Record<string, unknown>;
}

/** Runs `fn` on a fresh warehouse connection, closed afterwards. */
export async function withConnection<T>(
  deps: BigQueryDeps,
  fn: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const conn = await deps.warehouse.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    return await fn(conn);
  } finally {
    conn.closeSync();
  }
}

/** Page tokens are row or item offsets, as opaque strings. */
export function pageOffset(token: string | undefined): number {
  if (!token) return 0;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^o:\d+$/.test(decoded))
    throw invalid(
      `pageToken ${JSON.stringify(token)} is not one this server gave. Pass the pageToken of the previous page.`,
    );
  return Number(decoded.slice(2));
}

/** The page token for a page starting at `offset`. */
export function pageToken(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}
