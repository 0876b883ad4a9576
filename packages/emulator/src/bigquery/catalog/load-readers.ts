/**
 * Reading load-job files with DuckDB: CSV through `read_csv` with explicit column types and a rejects
 * table (bad rows with file, line and byte position), newline-delimited JSON through
 * `read_ndjson_objects` + SQL conversion, Parquet through `read_parquet`; plus schema auto-detection.
 * Each reader stages the rows in a TEMP table and reports the SELECT of the good rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonObject } from '../deps.ts';
import { invalid } from '../errors.ts';
import type { TableFieldSchema } from '../types.ts';
import { quoteIdent, quoteString, schemaOf } from '../warehouse.ts';
import { convertedColumns, convertJsonRows } from './json-rows.ts';
import { columnsStructSql } from './names.ts';
import type { SourceFile } from './sources.ts';

/** The rows a reader staged. */
export interface StagedRows {
  /** `SELECT <the fields by name> FROM <stage> WHERE <good>`. */
  select: string;
  /** Rows read, good and bad. */
  rows: number;
  badCount: number;
  /** The first bad rows, described with file and line/row. */
  badSamples: string[];
}

/** CSV options of `configuration.load`. */
export interface CsvOptions {
  delim: string;
  quote: string;
  nullstr: string[];
  skipLeadingRows?: number;
  allowJaggedRows: boolean;
  encoding: string;
}

/** Reads the CSV options of `configuration.load`, naming the field and the fix on bad values. */
export function csvOptions(load: JsonObject): CsvOptions {
  let delim = typeof load.fieldDelimiter === 'string' ? load.fieldDelimiter : ',';
  if (delim === '\\t' || delim.toLowerCase() === 'tab') delim = '\t';
  if (delim === '')
    throw invalid('configuration.load.fieldDelimiter is empty. Give one character, e.g. "," or "\\t".');
  const quote = typeof load.quote === 'string' ? load.quote : '"';
  if (quote.length > 1)
    throw invalid('configuration.load.quote must be one character (or "" for no quoting).');
  const markers = Array.isArray(load.nullMarkers) ? load.nullMarkers.map(String) : [];
  if (typeof load.nullMarker === 'string') markers.push(load.nullMarker);
  const skip = load.skipLeadingRows === undefined ? undefined : Number(load.skipLeadingRows);
  if (skip !== undefined && (!Number.isInteger(skip) || skip < 0))
    throw invalid(
      `configuration.load.skipLeadingRows ${JSON.stringify(load.skipLeadingRows)} must be a non-negative integer.`,
    );
  const enc = String(load.encoding ?? 'UTF-8').toUpperCase();
  const encoding = enc === 'UTF-8' || enc === 'UTF8' ? 'utf-8' : enc === 'ISO-8859-1' ? 'latin-1' : undefined;
  if (!encoding)
    throw invalid(
      `configuration.load.encoding ${JSON.stringify(load.encoding)} is not supported by the local BigQuery. Use UTF-8 or ISO-8859-1.`,
    );
  return {
    delim,
    quote,
    nullstr: markers.length > 0 ? markers : [''],
    skipLeadingRows: skip,
    allowJaggedRows: load.allowJaggedRows === true,
    encoding,
  };
}

const fileList = (files: SourceFile[]) => `[${files.map((f) => quoteString(f.path)).join(', ')}]`;

function csvArgs(o: CsvOptions): string {
  return [
    `delim=${quoteString(o.delim)}`,
    `quote=${quoteString(o.quote)}`,
    `escape=${quoteString(o.quote)}`,
    `encoding=${quoteString(o.encoding)}`,
  ].join(', ');
}

/** BigQuery's names for columns without a header: `string_field_0`, `int64_field_1`, … */
const NO_HEADER_NAMES: Record<string, string> = {
  STRING: 'string',
  INTEGER: 'int64',
  FLOAT: 'double',
  BOOLEAN: 'bool',
  NUMERIC: 'numeric',
  DATE: 'date',
  TIME: 'time',
  TIMESTAMP: 'timestamp',
  BYTES: 'bytes',
};

