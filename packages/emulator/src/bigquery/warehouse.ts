/**
 * The local BigQuery's storage: one DuckDB database file. Dataset `p.d` is the DuckDB schema `"p.d"`, table
 * `p.d.t` is `"p.d"."t"`. Also the type mapping between BigQuery and DuckDB and the encoding of result rows
 * in BigQuery's REST shape.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBListType,
  type DuckDBResult,
  type DuckDBStructType,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';
import { invalid } from './errors.ts';
import type { RestCell, RestRow, TableFieldSchema, TableRef } from './types.ts';

/** A DuckDB identifier in double quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A DuckDB string literal. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * BigQuery functions DuckDB lacks, as macros. FARM_FINGERPRINT is deterministic and signed like BigQuery's,
 * but its values are DuckDB's hash, not Farmhash: splits that use it differ from BigQuery's rows.
 */
const BIGQUERY_FUNCTIONS = [
  'CREATE OR REPLACE MACRO farm_fingerprint(x) AS CAST(CAST(hash(x) AS HUGEINT) - 9223372036854775808 AS BIGINT)',
  "CREATE OR REPLACE MACRO ieee_divide(x, y) AS CASE WHEN y <> 0 THEN x / y WHEN x > 0 THEN 'Infinity'::DOUBLE WHEN x < 0 THEN '-Infinity'::DOUBLE ELSE 'NaN'::DOUBLE END",
];

/** The local BigQuery's DuckDB database. */
export class Warehouse {
  readonly instance: DuckDBInstance;

  private constructor(instance: DuckDBInstance) {
    this.instance = instance;
  }

  /** Opens (or creates) `{dataDir}/bigquery/warehouse.duckdb`. */
  static async open(dataDir: string): Promise<Warehouse> {
    const dir = join(dataDir, 'bigquery');
    mkdirSync(dir, { recursive: true });
    // Two cores here: DuckDB's default of one thread per core is right; keep memory bounded for CI.
    const instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'), { memory_limit: '4GB' });
    const conn = await instance.connect();
    try {
      for (const macro of BIGQUERY_FUNCTIONS) await conn.run(macro);
    } finally {
      conn.closeSync();
    }
    return new Warehouse(instance);
  }

  /** A new connection; a job runs all its statements (and its TEMP tables) on one. */
  async connect(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    // BigQuery's TIMESTAMP functions work in UTC unless told otherwise (ICU is loaded on first use, not at open).
    await conn.run("SET TimeZone = 'UTC'");
    return conn;
  }

  /** `"p.d"` — the schema of dataset `p.d`. */
  schemaSql(projectId: string, datasetId: string): string {
    return quoteIdent(`${projectId}.${datasetId}`);
  }

  /** `"p.d"."t"`. */
  tableSql(ref: TableRef): string {
    return `${this.schemaSql(ref.projectId, ref.datasetId)}.${quoteIdent(ref.tableId)}`;
  }

  /** Whether dataset `p.d` exists. */
  async hasDataset(conn: DuckDBConnection, projectId: string, datasetId: string): Promise<boolean> {
    const r = await conn.runAndReadAll('SELECT 1 FROM information_schema.schemata WHERE schema_name = $s', {
      s: `${projectId}.${datasetId}`,
    });
    return r.currentRowCount > 0;
  }

  /** Whether table `p.d.t` exists. */
  async hasTable(conn: DuckDBConnection, ref: TableRef): Promise<boolean> {
    const r = await conn.runAndReadAll(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = $s AND table_name = $t',
      { s: `${ref.projectId}.${ref.datasetId}`, t: ref.tableId },
    );
    return r.currentRowCount > 0;
  }

  /** The BigQuery schema of an existing table. */
  async tableSchema(conn: DuckDBConnection, ref: TableRef): Promise<TableFieldSchema[]> {
    const r = await conn.run(`SELECT * FROM ${this.tableSql(ref)} LIMIT 0`);
    return schemaOf(r);
  }

  close(): void {
    this.instance.closeSync();
  }
}

const TO_DUCK: Record<string, string> = {
  STRING: 'VARCHAR',
  BYTES: 'BLOB',
  INTEGER: 'BIGINT',
  INT64: 'BIGINT',
  FLOAT: 'DOUBLE',
  FLOAT64: 'DOUBLE',
  NUMERIC: 'DECIMAL(38,9)',
  DECIMAL: 'DECIMAL(38,9)',
  BIGNUMERIC: 'DECIMAL(38,18)',
  BIGDECIMAL: 'DECIMAL(38,18)',
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMPTZ',
  DATE: 'DATE',
  TIME: 'TIME',
  DATETIME: 'TIMESTAMP',
  JSON: 'JSON',
  GEOGRAPHY: 'VARCHAR',
};

