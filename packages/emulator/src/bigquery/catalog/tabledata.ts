/**
 * tabledata.list (rows of a table in BigQuery's REST shape, paged) and tabledata.insertAll (streaming
 * inserts with per-row errors, `skipInvalidRows`, `ignoreUnknownValues` and best-effort `insertId`
 * de-duplication for a minute, as BigQuery does).
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonObject } from '../deps.ts';
import { invalid } from '../errors.ts';
import type { TableRef } from '../types.ts';
import { encodeRows, fieldOf, quoteIdent } from '../warehouse.ts';
import { pageToken } from './http.ts';
import { convertedColumns, convertJsonRows } from './json-rows.ts';
import type { CatalogContext } from './meta-store.ts';
import { tableName } from './names.ts';
import { reportedSchema } from './schema.ts';
import { requireTable } from './tables.ts';

/** Options of {@link listTableData}. */
export interface ListOptions {
  offset: number;
  maxResults?: number;
  /** Comma-separated top-level field names. */
  selectedFields?: string;
  int64Timestamp?: boolean;
}

const DEFAULT_PAGE = 100_000;

async function requireBaseTable(ctx: CatalogContext, conn: DuckDBConnection, ref: TableRef, what: string) {
  if ((await requireTable(ctx, conn, ref)) === 'VIEW')
    throw invalid(`Cannot ${what} ${tableName(ref)}: it is a VIEW. Query the view instead.`);
}

/** tabledata.list. */
export async function listTableData(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  ref: TableRef,
  opts: ListOptions,
): Promise<JsonObject> {
  await requireBaseTable(ctx, conn, ref, 'list rows of');
  const schema = await ctx.deps.warehouse.tableSchema(conn, ref);
  let names = schema.map((f) => f.name);
  if (opts.selectedFields) {
    names = opts.selectedFields
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((wanted) => {
        if (wanted.includes('.'))
          throw invalid(
            `selectedFields ${JSON.stringify(wanted)}: nested field paths are not supported by the local BigQuery. Select the top-level field ${wanted.split('.')[0]}.`,
          );
        const found = schema.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
        if (!found)
          throw invalid(
            `selectedFields names ${JSON.stringify(wanted)}, which is not a field of ${tableName(ref)}.`,
          );
        return found.name;
      });
  }
  const table = ctx.deps.warehouse.tableSql(ref);
  const total = Number(
    (await conn.runAndReadAll(`SELECT count(*)::BIGINT FROM ${table}`)).getRowsJS()[0]?.[0] ?? 0,
  );
  const limit = Math.max(0, opts.maxResults ?? DEFAULT_PAGE);
  const reader = await conn.runAndReadAll(
    `SELECT ${names.map(quoteIdent).join(', ')} FROM ${table} LIMIT ${limit} OFFSET ${opts.offset}`,
  );
  const fields = reader.columnNames().map((n, i) => fieldOf(n, reader.columnType(i)));
  const rows = encodeRows(reader.getRows(), fields, { int64Timestamp: opts.int64Timestamp });
  const next = opts.offset + rows.length;
  const body: JsonObject = { kind: 'bigquery#tableDataList', totalRows: String(total) };
  if (rows.length > 0) body.rows = rows;
  if (next < total && limit > 0) body.pageToken = pageToken(next);
  body.etag = Buffer.from(`${total}:${opts.offset}:${rows.length}`).toString('base64');
  return body;
}

/** insertIds seen per table in the last minute: table key → insertId → expiry (ms). */
const recentIds = new Map<string, Map<string, number>>();
const DEDUP_MS = 60_000;

function seenIds(key: string): Map<string, number> {
  let ids = recentIds.get(key);
  if (!ids) {
    ids = new Map();
    recentIds.set(key, ids);
  }
  const now = Date.now();
  for (const [id, expiry] of ids) if (expiry < now) ids.delete(id);
  return ids;
}

/** tabledata.insertAll: answers `{kind, insertErrors?}` like BigQuery. */
export async function insertAll(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  ref: TableRef,
  body: JsonObject,
): Promise<JsonObject> {
  await requireBaseTable(ctx, conn, ref, 'insert rows into');
  if (body.templateSuffix !== undefined)
    throw invalid(
      'templateSuffix is not supported by the local BigQuery. Insert into the target table directly.',
    );
  if (!Array.isArray(body.rows))
    throw invalid('The insertAll body needs "rows": [{"json": {…}, "insertId"?}, …].');
  const rows = body.rows as { insertId?: unknown; json?: unknown }[];
  const response: JsonObject = { kind: 'bigquery#tableDataInsertAllResponse' };
  if (rows.length === 0) return response;
  const ids = seenIds(tableName(ref));
  const batch: { i: number; j: unknown }[] = [];
  const batchIds = new Set<string>();
  rows.forEach((row, i) => {
    const id = typeof row?.insertId === 'string' && row.insertId !== '' ? row.insertId : undefined;
    if (id && (ids.has(id) || batchIds.has(id))) return;
    if (id) batchIds.add(id);
    batch.push({ i, j: row?.json ?? null });
  });
  const given = (await ctx.store.readDataset(ref.projectId, ref.datasetId))?.tables[ref.tableId]?.schema;
  const schema = await reportedSchema(ctx.deps.warehouse, conn, ref, given);
  const target = `__tvx_insert_${randomUUID().replaceAll('-', '')}`;
  try {
    await convertJsonRows(conn, {
      source: `SELECT NULL::VARCHAR AS __file, (e->>'$.i')::BIGINT AS __row, e->'$.j' AS __j FROM (SELECT unnest($rows::JSON[]) AS e)`,
      target,
      fields: schema,
      ignoreUnknownValues: body.ignoreUnknownValues === true,
      params: { rows: JSON.stringify(batch) },
    });
    const bad = (
      await conn.runAndReadAll(
        `SELECT __row, __tvx_error.location, __tvx_error.message FROM ${quoteIdent(target)} WHERE __tvx_error IS NOT NULL ORDER BY __row`,
      )
    ).getRowsJS();
    const insertErrors: JsonObject[] = bad.map(([row, location, message]) => ({
      index: Number(row),
      errors: [
        { reason: 'invalid', location: String(location ?? ''), debugInfo: '', message: String(message) },
      ],
    }));
    if (bad.length > 0 && body.skipInvalidRows !== true) {
      const badRows = new Set(bad.map(([row]) => Number(row)));
      for (const { i } of batch) {
        if (!badRows.has(i))
          insertErrors.push({
            index: i,
            errors: [{ reason: 'stopped', location: '', debugInfo: '', message: '' }],
          });
      }
      insertErrors.sort((a, b) => (a.index as number) - (b.index as number));
      response.insertErrors = insertErrors;
      return response;
    }
    await conn.run(
      `INSERT INTO ${ctx.deps.warehouse.tableSql(ref)} BY NAME SELECT ${convertedColumns(schema)} FROM ${quoteIdent(target)} WHERE __tvx_error IS NULL ORDER BY __row`,
    );
    const badRows = new Set(bad.map(([row]) => Number(row)));
    const expiry = Date.now() + DEDUP_MS;
    rows.forEach((row, i) => {
      if (typeof row?.insertId === 'string' && row.insertId !== '' && !badRows.has(i))
        ids.set(row.insertId, expiry);
    });
    await ctx.store.touchTable(ref);
    if (insertErrors.length > 0) response.insertErrors = insertErrors;
    return response;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(target)}`);
  }
}
