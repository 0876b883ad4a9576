/**
 * JSON rows (insertAll's `rows[].json`, newline-delimited JSON loads) converted to a table's column types
 * in DuckDB SQL, with BigQuery's per-row errors — no JavaScript loop over the rows.
 *
 * The source is SQL giving `__file` (VARCHAR), `__row` (BIGINT) and `__j` (JSON, NULL for a line that is
 * not JSON). The result is a TEMP table with `__file`, `__row`, one column `__c{i}` per field (already of
 * the field's DuckDB type) and `__tvx_error` (`{location, message}` or NULL for a good row).
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { TableFieldSchema } from '../types.ts';
import { duckTypeOf, quoteIdent, quoteString } from '../warehouse.ts';

const WORDS: Record<string, string> = {
  INTEGER: 'integer',
  FLOAT: 'floating point',
  NUMERIC: 'numeric',
  BIGNUMERIC: 'bignumeric',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIME: 'time',
  DATETIME: 'datetime',
  TIMESTAMP: 'timestamp',
  BYTES: 'bytes',
  STRING: 'string',
  JSON: 'JSON',
  GEOGRAPHY: 'geography',
  RECORD: 'record',
};

/** The canonical (legacy) name of a BigQuery type. */
function canonical(type: string): string {
  const t = type.toUpperCase();
  const alias: Record<string, string> = {
    INT64: 'INTEGER',
    FLOAT64: 'FLOAT',
    BOOL: 'BOOLEAN',
    STRUCT: 'RECORD',
    DECIMAL: 'NUMERIC',
    BIGDECIMAL: 'BIGNUMERIC',
  };
  return alias[t] ?? t;
}

/** The SQL converting the JSON value `v` (text `t`) of a scalar field to its DuckDB type; NULL if it cannot. */
function scalarSql(type: string, v: string, t: string): string {
  switch (type) {
    case 'INTEGER':
      return `CASE WHEN regexp_full_match(trim(${t}), '[+-]?[0-9]+') THEN TRY_CAST(trim(${t}) AS BIGINT) END`;
    case 'FLOAT':
      return `TRY_CAST(trim(${t}) AS DOUBLE)`;
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return `TRY_CAST(trim(${t}) AS ${duckTypeOf({ name: 'x', type })})`;
    case 'BOOLEAN':
      return `CASE lower(trim(${t})) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN '0' THEN false END`;
    case 'BYTES':
      return `try(from_base64(${t}))`;
    case 'DATE':
      return `TRY_CAST(${t} AS DATE)`;
    case 'TIME':
      return `TRY_CAST(${t} AS TIME)`;
    case 'DATETIME':
      return `TRY_CAST(replace(${t}, 'T', ' ') AS TIMESTAMP)`;
    case 'TIMESTAMP':
      return `CASE WHEN json_type(${v}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN try(to_timestamp(TRY_CAST(${t} AS DOUBLE))) ELSE TRY_CAST(${t} AS TIMESTAMPTZ) END`;
    case 'JSON':
      return `CASE WHEN json_type(${v}) = 'VARCHAR' AND json_valid(${t}) THEN ${t}::JSON ELSE ${v} END`;
    default:
      // STRING, GEOGRAPHY: scalars as their text; objects and arrays are not strings.
      return `CASE WHEN json_type(${v}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE ${t} END`;
  }
}

/** `{location, message}` as a SQL struct. */
function errorSql(location: string, message: string): string {
  return `{'location': ${location}, 'message': ${message}}`;
}

/** Options of {@link convertJsonRows}. */
export interface ConvertOptions {
  /** SQL with columns `__file`, `__row`, `__j`. */
  source: string;
  /** Name of the TEMP table to create (replaced if it exists). */
  target: string;
  fields: TableFieldSchema[];
  /** Ignore keys that are not columns (else the row is bad: `no such field`). */
  ignoreUnknownValues: boolean;
  params?: Record<string, DuckDBValue>;
}

/** Creates the TEMP table of converted rows; see the module comment. */
export async function convertJsonRows(conn: DuckDBConnection, opts: ConvertOptions): Promise<void> {
  const conversions: string[] = [];
  const checks: string[] = [
    `WHEN __j IS NULL THEN ${errorSql("''", "'Malformed JSON: the row could not be parsed as JSON.'")}`,
  ];
  checks.push(`WHEN json_type(__j) <> 'OBJECT' THEN ${errorSql("''", "'The row is not a JSON object.'")}`);
  opts.fields.forEach((field, i) => {
    const path = quoteString(`$.${JSON.stringify(field.name)}`);
    const v = `json_extract(__j, ${path})`;
    const t = `json_extract_string(__j, ${path})`;
    const col = quoteIdent(`__c${i}`);
    const present = `(${v} IS NOT NULL AND json_type(${v}) <> 'NULL')`;
    const type = canonical(field.type);
    const loc = quoteString(field.name);
    if (field.mode === 'REPEATED' || type === 'RECORD') {
      const duck = duckTypeOf(field);
      const shape = field.mode === 'REPEATED' ? 'ARRAY' : 'OBJECT';
      const cast = `CASE WHEN json_type(${v}) = '${shape}' THEN TRY_CAST(${v} AS ${duck}) END`;
      conversions.push(field.mode === 'REPEATED' ? `coalesce(${cast}, []) AS ${col}` : `${cast} AS ${col}`);
      const word = field.mode === 'REPEATED' ? 'an array' : 'a record (JSON object)';
      checks.push(
        `WHEN ${present} AND ${field.mode === 'REPEATED' ? `(json_type(${v}) <> 'ARRAY' OR TRY_CAST(${v} AS ${duck}) IS NULL)` : `${col} IS NULL`} THEN ${errorSql(loc, `'Field ' || ${loc} || ' must be ${word}: ' || left(${t}, 200)`)}`,
      );
    } else {
      conversions.push(`${scalarSql(type, v, t)} AS ${col}`);
      checks.push(
        `WHEN ${present} AND ${col} IS NULL THEN ${errorSql(loc, `'Cannot convert value to ${WORDS[type] ?? type.toLowerCase()} (bad value): ' || left(${t}, 200)`)}`,
      );
    }
    if (field.mode === 'REQUIRED')
      checks.push(`WHEN NOT ${present} THEN ${errorSql(loc, `'Missing required field: ' || ${loc} || '.'`)}`);
  });
  if (!opts.ignoreUnknownValues) {
    const names = `[${opts.fields.map((f) => quoteString(f.name.toLowerCase())).join(', ')}]`;
    const unknown = `list_filter(json_keys(__j), k -> NOT list_contains(${names}, lower(k)))[1]`;
    checks.push(
      `WHEN ${unknown} IS NOT NULL THEN ${errorSql(unknown, `'no such field: ' || ${unknown} || '.'`)}`,
    );
  }
  const cols = opts.fields.map((_f, i) => quoteIdent(`__c${i}`)).join(', ');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(opts.target)} AS
     SELECT __file, __row${cols ? `, ${cols}` : ''}, CASE ${checks.join(' ')} END AS __tvx_error
     FROM (SELECT __file, __row, __j${conversions.length ? `, ${conversions.join(', ')}` : ''} FROM (${opts.source}))`,
    opts.params,
  );
}

/** `"__c0" AS "a", "__c1" AS "b", …` — the converted columns under the fields' names. */
export function convertedColumns(fields: TableFieldSchema[]): string {
  return fields.map((f, i) => `${quoteIdent(`__c${i}`)} AS ${quoteIdent(f.name)}`).join(', ');
}
