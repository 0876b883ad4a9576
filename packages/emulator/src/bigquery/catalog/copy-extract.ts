/**
 * Copy jobs (`configuration.copy`: tables into a table, with write and create dispositions) and extract
 * jobs (`configuration.extract`: a table into CSV, newline-delimited JSON or Parquet objects in the local
 * Cloud Storage, values formatted as BigQuery exports them).
 */
import { rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonObject } from '../deps.ts';
import { invalid, notFound } from '../errors.ts';
import { toBigQueryError } from '../http.ts';
import type { TableFieldSchema, TableRef } from '../types.ts';
import { quoteIdent, quoteString } from '../warehouse.ts';
import { requireDataset } from './datasets.ts';
import { beginTransaction, countRows, enumField, type JobContext, notEmpty } from './load-job.ts';
import { catalogContext } from './meta-store.ts';
import { parseTableRef, tableName } from './names.ts';
import { reportedSchema, sameColumns, tableStats } from './schema.ts';
import { parseGcsUri } from './sources.ts';
import { createTable, refuseModelName, requireTable, tableType } from './tables.ts';

/** Runs `configuration.copy` and returns `statistics.copy` (`copiedRows`, `copiedLogicalBytes`). */
export async function runCopyJob(
  conn: DuckDBConnection,
  copy: JsonObject,
  job: JobContext,
): Promise<JsonObject> {
  const ctx = catalogContext(job.deps);
  const wh = job.deps.warehouse;
  const op = enumField(
    copy.operationType,
    'COPY',
    ['COPY', 'CLONE', 'SNAPSHOT', 'RESTORE'],
    'configuration.copy.operationType',
  );
  if (op === 'SNAPSHOT' || op === 'RESTORE')
    throw invalid(`configuration.copy.operationType ${op} is not supported by the local BigQuery. Use COPY.`);
  const rawSources = Array.isArray(copy.sourceTables)
    ? copy.sourceTables
    : copy.sourceTable
      ? [copy.sourceTable]
      : [];
  if (rawSources.length === 0) throw invalid('configuration.copy needs sourceTable or sourceTables.');
  const sources = rawSources.map((s, i) =>
    parseTableRef(s, `configuration.copy.sourceTables[${i}]`, job.projectId),
  );
  const dest = parseTableRef(copy.destinationTable, 'configuration.copy.destinationTable', job.projectId);
  const write = enumField(
    copy.writeDisposition,
    'WRITE_EMPTY',
    ['WRITE_APPEND', 'WRITE_TRUNCATE', 'WRITE_EMPTY'],
    'configuration.copy.writeDisposition',
  );
  const create = enumField(
    copy.createDisposition,
    'CREATE_IF_NEEDED',
    ['CREATE_IF_NEEDED', 'CREATE_NEVER'],
    'configuration.copy.createDisposition',
  );
  const metas = async (ref: TableRef) =>
    (await ctx.store.readDataset(ref.projectId, ref.datasetId))?.tables[ref.tableId]?.schema;
  let fields: TableFieldSchema[] | undefined;
  for (const src of sources) {
    if ((await requireTable(ctx, conn, src)) === 'VIEW')
      throw invalid(
        `Cannot copy ${tableName(src)}: it is a VIEW. Copy a table, or query the view into a destination table.`,
      );
    if (tableName(src) === tableName(dest))
      throw invalid(`Cannot copy ${tableName(src)} onto itself. Choose another destinationTable.`);
    const schema = await reportedSchema(wh, conn, src, await metas(src));
    if (fields && !sameColumns(fields, schema))
      throw invalid(
        `The source tables of a copy must have the same schema; ${tableName(src)} differs from ${tableName(sources[0] as TableRef)}.`,
      );
    fields ??= schema;
  }
  const schema = fields as TableFieldSchema[];
  const type = await tableType(conn, dest);
  if (type === 'VIEW') throw invalid(`Cannot copy into ${tableName(dest)}: it is a VIEW.`);
  if (!type) {
    await requireDataset(job.deps, conn, dest.projectId, dest.datasetId);
    if (create === 'CREATE_NEVER') throw notFound('Table', tableName(dest));
    refuseModelName(ctx, dest);
  }
  const own = await beginTransaction(conn);
  let copied = 0;
  try {
    if (!type) await createTable(ctx, conn, dest, schema);
    else {
      const current = await reportedSchema(wh, conn, dest, await metas(dest));
      const same = sameColumns(current, schema);
      if (write === 'WRITE_TRUNCATE') {
        await conn.run(`DROP TABLE ${wh.tableSql(dest)}`);
        await createTable(ctx, conn, dest, schema);
      } else if (!same) {
        throw invalid(
          `Provided Schema does not match Table ${tableName(dest)}: the source schema differs. Use WRITE_TRUNCATE to replace the destination.`,
        );
      } else if (write === 'WRITE_EMPTY' && (await countRows(ctx, conn, dest)) > 0) throw notEmpty(dest);
    }
    for (const src of sources) {
      const r = await conn.run(`INSERT INTO ${wh.tableSql(dest)} BY NAME SELECT * FROM ${wh.tableSql(src)}`);
      copied += r.rowsChanged;
    }
    if (own) await conn.run('COMMIT');
  } catch (err) {
    if (own) await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  await ctx.store.touchTable(dest, { schema });
  const stats = await tableStats(wh, conn, dest, schema);
  return { copiedRows: String(copied), copiedLogicalBytes: String(stats.numBytes) };
}

/** `.` + the fraction of a second, without trailing zeros, or ''. */
function fractionSql(col: string): string {
  return `CASE WHEN microsecond(${col}) % 1000000 = 0 THEN '' ELSE rtrim('.' || lpad(CAST(microsecond(${col}) % 1000000 AS VARCHAR), 6, '0'), '0') END`;
}

/** A column as BigQuery exports it to CSV / JSON. */
function exportSql(field: TableFieldSchema, format: string): string {
  const col = quoteIdent(field.name);
  if (field.mode === 'REPEATED' || field.type === 'RECORD') return col;
  switch (field.type) {
    case 'TIMESTAMP':
      return `strftime(${col}, '%Y-%m-%d %H:%M:%S') || ${fractionSql(col)} || ' UTC'`;
    case 'DATETIME':
      return `strftime(${col}, '%Y-%m-%dT%H:%M:%S') || ${fractionSql(col)}`;
    case 'BYTES':
      return `base64(${col})`;
    case 'INTEGER':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return format === 'NEWLINE_DELIMITED_JSON' ? `CAST(${col} AS VARCHAR)` : col;
    default:
      return col;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  CSV: 'text/csv',
  NEWLINE_DELIMITED_JSON: 'application/json',
  PARQUET: 'application/octet-stream',
};

/** Runs `configuration.extract` and returns `statistics.extract` (`destinationUriFileCounts`, `inputBytes`). */
export async function runExtractJob(
  conn: DuckDBConnection,
  extract: JsonObject,
  job: JobContext,
): Promise<JsonObject> {
  if (extract.sourceModel)
    throw invalid(
      'Extracting a model (EXPORT MODEL / model.createExtractJob) is not supported by the local BigQuery. Extract tables only.',
    );
  const ctx = catalogContext(job.deps);
  const wh = job.deps.warehouse;
  const src = parseTableRef(extract.sourceTable, 'configuration.extract.sourceTable', job.projectId);
  if ((await requireTable(ctx, conn, src)) === 'VIEW')
    throw invalid(`Cannot extract ${tableName(src)}: it is a VIEW. Query it into a table first.`);
  const format = enumField(
    extract.destinationFormat,
    'CSV',
    ['CSV', 'NEWLINE_DELIMITED_JSON', 'PARQUET', 'AVRO'],
    'configuration.extract.destinationFormat',
  );
  if (format === 'AVRO')
    throw invalid(
      'destinationFormat AVRO is not supported by the local BigQuery. Use CSV, NEWLINE_DELIMITED_JSON or PARQUET.',
    );
  const compression = enumField(
    extract.compression,
    'NONE',
    ['NONE', 'GZIP', 'SNAPPY', 'ZSTD'],
    'configuration.extract.compression',
  );
  const uris: unknown[] = Array.isArray(extract.destinationUris)
    ? extract.destinationUris
    : extract.destinationUri
      ? [extract.destinationUri]
      : [];
  if (uris.length === 0)
    throw invalid('configuration.extract needs destinationUris: ["gs://BUCKET/OBJECT"].');
  const targets = uris.map((uri, i) => {
    const { bucket, name } = parseGcsUri(uri, `configuration.extract.destinationUris[${i}]`);
    if (name.split('*').length > 2)
      throw invalid(`${uri}: a destination URI may hold at most one '*' wildcard.`);
    return { bucket, name: name.replace('*', '000000000000') };
  });
  const stored = (await ctx.store.readDataset(src.projectId, src.datasetId))?.tables[src.tableId]?.schema;
  const fields = await reportedSchema(wh, conn, src, stored);
  if (format === 'CSV') {
    const nested = fields.find((f) => f.type === 'RECORD' || f.mode === 'REPEATED');
    if (nested)
      throw invalid(
        `Operation cannot be performed on a nested schema. Field: ${nested.name}. Extract as NEWLINE_DELIMITED_JSON or PARQUET.`,
      );
  }
  const select =
    format === 'PARQUET'
      ? `SELECT * FROM ${wh.tableSql(src)}`
      : `SELECT ${fields.map((f) => `${exportSql(f, format)} AS ${quoteIdent(f.name)}`).join(', ')} FROM ${wh.tableSql(src)}`;
  const options: string[] = [];
  if (format === 'CSV') {
    const delim = typeof extract.fieldDelimiter === 'string' ? extract.fieldDelimiter : ',';
    options.push(
      'FORMAT csv',
      `HEADER ${extract.printHeader !== false}`,
      `DELIMITER ${quoteString(delim === '\\t' ? '\t' : delim)}`,
    );
  } else options.push(format === 'PARQUET' ? 'FORMAT parquet' : 'FORMAT json');
  if (format === 'PARQUET')
    options.push(`COMPRESSION ${compression === 'NONE' ? 'uncompressed' : compression.toLowerCase()}`);
  else if (compression === 'GZIP') options.push("COMPRESSION 'gzip'");
  else if (compression !== 'NONE')
    throw invalid(`compression ${compression} applies to PARQUET only; use GZIP or NONE for ${format}.`);
  const counts: string[] = [];
  for (const [i, target] of targets.entries()) {
    const tmp = await job.deps.objects.tempPath();
    try {
      const sql = i === 0 ? select : `${select} LIMIT 0`;
      await conn.run(`COPY (${sql}) TO ${quoteString(tmp)} (${options.join(', ')})`);
      await job.deps.objects
        .putObjectFile(target.bucket, target.name, tmp, { contentType: CONTENT_TYPES[format] })
        .catch((err: unknown) => {
          throw toBigQueryError(err);
        });
      counts.push('1');
    } finally {
      await rm(tmp, { force: true });
    }
  }
  const stats = await tableStats(wh, conn, src, fields);
  return { destinationUriFileCounts: counts, inputBytes: String(stats.numBytes) };
}
