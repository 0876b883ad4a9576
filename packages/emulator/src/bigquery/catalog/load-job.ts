/**
 * Load jobs (`configuration.load`): CSV, newline-delimited JSON and Parquet files from the local Cloud
 * Storage (`sourceUris`, with `*` wildcards) or from an upload, into a table, with BigQuery's write and
 * create dispositions, schema or autodetect, and `maxBadRecords`. The whole load is one DuckDB
 * transaction: a failed load leaves the table as it was.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BigQueryDeps, JsonObject } from '../deps.ts';
import { BigQueryError, invalid, notFound } from '../errors.ts';
import type { TableFieldSchema, TableRef } from '../types.ts';
import { quoteIdent } from '../warehouse.ts';
import { requireDataset } from './datasets.ts';
import {
  csvOptions,
  detectCsvSchema,
  detectJsonSchema,
  detectParquetSchema,
  parquetSelect,
  type StagedRows,
  stageCsv,
  stageJson,
} from './load-readers.ts';
import { type CatalogContext, catalogContext, type TableMeta } from './meta-store.ts';
import { normalizeSchema, parseTableRef, tableName } from './names.ts';
import { reportedSchema, sameColumns } from './schema.ts';
import { resolveSourceUris, type SourceFile, uploadedSource } from './sources.ts';
import { createTable, refuseModelName, tableType } from './tables.ts';

/** What a load, copy or extract job runs with. */
export interface JobContext {
  deps: BigQueryDeps;
  /** The project the job runs in (default project of table references). */
  projectId: string;
  /** The bytes of an upload load job (`/upload/bigquery/v2/...`); removed once the job ran. */
  uploadedFile?: string;
}

const FORMATS = ['CSV', 'NEWLINE_DELIMITED_JSON', 'PARQUET'];
const WRITE = ['WRITE_APPEND', 'WRITE_TRUNCATE', 'WRITE_EMPTY'];
const CREATE = ['CREATE_IF_NEEDED', 'CREATE_NEVER'];

/** An enum field of a job configuration, with its default. */
export function enumField(value: unknown, fallback: string, allowed: string[], field: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  const v = String(value).toUpperCase();
  if (!allowed.includes(v))
    throw invalid(`${field} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}.`);
  return v;
}

/** Starts a transaction unless one is open; returns whether this call owns it. */
export async function beginTransaction(conn: DuckDBConnection): Promise<boolean> {
  try {
    await conn.run('BEGIN TRANSACTION');
    return true;
  } catch (err) {
    if (/within a transaction/i.test((err as Error).message)) return false;
    throw err;
  }
}

