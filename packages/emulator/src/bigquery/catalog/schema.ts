/**
 * Table schemas: what `tables.get` reports (DuckDB's column types merged with the schema as given) and
 * what `tables.patch` may change (add NULLABLE/REPEATED columns, relax REQUIRED, edit descriptions).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { invalid } from '../errors.ts';
import type { TableFieldSchema, TableRef } from '../types.ts';
import { duckTypeOf, quoteIdent, type Warehouse } from '../warehouse.ts';
import { tableName } from './names.ts';

/** Types kept from the given schema because DuckDB stores them as something more general. */
const KEEP_GIVEN = new Set(['GEOGRAPHY', 'JSON']);

/**
 * The reported schema: names and types from DuckDB, with descriptions, REQUIRED modes and GEOGRAPHY
 * from the schema as last given (matched by case-insensitive name).
 */
export function mergeSchema(
  actual: TableFieldSchema[],
  given: TableFieldSchema[] | undefined,
): TableFieldSchema[] {
  const byName = new Map((given ?? []).map((f) => [f.name.toLowerCase(), f]));
  return actual.map((field) => {
    const g = byName.get(field.name.toLowerCase());
    const out: TableFieldSchema = { name: field.name, type: field.type, mode: field.mode ?? 'NULLABLE' };
    if (
      g &&
      KEEP_GIVEN.has(g.type) &&
      duckTypeOf({ ...g, mode: 'NULLABLE' }) === duckTypeOf({ ...field, mode: 'NULLABLE' })
    )
      out.type = g.type;
    if (g?.mode === 'REQUIRED' && out.mode === 'NULLABLE') out.mode = 'REQUIRED';
    if (field.fields) out.fields = mergeSchema(field.fields, g?.fields);
    if (g?.description) out.description = g.description;
    return out;
  });
}

/** The reported schema of a table (or view). */
export async function reportedSchema(
  warehouse: Warehouse,
  conn: DuckDBConnection,
  ref: TableRef,
  given: TableFieldSchema[] | undefined,
): Promise<TableFieldSchema[]> {
  return mergeSchema(await warehouse.tableSchema(conn, ref), given);
}

/** Whether two field lists store the same DuckDB columns. */
export function sameColumns(a: TableFieldSchema[], b: TableFieldSchema[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((f, i) => {
    const g = b[i] as TableFieldSchema;
    return f.name.toLowerCase() === g.name.toLowerCase() && duckTypeOf(f) === duckTypeOf(g);
  });
}

/**
 * Applies a new schema to an existing table as `tables.patch`/`update` may: every existing field must
 * stay with its type; new top-level fields are added (not REQUIRED); REQUIRED may become NULLABLE.
 */
export async function alterSchema(
  warehouse: Warehouse,
  conn: DuckDBConnection,
  ref: TableRef,
  current: TableFieldSchema[],
  next: TableFieldSchema[],
): Promise<void> {
  const mismatch = (what: string) =>
    invalid(`Provided Schema does not match Table ${tableName(ref)}. ${what}`);
  const byName = new Map(next.map((f) => [f.name.toLowerCase(), f]));
  const statements: string[] = [];
  const table = warehouse.tableSql(ref);
  for (const field of current) {
    const n = byName.get(field.name.toLowerCase());
    if (!n)
      throw mismatch(
        `Field ${field.name} is missing in new schema. Keep every existing field (fields cannot be deleted by a patch).`,
      );
    byName.delete(field.name.toLowerCase());
    const base = (f: TableFieldSchema) =>
      duckTypeOf({ ...f, mode: f.mode === 'REPEATED' ? 'REPEATED' : 'NULLABLE' });
    if (base(field) !== base(n)) {
      throw mismatch(
        field.type === 'RECORD' && n.type === 'RECORD'
          ? `Field ${field.name} changed its subfields; changing nested fields is not supported by the local BigQuery. Recreate the table instead.`
          : `Field ${field.name} has changed type from ${field.type}${field.mode === 'REPEATED' ? ' (REPEATED)' : ''} to ${n.type}${n.mode === 'REPEATED' ? ' (REPEATED)' : ''}.`,
      );
    }
    if (field.mode !== 'REQUIRED' && n.mode === 'REQUIRED')
      throw mismatch(
        `Field ${field.name} has changed mode from ${field.mode ?? 'NULLABLE'} to REQUIRED; only REQUIRED → NULLABLE is allowed.`,
      );
    if (field.mode === 'REQUIRED' && n.mode === 'NULLABLE')
      statements.push(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(field.name)} DROP NOT NULL`);
  }
  for (const added of byName.values()) {
    if (added.mode === 'REQUIRED')
      throw mismatch(`Cannot add the REQUIRED field ${added.name} to an existing table. Make it NULLABLE.`);
    statements.push(`ALTER TABLE ${table} ADD COLUMN ${quoteIdent(added.name)} ${duckTypeOf(added)}`);
  }
  for (const sql of statements) await conn.run(sql);
}

/** A SQL expression estimating BigQuery's stored bytes of one top-level column, per row. */
function bytesExpr(field: TableFieldSchema): string {
  const col = quoteIdent(field.name);
  if (field.mode === 'REPEATED' || field.type === 'RECORD')
    return `coalesce(strlen(CAST(${col} AS VARCHAR)), 0)`;
  switch (field.type) {
    case 'STRING':
    case 'JSON':
    case 'GEOGRAPHY':
      return `coalesce(2 + strlen(CAST(${col} AS VARCHAR)), 0)`;
    case 'BYTES':
      return `coalesce(2 + octet_length(${col}), 0)`;
    case 'BOOLEAN':
      return `CASE WHEN ${col} IS NULL THEN 0 ELSE 1 END`;
    case 'NUMERIC':
      return `CASE WHEN ${col} IS NULL THEN 0 ELSE 16 END`;
    case 'BIGNUMERIC':
      return `CASE WHEN ${col} IS NULL THEN 0 ELSE 32 END`;
    default:
      return `CASE WHEN ${col} IS NULL THEN 0 ELSE 8 END`;
  }
}

/** `numRows` and an estimate of `numBytes` (BigQuery's per-type sizes) of a table. */
export async function tableStats(
  warehouse: Warehouse,
  conn: DuckDBConnection,
  ref: TableRef,
  schema: TableFieldSchema[],
): Promise<{ numRows: number; numBytes: number }> {
  const bytes = schema.length > 0 ? schema.map(bytesExpr).join(' + ') : '0';
  const r = await conn.runAndReadAll(
    `SELECT count(*)::BIGINT, coalesce(sum(${bytes}), 0)::BIGINT FROM ${warehouse.tableSql(ref)}`,
  );
  const [rows, size] = r.getRowsJS()[0] ?? [0, 0];
  return { numRows: Number(rows), numBytes: Number(size) };
}
