/**
 * BigQuery's naming rules for datasets, tables and columns, table references, and the validation of a
 * `schema.fields` list into the DuckDB column list that stores it.
 */
import { invalid } from '../errors.ts';
import type { TableFieldSchema, TableRef } from '../types.ts';
import { duckTypeOf, quoteIdent } from '../warehouse.ts';

const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
/** Letters, marks, numbers, connectors (incl. `_`), dashes and spaces, as BigQuery's table names. */
const TABLE_ID = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]+$/u;
/** Flexible column names: the above plus `& % = + : ' < > # |`. */
const FIELD_NAME = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}&%=+:'<>#|]+$/u;
const RESERVED_PREFIXES = ['_TABLE_', '_FILE_', '_PARTITION', '_ROW_TIMESTAMP', '__ROOT__', '_COLIDENTIFIER'];
const MODES = ['NULLABLE', 'REQUIRED', 'REPEATED'];

/** Checks a dataset id (`[A-Za-z0-9_]{1,1024}`); `field` names where it came from. */
export function validateDatasetId(id: unknown, field: string): string {
  if (typeof id !== 'string' || !DATASET_ID.test(id)) {
    throw invalid(
      `Invalid dataset ID ${JSON.stringify(id ?? '')} in ${field}. Dataset IDs must be alphanumeric (plus underscores) and at most 1024 characters long.`,
    );
  }
  return id;
}

/** Checks a table (or model) id: up to 1024 UTF-8 bytes of letters, marks, numbers, `_`, dashes, spaces. */
export function validateTableId(id: unknown, field: string): string {
  if (typeof id !== 'string' || !TABLE_ID.test(id) || Buffer.byteLength(id, 'utf8') > 1024) {
    throw invalid(
      `Invalid table ID ${JSON.stringify(id ?? '')} in ${field}. Table IDs must be 1 to 1024 bytes of letters, marks, numbers, underscores, dashes or spaces (no dots or wildcards).`,
    );
  }
  return id;
}

/** Checks a project id from a path or reference. */
export function validateProjectId(id: unknown, field: string): string {
  if (typeof id !== 'string' || id === '' || /[/\s]/.test(id) || id.length > 100) {
    throw invalid(
      `Invalid project ID ${JSON.stringify(id ?? '')} in ${field}. Use the project's ID, e.g. my-project.`,
    );
  }
  return id;
}

/** `p:d`, as BigQuery names a dataset in messages and `id` fields. */
export function datasetName(projectId: string, datasetId: string): string {
  return `${projectId}:${datasetId}`;
}

/** `p:d.t`. */
export function tableName(ref: TableRef): string {
  return `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;
}

/** Reads a `{projectId?, datasetId, tableId}` reference (e.g. `configuration.load.destinationTable`). */
export function parseTableRef(value: unknown, field: string, defaultProject: string): TableRef {
  if (typeof value !== 'object' || value === null) {
    throw invalid(`${field} is missing. Give it as {"projectId": …, "datasetId": …, "tableId": …}.`);
  }
  const ref = value as Record<string, unknown>;
  return {
    projectId: validateProjectId(ref.projectId ?? defaultProject, `${field}.projectId`),
    datasetId: validateDatasetId(ref.datasetId, `${field}.datasetId`),
    tableId: validateTableId(ref.tableId, `${field}.tableId`),
  };
}

function validateFieldName(name: unknown, path: string): string {
  if (typeof name !== 'string' || name === '')
    throw invalid(`${path}.name is missing. Give every field a name.`);
  if (name.length > 300 || !FIELD_NAME.test(name)) {
    throw invalid(
      `Invalid field name ${JSON.stringify(name)} at ${path}. Fields must be at most 300 characters of letters, numbers, underscores, dashes, spaces or & % = + : ' < > # |.`,
    );
  }
  const upper = name.toUpperCase();
  const reserved = RESERVED_PREFIXES.find((p) => upper.startsWith(p));
  if (reserved)
    throw invalid(
      `Invalid field name ${JSON.stringify(name)} at ${path}: the prefix ${reserved} is reserved. Rename the field.`,
    );
  return name;
}

/**
 * Validates `schema.fields` (names, types, modes, nested RECORD fields, duplicates) and returns it with
 * upper-case types and explicit modes. `path` names the field list in error messages.
 */
export function normalizeSchema(fields: unknown, path = 'schema.fields'): TableFieldSchema[] {
  if (!Array.isArray(fields) || fields.length === 0) {
    throw invalid(`${path} must be a non-empty array of {"name", "type", "mode"?, "fields"?} objects.`);
  }
  const seen = new Set<string>();
  return fields.map((raw, i) => {
    const at = `${path}[${i}]`;
    if (typeof raw !== 'object' || raw === null)
      throw invalid(`${at} must be an object with "name" and "type".`);
    const f = raw as Record<string, unknown>;
    const name = validateFieldName(f.name, at);
    if (seen.has(name.toLowerCase()))
      throw invalid(
        `Duplicate field name ${JSON.stringify(name)} in ${path} (names are case-insensitive). Rename one of them.`,
      );
    seen.add(name.toLowerCase());
    if (typeof f.type !== 'string' || f.type === '')
      throw invalid(`${at}.type is missing for field ${name}. Give e.g. "STRING".`);
    const mode = f.mode === undefined || f.mode === null ? 'NULLABLE' : String(f.mode).toUpperCase();
    if (!MODES.includes(mode))
      throw invalid(`${at}.mode ${JSON.stringify(f.mode)} is not one of ${MODES.join(', ')}.`);
    const type = f.type.toUpperCase() === 'STRUCT' ? 'RECORD' : f.type.toUpperCase();
    const field: TableFieldSchema = { name, type, mode: mode as TableFieldSchema['mode'] };
    if (type === 'RECORD') field.fields = normalizeSchema(f.fields, `${at}.fields`);
    else if (f.fields !== undefined && (f.fields as unknown[]).length > 0)
      throw invalid(`${at} (${name}) has "fields" but type ${type}; only RECORD fields have subfields.`);
    if (typeof f.description === 'string') field.description = f.description;
    duckTypeOf(field, name);
    return field;
  });
}

/** `"a" BIGINT NOT NULL, "b" VARCHAR, …` for CREATE TABLE. */
export function columnsSql(fields: TableFieldSchema[]): string {
  return fields
    .map((f) => `${quoteIdent(f.name)} ${duckTypeOf(f)}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`)
    .join(', ');
}

/** `{"a": "BIGINT", …}` — the `columns` argument of read_csv / read_json. */
export function columnsStructSql(fields: TableFieldSchema[]): string {
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  return `{${fields.map((f) => `${quote(f.name)}: ${quote(duckTypeOf(f))}`).join(', ')}}`;
}
