/**
 * BigQuery query parameters (`queryParameters` of jobs.query / jobs.insert) as DuckDB bind values with their
 * types, so that `@name` and `?` in a query are bound, never spliced into the SQL.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  STRUCT,
  structValue,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import { invalid } from '../errors.ts';
import type { OptionValue } from '../types.ts';

/** `QueryParameterType`. */
export interface QueryParameterType {
  type: string;
  arrayType?: QueryParameterType;
  structTypes?: { name?: string; type: QueryParameterType }[];
}
/** `QueryParameterValue`. */
export interface QueryParameterValue {
  /** A string on the wire; the Node client sends numbers and booleans as JSON numbers and booleans. */
  value?: string | number | boolean | null;
  arrayValues?: QueryParameterValue[];
  structValues?: Record<string, QueryParameterValue>;
}
/** `QueryParameter`. */
export interface QueryParameter {
  name?: string;
  parameterType: QueryParameterType;
  parameterValue: QueryParameterValue;
}

/** Bind values and types for DuckDB, by name (`@x`) or position (`?`, keys '1', '2', …). */
export interface BoundParameters {
  values: Record<string, DuckDBValue>;
  types: Record<string, DuckDBType>;
  /** Plain values, for literal contexts such as `STRUCT(@threshold AS threshold)` of ML functions. */
  plain: Record<string, OptionValue>;
  mode: 'NAMED' | 'POSITIONAL';
}

function duckType(t: QueryParameterType, path: string): DuckDBType {
  switch (t.type?.toUpperCase()) {
    case 'INT64':
    case 'INTEGER':
      return BIGINT;
    case 'FLOAT64':
    case 'FLOAT':
      return DOUBLE;
    case 'NUMERIC':
      return DECIMAL(38, 9);
    case 'BIGNUMERIC':
      return DECIMAL(38, 18);
    case 'BOOL':
    case 'BOOLEAN':
      return BOOLEAN;
    case 'STRING':
    case 'GEOGRAPHY':
      return VARCHAR;
    case 'BYTES':
      return BLOB;
    case 'DATE':
      return DATE;
    case 'TIME':
      return TIME;
    case 'DATETIME':
      return TIMESTAMP;
    case 'TIMESTAMP':
      return TIMESTAMPTZ;
    case 'JSON':
      return VARCHAR;
    case 'ARRAY':
      if (!t.arrayType)
        throw invalid(`${path}.parameterType.arrayType is missing: give the element type of the ARRAY.`);
      return LIST(duckType(t.arrayType, `${path}.parameterType.arrayType`));
    case 'STRUCT': {
      const entries: Record<string, DuckDBType> = {};
      for (const [i, f] of (t.structTypes ?? []).entries())
        entries[f.name ?? `_field_${i + 1}`] = duckType(f.type, `${path}.structTypes[${i}]`);
      return STRUCT(entries);
    }
    default:
      throw invalid(
        `${path}.parameterType.type is ${JSON.stringify(t.type)}: use INT64, FLOAT64, NUMERIC, BIGNUMERIC, BOOL, STRING, BYTES, DATE, TIME, DATETIME, TIMESTAMP, JSON, ARRAY or STRUCT.`,
      );
  }
}

function plainValue(t: QueryParameterType, v: QueryParameterValue | undefined): OptionValue {
  if (!v) return null;
  const kind = t.type?.toUpperCase();
  if (kind === 'ARRAY')
    return (v.arrayValues ?? []).map((a) => plainValue(t.arrayType as QueryParameterType, a));
  if (kind === 'STRUCT') return null;
  if (v.value === null || v.value === undefined) return null;
  const text = String(v.value);
  if (['INT64', 'INTEGER', 'FLOAT64', 'FLOAT', 'NUMERIC', 'BIGNUMERIC'].includes(kind)) return Number(text);
  if (kind === 'BOOL' || kind === 'BOOLEAN') return text.toLowerCase() === 'true';
  return text;
}

function duckValue(t: QueryParameterType, v: QueryParameterValue | undefined, path: string): DuckDBValue {
  const kind = t.type?.toUpperCase();
  if (kind === 'ARRAY')
    return listValue(
      (v?.arrayValues ?? []).map((a, i) => duckValue(t.arrayType as QueryParameterType, a, `${path}[${i}]`)),
    );
  if (kind === 'STRUCT') {
    const entries: Record<string, DuckDBValue> = {};
    for (const [i, f] of (t.structTypes ?? []).entries()) {
      const name = f.name ?? `_field_${i + 1}`;
      entries[name] = duckValue(f.type, v?.structValues?.[name], `${path}.${name}`);
    }
    return structValue(entries);
  }
  // The Node client sends numbers and booleans as JSON numbers/booleans, other clients as strings.
  if (v?.value === null || v?.value === undefined) return null;
  const raw = String(v.value);
  switch (kind) {
    case 'INT64':
    case 'INTEGER':
      if (!/^-?\d+$/.test(raw.trim())) throw invalid(`${path}: ${JSON.stringify(raw)} is not an INT64.`);
      return BigInt(raw.trim());
    case 'FLOAT64':
    case 'FLOAT': {
      const n = Number(raw);
      if (Number.isNaN(n) && raw !== 'NaN')
        throw invalid(`${path}: ${JSON.stringify(raw)} is not a FLOAT64.`);
      return n;
    }
    case 'BOOL':
    case 'BOOLEAN':
      if (!/^(true|false)$/i.test(raw))
        throw invalid(`${path}: ${JSON.stringify(raw)} is not a BOOL (true or false).`);
      return raw.toLowerCase() === 'true';
    default:
      // Strings; DuckDB casts the text to the bound type (DATE, TIMESTAMP, NUMERIC …) and reports bad text.
      return raw;
  }
}

/** Converts `queryParameters`; names are matched case-insensitively, as BigQuery does. */
export function bindParameters(
  params: QueryParameter[] | undefined,
  mode: string | undefined,
): BoundParameters {
  const out: BoundParameters = {
    values: {},
    types: {},
    plain: {},
    mode: mode === 'POSITIONAL' ? 'POSITIONAL' : 'NAMED',
  };
  for (const [i, p] of (params ?? []).entries()) {
    const path = `queryParameters[${i}]`;
    if (!p?.parameterType)
      throw invalid(`${path}.parameterType is missing: give {type: 'INT64'|'STRING'|…}.`);
    const key = out.mode === 'POSITIONAL' ? String(i + 1) : p.name?.toLowerCase();
    if (!key)
      throw invalid(
        `${path}.name is missing: named parameters need a name (or use parameterMode POSITIONAL).`,
      );
    out.types[key] = duckType(p.parameterType, path);
    out.values[key] = duckValue(p.parameterType, p.parameterValue, path);
    out.plain[key] = plainValue(p.parameterType, p.parameterValue);
  }
  return out;
}