/** The DuckDB column type of a BigQuery field (RECORD → STRUCT, REPEATED → list). */
export function duckTypeOf(field: TableFieldSchema, path = field.name): string {
  const type = field.type.toUpperCase();
  let base: string;
  if (type === 'RECORD' || type === 'STRUCT') {
    if (!field.fields?.length)
      throw invalid(`Field ${path} is type RECORD but has no schema: give it "fields".`);
    base = `STRUCT(${field.fields.map((f) => `${quoteIdent(f.name)} ${duckTypeOf(f, `${path}.${f.name}`)}`).join(', ')})`;
  } else {
    const mapped = TO_DUCK[type];
    if (!mapped)
      throw invalid(
        `Field ${path} has type ${field.type}, which the local BigQuery does not know. Use one of ${Object.keys(TO_DUCK).join(', ')}, RECORD.`,
      );
    base = mapped;
  }
  return field.mode === 'REPEATED' ? `${base}[]` : base;
}

/** The BigQuery field for a DuckDB result column. */
export function fieldOf(name: string, type: DuckDBType): TableFieldSchema {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const inner = fieldOf(name, (type as DuckDBListType).valueType);
    return { ...inner, mode: 'REPEATED' };
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const st = type as DuckDBStructType;
    return {
      name,
      type: 'RECORD',
      mode: 'NULLABLE',
      fields: st.entryNames.map((n, i) => fieldOf(n, st.entryTypes[i] as DuckDBType)),
    };
  }
  return { name, type: bqScalarType(type), mode: 'NULLABLE' };
}

function bqScalarType(type: DuckDBType): string {
  if (type.alias === 'JSON') return 'JSON';
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'BOOLEAN';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'INTEGER';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return 'FLOAT';
    case DuckDBTypeId.DECIMAL:
      return (type as unknown as { scale: number }).scale > 9 ? 'BIGNUMERIC' : 'NUMERIC';
    case DuckDBTypeId.DATE:
      return 'DATE';
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
      return 'TIME';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'DATETIME';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'TIMESTAMP';
    case DuckDBTypeId.BLOB:
      return 'BYTES';
    default:
      return 'STRING';
  }
}

/** The BigQuery schema of a DuckDB result. */
export function schemaOf(result: DuckDBResult): TableFieldSchema[] {
  return result.columnNames().map((name, i) => fieldOf(name, result.columnType(i)));
}

/** Options of {@link encodeRows}. */
export interface EncodeOptions {
  /** TIMESTAMP as int64 microseconds (`formatOptions.useInt64Timestamp`); else float seconds. */
  int64Timestamp?: boolean;
}

/** Rows of DuckDB values in BigQuery's REST shape. */
export function encodeRows(
  rows: DuckDBValue[][],
  schema: TableFieldSchema[],
  options: EncodeOptions = {},
): RestRow[] {
  return rows.map((row) => ({ f: row.map((value, i) => ({ v: encodeCell(value, schema[i]!, options) })) }));
}

function encodeCell(value: DuckDBValue, field: TableFieldSchema, options: EncodeOptions): RestCell {
  if (value === null || value === undefined) return field.mode === 'REPEATED' ? [] : null;
  if (field.mode === 'REPEATED') {
    const items = (value as unknown as { items: DuckDBValue[] }).items;
    const inner = { ...field, mode: 'NULLABLE' as const };
    return items.map((item) => ({ v: encodeCell(item, inner, options) }));
  }
  if (field.type === 'RECORD') {
    const entries = (value as unknown as { entries: Record<string, DuckDBValue> }).entries;
    return { f: (field.fields ?? []).map((f) => ({ v: encodeCell(entries[f.name] ?? null, f, options) })) };
  }
  return encodeScalar(value, field.type, options);
}

function encodeScalar(value: DuckDBValue, type: string, options: EncodeOptions): string {
  if (type === 'TIMESTAMP') {
    const micros = (value as unknown as { micros: bigint }).micros;
    if (options.int64Timestamp) return micros.toString();
    return (Number(micros) / 1e6).toExponential().replace(/e\+?/, 'E');
  }
  if (type === 'DATETIME') return String(value).replace(' ', 'T');
  if (type === 'BYTES')
    return Buffer.from((value as unknown as { bytes: Uint8Array }).bytes).toString('base64');
  if (type === 'FLOAT' && typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  }
  if (type === 'BOOLEAN') return value ? 'true' : 'false';
  // BigQuery writes NUMERIC without trailing zeros: 12.5, not 12.500000000.
  if (type === 'NUMERIC' || type === 'BIGNUMERIC')
    return String(value)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
  return String(value);
}
