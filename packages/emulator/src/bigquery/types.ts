/**
 * Types shared by the local BigQuery's parts: the REST shapes it answers with and the contract between the SQL
 * layer and BigQuery ML.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** `TableFieldSchema` as BigQuery REST v2 has it. */
export interface TableFieldSchema {
  name: string;
  /** Legacy names as the API returns them: STRING, INTEGER, FLOAT, NUMERIC, BIGNUMERIC, BOOLEAN, BYTES, DATE, DATETIME, TIME, TIMESTAMP, JSON, RECORD. */
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: TableFieldSchema[];
  description?: string;
}

/** A row of a REST answer: `{f: [{v}]}`. */
export interface RestRow {
  f: { v: RestCell }[];
}
/** A cell: strings for scalars, `[{v}]` for REPEATED, `{f: […]}` for RECORD. */
export type RestCell = string | null | { v: RestCell }[] | RestRow;

/** `{projectId, datasetId, tableId}`. */
export interface TableRef {
  projectId: string;
  datasetId: string;
  tableId: string;
}

/** `{projectId, datasetId, modelId}`. */
export interface ModelRef {
  projectId: string;
  datasetId: string;
  modelId: string;
}

/** A literal of `OPTIONS(...)` or `STRUCT(... AS name)`: strings unquoted, numbers, booleans, arrays. */
export type OptionValue = string | number | boolean | null | OptionValue[];

/** `IterationResult` of `mlStatistics.iterationResults` (int64 as strings, as the API sends them). */
export interface IterationResult {
  index: number;
  durationMs: string;
  trainingLoss?: number;
  evalLoss?: number;
  learnRate?: number;
  clusterInfos?: { centroidId: string; clusterRadius: number; clusterSize: string }[];
  principalComponentInfos?: Record<string, unknown>[];
}

/** `JobStatistics2.mlStatistics`. */
export interface MlStatistics {
  maxIterations: string;
  modelType: string;
  trainingType: 'SINGLE_TRAINING' | 'HPARAM_TUNING';
  iterationResults: IterationResult[];
}

/** What the SQL layer hands to BigQuery ML for `CREATE MODEL`. */
export interface CreateModelRequest {
  model: ModelRef;
  mode: 'CREATE' | 'CREATE_OR_REPLACE' | 'CREATE_IF_NOT_EXISTS';
  /** OPTIONS, keys lower-cased. */
  options: Record<string, OptionValue>;
  /** The `AS` query, already DuckDB SQL runnable on the job's connection. */
  query: string;
}

/** What `CREATE MODEL` reports for the job's statistics. */
export interface CreateModelResult {
  ddlOperationPerformed: 'CREATE' | 'REPLACE' | 'SKIP';
  mlStatistics?: MlStatistics;
  /** Rows read by the training query. */
  trainingRows?: number;
}

/** The ML table functions the local BigQuery runs. */
export type MlFunctionName =
  | 'PREDICT'
  | 'EVALUATE'
  | 'EXPLAIN_PREDICT'
  | 'GLOBAL_EXPLAIN'
  | 'FEATURE_IMPORTANCE'
  | 'CONFUSION_MATRIX'
  | 'ROC_CURVE'
  | 'TRAINING_INFO';

/** One `ML.<name>(MODEL m [, TABLE t | (query)] [, GENERATE_ARRAY(…)] [, STRUCT(…)])` call. */
export interface MlFunctionCall {
  name: MlFunctionName;
  model: ModelRef;
  /** The input rows as DuckDB SQL runnable on the job's connection; absent when the call has none. */
  input?: { sql: string };
  /** ROC_CURVE's explicit thresholds (`GENERATE_ARRAY(…)` or an array literal). */
  thresholds?: number[];
  /** The STRUCT argument, keys lower-cased. */
  settings: Record<string, OptionValue>;
}

/** A DuckDB connection of one job; every statement of the job runs on it. */
export type JobConnection = DuckDBConnection;