/** Detected DuckDB types as BigQuery's autodetect reports them (timestamps without zone are TIMESTAMP). */
function autodetected(fields: TableFieldSchema[]): TableFieldSchema[] {
  return fields.map((f) => ({
    ...f,
    type: f.type === 'DATETIME' ? 'TIMESTAMP' : f.type,
    ...(f.fields ? { fields: autodetected(f.fields) } : {}),
  }));
}

/** A valid, unique field name made from a header cell. */
function fieldName(raw: string, i: number, taken: Set<string>): string {
  let name =
    raw
      .trim()
      .replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '_')
      .slice(0, 300) || `field_${i}`;
  while (taken.has(name.toLowerCase())) name = `${name}_${i}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * Detects a CSV schema as BigQuery's autodetect: types from DuckDB's sniffer; names from the header row
 * when one is found (`skipLeadingRows` N ≥ 1 means row N is the header), else `string_field_0` style.
 * Returns the fields and how many leading rows the data read must skip.
 */
export async function detectCsvSchema(
  conn: DuckDBConnection,
  files: SourceFile[],
  o: CsvOptions,
): Promise<{ fields: TableFieldSchema[]; skip: number }> {
  const n = o.skipLeadingRows;
  const header = n === undefined ? '' : n === 0 ? ', header=false' : `, header=true, skip=${n - 1}`;
  const r = await conn.run(`SELECT * FROM read_csv(${fileList(files)}, ${csvArgs(o)}${header}) LIMIT 0`);
  const detected = autodetected(schemaOf(r));
  const hasHeader = n === undefined ? !detected.every((f) => /^column\d+$/.test(f.name)) : n > 0;
  const taken = new Set<string>();
  const fields = detected.map((f, i) => ({
    ...f,
    name: hasHeader ? fieldName(f.name, i, taken) : `${NO_HEADER_NAMES[f.type] ?? 'string'}_field_${i}`,
  }));
  return { fields, skip: n ?? (hasHeader ? 1 : 0) };
}

/** Detects a newline-delimited JSON schema (DuckDB's `read_json` sampling). */
export async function detectJsonSchema(
  conn: DuckDBConnection,
  files: SourceFile[],
): Promise<TableFieldSchema[]> {
  const r = await conn.run(
    `SELECT * FROM read_json(${fileList(files)}, format='newline_delimited', ignore_errors=true) LIMIT 0`,
  );
  return autodetected(schemaOf(r));
}

/** The schema of Parquet files. */
export async function detectParquetSchema(
  conn: DuckDBConnection,
  files: SourceFile[],
): Promise<TableFieldSchema[]> {
  return schemaOf(await conn.run(`SELECT * FROM read_parquet(${fileList(files)}) LIMIT 0`));
}

function uriOf(files: SourceFile[], path: unknown): string {
  return files.find((f) => f.path === path)?.uri ?? String(path);
}

const notNullSql = (fields: TableFieldSchema[], col: (f: TableFieldSchema, i: number) => string) =>
  fields
    .map((f, i) => (f.mode === 'REQUIRED' ? `${col(f, i)} IS NOT NULL` : ''))
    .filter(Boolean)
    .join(' AND ') || 'true';

/** Stages CSV rows in `stage`; bad rows go to a rejects table. */
export async function stageCsv(
  conn: DuckDBConnection,
  files: SourceFile[],
  fields: TableFieldSchema[],
  o: CsvOptions,
  skip: number,
  stage: string,
): Promise<StagedRows> {
  const rejects = quoteIdent(`${stage}_rejects`);
  const scans = quoteIdent(`${stage}_scans`);
  const nulls = `[${o.nullstr.map(quoteString).join(', ')}]`;
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(stage)} AS SELECT * FROM read_csv(${fileList(files)}, ${csvArgs(o)},
       columns=${columnsStructSql(fields)}, header=false, skip=${skip}, nullstr=${nulls}, auto_detect=false,
       null_padding=${o.allowJaggedRows}, filename='__tvx_file', ignore_errors=true, store_rejects=true,
       rejects_table='${stage}_rejects', rejects_scan='${stage}_scans')`,
  );
  const [staged, badRequired] = (
    await conn.runAndReadAll(
      `SELECT count(*)::BIGINT, count(*) FILTER (WHERE NOT (${notNullSql(fields, (f) => quoteIdent(f.name))}))::BIGINT FROM ${quoteIdent(stage)}`,
    )
  ).getRowsJS()[0] as [bigint, bigint];
  const rejected = (
    await conn.runAndReadAll(
      `SELECT s.file_path, e.line, e.byte_position, e.column_name, e.error_message, count(*) OVER ()
       FROM ${rejects} e JOIN ${scans} s USING (scan_id, file_id)
       QUALIFY row_number() OVER (PARTITION BY e.scan_id, e.file_id, e.line ORDER BY e.column_idx) = 1
       ORDER BY s.file_path, e.line LIMIT 5`,
    )
  ).getRowsJS();
  const badLines = Number(rejected[0]?.[5] ?? 0);
  const samples = rejected.map(
    ([file, line, pos, column, message]) =>
      `${uriOf(files, file)} line ${line} (byte ${pos}): ${message}${column ? ` (field ${column})` : ''}`,
  );
  if (Number(badRequired) > 0) {
    const missing = fields
      .filter((f) => f.mode === 'REQUIRED')
      .map((f) => f.name)
      .join(', ');
    samples.push(`${badRequired} row(s) have no value for a REQUIRED field (${missing})`);
  }
  const cols = fields.map((f) => quoteIdent(f.name)).join(', ');
  return {
    select: `SELECT ${cols} FROM ${quoteIdent(stage)} WHERE ${notNullSql(fields, (f) => quoteIdent(f.name))}`,
    rows: Number(staged) + badLines,
    badCount: badLines + Number(badRequired),
    badSamples: samples,
  };
}

