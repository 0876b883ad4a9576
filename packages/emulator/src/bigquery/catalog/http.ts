/**
 * HTTP plumbing of the catalog routes: query parameters, bodies, connections and page tokens (JSON bodies and
 * error replies are ../http.ts, shared with the job and model routes).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FastifyRequest } from 'fastify';
import type { BigQueryDeps } from '../deps.ts';
import { invalid } from '../errors.ts';

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