/** Rows in a table. */
export async function countRows(ctx: CatalogContext, conn: DuckDBConnection, ref: TableRef): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*)::BIGINT FROM ${ctx.deps.warehouse.tableSql(ref)}`);
  return Number(r.getRowsJS()[0]?.[0] ?? 0);
}

/** `WRITE_EMPTY` on a table with rows. */
export function notEmpty(ref: TableRef): BigQueryError {
  return new BigQueryError(
    409,
    'duplicate',
    `Already Exists: Table ${tableName(ref)}. writeDisposition WRITE_EMPTY needs an empty table; use WRITE_APPEND or WRITE_TRUNCATE.`,
  );
}

/** Table properties a job sets when it creates the table (`destinationTableProperties`). */
function createdMeta(load: JsonObject): Partial<TableMeta> {
  const props = (load.destinationTableProperties ?? {}) as JsonObject;
  const meta: Partial<TableMeta> = {};
  if (typeof props.description === 'string') meta.description = props.description;
  if (typeof props.friendlyName === 'string') meta.friendlyName = props.friendlyName;
  if (props.labels && typeof props.labels === 'object') meta.labels = props.labels as Record<string, string>;
  for (const key of ['timePartitioning', 'rangePartitioning', 'clustering'] as const)
    if (load[key] && typeof load[key] === 'object') meta[key] = load[key] as JsonObject;
  return meta;
}

function refuseUnsupported(load: JsonObject, format: string): void {
  if (Array.isArray(load.schemaUpdateOptions) && load.schemaUpdateOptions.length > 0) {
    throw invalid(
      `configuration.load.schemaUpdateOptions (${load.schemaUpdateOptions.join(', ')}) is not supported by the local BigQuery. Change the schema with tables.patch before loading, or use WRITE_TRUNCATE with the new schema.`,
    );
  }
  if (load.hivePartitioningOptions)
    throw invalid('configuration.load.hivePartitioningOptions is not supported by the local BigQuery.');
  if (String(load.compression ?? 'NONE').toUpperCase() !== 'NONE' && format !== 'PARQUET')
    throw invalid(
      'configuration.load.compression is not supported by the local BigQuery; load uncompressed files.',
    );
}

/**
 * Runs `configuration.load` on the job's connection and returns `statistics.load`
 * (`inputFiles`, `inputFileBytes`, `outputRows`, `outputBytes`, `badRecords`, as int64 strings).
 */
export async function runLoadJob(
  conn: DuckDBConnection,
  load: JsonObject,
  ctx: JobContext,
): Promise<JsonObject> {
  try {
    return await load_(conn, load, ctx, catalogContext(ctx.deps));
  } finally {
    if (ctx.uploadedFile) await rm(ctx.uploadedFile, { force: true });
  }
}

async function load_(
  conn: DuckDBConnection,
  load: JsonObject,
  job: JobContext,
  ctx: CatalogContext,
): Promise<JsonObject> {
  const dest = parseTableRef(load.destinationTable, 'configuration.load.destinationTable', job.projectId);
  const format = enumField(
    load.sourceFormat,
    'CSV',
    [...FORMATS, 'AVRO', 'ORC', 'DATASTORE_BACKUP'],
    'configuration.load.sourceFormat',
  );
  if (!FORMATS.includes(format))
    throw invalid(
      `sourceFormat ${format} is not supported by the local BigQuery. Use CSV, NEWLINE_DELIMITED_JSON or PARQUET.`,
    );
  refuseUnsupported(load, format);
  const write = enumField(
    load.writeDisposition,
    'WRITE_APPEND',
    WRITE,
    'configuration.load.writeDisposition',
  );
  const create = enumField(
    load.createDisposition,
    'CREATE_IF_NEEDED',
    CREATE,
    'configuration.load.createDisposition',
  );
  const maxBad = load.maxBadRecords === undefined ? 0 : Number(load.maxBadRecords);
  if (!Number.isInteger(maxBad) || maxBad < 0)
    throw invalid(
      `configuration.load.maxBadRecords ${JSON.stringify(load.maxBadRecords)} must be a non-negative integer.`,
    );
  const files: SourceFile[] = job.uploadedFile
    ? [await uploadedSource(job.uploadedFile)]
    : await resolveSourceUris(job.deps, load.sourceUris);
  const csv = format === 'CSV' ? csvOptions(load) : undefined;
  const given = (load.schema as { fields?: unknown } | undefined)?.fields
    ? normalizeSchema((load.schema as { fields: unknown }).fields, 'configuration.load.schema.fields')
    : undefined;

  const type = await tableType(conn, dest);
  if (type === 'VIEW') throw invalid(`Cannot load into ${tableName(dest)}: it is a VIEW. Load into a table.`);
  if (!type) {
    await requireDataset(job.deps, conn, dest.projectId, dest.datasetId);
    if (create === 'CREATE_NEVER') throw notFound('Table', tableName(dest));
    refuseModelName(ctx, dest);
  }
  let fields: TableFieldSchema[];
  let skip = csv?.skipLeadingRows ?? 0;
  let replace = false;
  if (type) {
    const stored = (await ctx.store.readDataset(dest.projectId, dest.datasetId))?.tables[dest.tableId]
      ?.schema;
    const current = await reportedSchema(job.deps.warehouse, conn, dest, stored);
    fields = current;
    if (given && !sameColumns(given, current)) {
      if (write !== 'WRITE_TRUNCATE') {
        const show = (fs: TableFieldSchema[]) => fs.map((f) => `${f.name} ${f.type}`).join(', ');
        throw invalid(
          `Provided Schema does not match Table ${tableName(dest)}: the table has (${show(current)}), the load gives (${show(given)}). Load with the table's schema, or use WRITE_TRUNCATE to replace it.`,
        );
      }
      fields = given;
      replace = true;
    }
    if (csv && load.autodetect === true && csv.skipLeadingRows === undefined)
      skip = (await detectCsvSchema(conn, files, csv)).skip;
  } else if (given) {
    fields = given;
  } else if (format === 'PARQUET') {
    fields = await detectParquetSchema(conn, files);
  } else if (load.autodetect === true) {
    if (csv) ({ fields, skip } = await detectCsvSchema(conn, files, csv));
    else fields = await detectJsonSchema(conn, files);
  } else {
    throw invalid(
      `No schema specified on job or table ${tableName(dest)}. Give configuration.load.schema.fields, or set autodetect: true.`,
    );
  }
  if (csv) {
    const nested = fields.find((f) => f.type === 'RECORD' || f.mode === 'REPEATED');
    if (nested)
      throw invalid(
        `CSV cannot hold the ${nested.mode === 'REPEATED' ? 'REPEATED' : 'RECORD'} field ${nested.name}. Load nested data as NEWLINE_DELIMITED_JSON or PARQUET.`,
      );
  }

  const stage = `__tvx_load_${randomUUID().replaceAll('-', '')}`;
  const own = await beginTransaction(conn);
  let staged: StagedRows;
  let inserted: number;
  try {
    if (!type) await createTable(ctx, conn, dest, fields, createdMeta(load));
    else if (replace) {
      await conn.run(`DROP TABLE ${job.deps.warehouse.tableSql(dest)}`);
      await createTable(ctx, conn, dest, fields, createdMeta(load));
    } else if (write === 'WRITE_TRUNCATE') await conn.run(`DELETE FROM ${job.deps.warehouse.tableSql(dest)}`);
    else if (write === 'WRITE_EMPTY' && (await countRows(ctx, conn, dest)) > 0) throw notEmpty(dest);
    if (csv) staged = await stageCsv(conn, files, fields, csv, skip, stage);
    else if (format === 'NEWLINE_DELIMITED_JSON')
      staged = await stageJson(conn, files, fields, load.ignoreUnknownValues === true, stage);
    else staged = { select: parquetSelect(files, fields), rows: 0, badCount: 0, badSamples: [] };
    if (staged.badCount > maxBad) {
      const kind = csv ? 'CSV' : 'JSON';
      throw invalid(
        `Error while reading data, error message: ${kind} table encountered too many errors, giving up. Rows: ${staged.rows}; errors: ${staged.badCount}; maxBadRecords: ${maxBad}. First errors: ${staged.badSamples.join('; ')}. Fix those rows, or raise configuration.load.maxBadRecords.`,
      );
    }
    const result = await conn.run(
      `INSERT INTO ${job.deps.warehouse.tableSql(dest)} BY NAME ${staged.select}`,
    );
    inserted = result.rowsChanged;
    if (own) await conn.run('COMMIT');
  } catch (err) {
    if (own) await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    for (const t of [stage, `${stage}_rejects`, `${stage}_scans`, `${stage}_raw`])
      await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(t)}`).catch(() => undefined);
  }
  await ctx.store.touchTable(dest, replace ? { schema: fields } : {});
  const inputBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const readRows = Math.max(staged.rows, inserted + staged.badCount);
  return {
    inputFiles: String(files.length),
    inputFileBytes: String(inputBytes),
    outputRows: String(inserted),
    outputBytes: String(Math.round((inputBytes * inserted) / Math.max(1, readRows))),
    badRecords: String(staged.badCount),
  };
}