/** Stages newline-delimited JSON rows in `stage` (converted per field, with per-row errors). */
export async function stageJson(
  conn: DuckDBConnection,
  files: SourceFile[],
  fields: TableFieldSchema[],
  ignoreUnknownValues: boolean,
  stage: string,
): Promise<StagedRows> {
  const raw = quoteIdent(`${stage}_raw`);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT filename AS __file, json AS __j
     FROM read_ndjson_objects(${fileList(files)}, filename=true, ignore_errors=true)`,
  );
  await convertJsonRows(conn, {
    source: `SELECT __file, (rowid - min(rowid) OVER (PARTITION BY __file) + 1)::BIGINT AS __row, __j FROM ${raw}`,
    target: stage,
    fields,
    ignoreUnknownValues,
  });
  await conn.run(`DROP TABLE ${raw}`);
  const t = quoteIdent(stage);
  const [rows, bad] = (
    await conn.runAndReadAll(
      `SELECT count(*)::BIGINT, count(*) FILTER (WHERE __tvx_error IS NOT NULL)::BIGINT FROM ${t}`,
    )
  ).getRowsJS()[0] as [bigint, bigint];
  const samples = (
    await conn.runAndReadAll(
      `SELECT __file, __row, __tvx_error.message FROM ${t} WHERE __tvx_error IS NOT NULL ORDER BY __file, __row LIMIT 5`,
    )
  )
    .getRowsJS()
    .map(([file, row, message]) => `${uriOf(files, file)} row ${row}: ${message}`);
  return {
    select: `SELECT ${convertedColumns(fields)} FROM ${t} WHERE __tvx_error IS NULL ORDER BY __file, __row`,
    rows: Number(rows),
    badCount: Number(bad),
    badSamples: samples,
  };
}

/** Parquet: no bad rows; columns are cast to the table's types by name. */
export function parquetSelect(files: SourceFile[], fields: TableFieldSchema[]): string {
  return `SELECT ${fields.map((f) => quoteIdent(f.name)).join(', ')} FROM read_parquet(${fileList(files)})`;
}
