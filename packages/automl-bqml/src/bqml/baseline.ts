/**
 * BigQuery ML baselines through the official client: `CREATE OR REPLACE MODEL` as a query job (statistics
 * from `job.getMetadata()`), then `ML.EVALUATE`, `ML.PREDICT`, `ML.TRAINING_INFO` and friends, each built by
 * {@link mlFunctionSql} and returned typed. Nothing here depends on the emulator: the same calls run on
 * BigQuery.
 */

import {
  assertWithinMaxCost,
  type CostEstimate,
  itemRate,
  PRICE_TABLE,
  validateMaxCost,
} from '@terra-vertex/core';
import {
  type ConfusionMatrixRow,
  type ExplainPredictRow,
  type FeatureImportanceRow,
  type GlobalExplainRow,
  type RocPoint,
  type TrainingInfoRow,
  toConfusionMatrixRows,
  toExplainPredictRows,
  toFeatureImportanceRows,
  toGlobalExplainRows,
  toRocCurve,
  toTrainingInfoRows,
} from './diagnostics.ts';
import { type MlFunction, type MlSettings, mlFunctionSql } from './functions.ts';
import { type ModelRef, parseModelRef, parseTableRef, type TableRef, validateColumn } from './identifiers.ts';
import {
  type BigQueryTarget,
  type BqmlProgress,
  createModelCost,
  type JobStatistics,
  resolveTarget,
  runQueryJob,
} from './jobs.ts';
import { validateModelType } from './option-values.ts';
import type { ModelType, OptionInput } from './options.ts';
import { type Evaluation, type PredictionRow, toEvaluation, toPredictionRows } from './results.ts';
import { createModelSql, type InputRows, type RowFilter } from './sql.ts';

/** Options of {@link bqmlBaseline}. */
export interface BqmlBaselineOptions extends BigQueryTarget {
  /** Training table, `project.dataset.table` (or `dataset.table` in the client's project). */
  table: string | TableRef;
  /** Label column (supervised model types). */
  label?: string;
  modelType: ModelType | `${Lowercase<ModelType>}`;
  /** CREATE MODEL options by name (`l2_reg`, `max_iterations` …), checked against the model type. */
  options?: Record<string, OptionInput | undefined>;
  /** Model to create or replace (default `<table dataset>.<table>_<model type>`). */
  model?: string | ModelRef;
  /** Feature columns (default every column but the label). */
  features?: string[];
  /** Only rows whose columns equal these values (sent as query parameters). */
  where?: RowFilter;
  /** Evaluate and predict on this table instead (default: evaluation on the model's own held-out split,
   *  predictions on `table`). */
  evaluationTable?: string | TableRef;
  /** Binary classification threshold for evaluation and prediction (needs input rows, so evaluates on the table). */
  threshold?: number;
  /** Prediction rows returned (default 1,000). */
  predictLimit?: number;
  onProgress?: (p: BqmlProgress) => void;
  /** Milliseconds between training-progress polls (default 1,000). */
  pollMs?: number;
  /**
   * Refuse to train when the CREATE MODEL is estimated above this many USD (from a dry run, at the BigQuery ML
   * on-demand price); the job is also sent with `maximumBytesBilled` set to the bytes this amount buys.
   */
  maxCost?: number;
  /** Called with the estimate when `maxCost` is given, before the model is created. */
  onCost?: (estimate: CostEstimate) => void;
}

/** What {@link bqmlBaseline} returns. */
export interface BqmlBaselineResult {
  model: ModelRef;
  modelType: ModelType;
  /** The CREATE MODEL statement that ran. */
  query: string;
  /** The training job: `statementType` CREATE_MODEL, `ddlOperationPerformed`, `mlStatistics`. */
  job: JobStatistics;
  /** The CREATE MODEL estimate checked against `maxCost` (when given). */
  cost?: CostEstimate;
  evaluation: Evaluation;
  predictions: PredictionRow[];
  trainingInfo: TrainingInfoRow[];
}

function defaultModel(table: TableRef, modelType: ModelType): ModelRef {
  const base = table.tableId.replace(/[^A-Za-z0-9_]/g, '_');
  return {
    projectId: table.projectId,
    datasetId: table.datasetId,
    modelId: `${base}_${modelType.toLowerCase()}`,
  };
}

const modelName = (m: ModelRef) => `${m.projectId}.${m.datasetId}.${m.modelId}`;

/**
 * Trains a BigQuery ML baseline and reads back what it learned: creates (or replaces) the model with a
 * query job, reporting training progress; then its evaluation, predictions and per-iteration training info.
 *
 * @example
 * const r = await bqmlBaseline({ table: 'demo-terra-vertex.samples.breast_cancer', label: 'diagnosis',
 *   modelType: 'LOGISTIC_REG', options: { l2_reg: 0.1 } });
 * if (r.evaluation.kind === 'classification') console.log(r.evaluation.rocAuc);
 */
export async function bqmlBaseline(options: BqmlBaselineOptions): Promise<BqmlBaselineResult> {
  if (options.maxCost !== undefined) validateMaxCost(options.maxCost);
  const { target, table, model, modelType, sql } = await prepareBaseline(options);
  let cost: CostEstimate | undefined;
  if (options.maxCost !== undefined) {
    cost = await createModelCost(target.bigquery, sql, modelName(model), target.location);
    options.onCost?.(cost);
    assertWithinMaxCost(cost, options.maxCost);
  }
  // The bytes maxCost buys at the CREATE MODEL price: BigQuery itself refuses to bill more.
  const maximumBytesBilled =
    options.maxCost === undefined
      ? undefined
      : Math.max(
          PRICE_TABLE.bigQueryMinimumBytesPerTable,
          (options.maxCost / itemRate('bigQueryMlCreateModel').usd) * 2 ** 40,
        );
  const { job } = await runQueryJob(target.bigquery, sql, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(target.location ? { location: target.location } : {}),
    ...(maximumBytesBilled !== undefined ? { maximumBytesBilled } : {}),
    context: `CREATE MODEL ${modelName(model)}`,
  });
  return {
    ...(await readBack(options, target, table, model, modelType, sql.query, job)),
    ...(cost ? { cost } : {}),
  };
}

/**
 * What the CREATE MODEL of {@link bqmlBaseline} with these options would cost on BigQuery on demand: a dry
 * run's `totalBytesProcessed` at the BigQuery ML CREATE MODEL price. Nothing is created.
 */
export async function estimateBaselineCost(options: BqmlBaselineOptions): Promise<CostEstimate> {
  const { target, model, sql } = await prepareBaseline(options);
  return createModelCost(target.bigquery, sql, modelName(model), target.location);
}

async function prepareBaseline(options: BqmlBaselineOptions) {
  const modelType = validateModelType(options.modelType);
  options.features?.forEach((f, i) => {
    validateColumn(f, `features[${i}]`);
  });
  const target = await resolveTarget(options);
  const table = parseTableRef(options.table, 'table', target.project);
  const model = options.model
    ? parseModelRef(options.model, 'model', target.project)
    : defaultModel(table, modelType);
  const input: InputRows = {
    table,
    ...(options.features?.length ? { columns: options.features } : {}),
    ...(options.where ? { where: options.where } : {}),
  };
  const sql = createModelSql(
    {
      model,
      modelType,
      input,
      ...(options.label !== undefined ? { label: options.label } : {}),
      ...(options.options ? { options: options.options } : {}),
    },
    target.project,
  );
  return { target, table, model, modelType, sql };
}

/** Evaluation, predictions and training info of the model {@link bqmlBaseline} created. */
async function readBack(
  options: BqmlBaselineOptions,
  target: Awaited<ReturnType<typeof resolveTarget>>,
  table: TableRef,
  model: ModelRef,
  modelType: ModelType,
  query: string,
  job: JobStatistics,
): Promise<BqmlBaselineResult> {
  const evalTable = options.evaluationTable
    ? parseTableRef(options.evaluationTable, 'evaluationTable', target.project)
    : undefined;
  const columns = options.features?.length
    ? [
        ...options.features,
        ...(options.label && !options.features.includes(options.label) ? [options.label] : []),
      ]
    : undefined;
  const rowsOf = (t: TableRef, limit?: number): InputRows => ({
    table: t,
    ...(columns ? { columns } : {}),
    ...(options.where && t === table ? { where: options.where } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  const evalInput = evalTable
    ? rowsOf(evalTable)
    : options.threshold !== undefined
      ? rowsOf(table)
      : undefined;
  const threshold = options.threshold !== undefined ? { threshold: options.threshold } : {};
  const evaluation = await evaluateModel({
    ...target,
    model,
    ...(evalInput ? { input: evalInput } : {}),
    settings: threshold,
  });
  const predictions = await predictWithModel({
    ...target,
    model,
    input: rowsOf(evalTable ?? table, options.predictLimit ?? 1000),
    settings: threshold,
    ...(options.label !== undefined ? { label: options.label } : {}),
  });
  const info = modelType === 'PCA' ? [] : await trainingInfo({ ...target, model });
  return { model, modelType, query, job, evaluation, predictions, trainingInfo: info };
}

/** Options of the ML function helpers: the model, its input rows and STRUCT settings. */
export interface MlCallOptions extends BigQueryTarget {
  model: string | ModelRef;
  /** Input rows (a table, optional columns, filters and limit). */
  input?: InputRows;
  settings?: MlSettings;
  /** The model's label column, to find `predicted_<label>` (default: the first `predicted_*` column). */
  label?: string;
}

async function callMl(fn: MlFunction, o: MlCallOptions): Promise<Record<string, unknown>[]> {
  const target = await resolveTarget(o);
  const sql = mlFunctionSql(fn, o.model, o.input, o.settings ?? {}, target.project);
  const model = typeof o.model === 'string' ? o.model : modelName(o.model);
  const { rows } = await runQueryJob(target.bigquery, sql, {
    ...(target.location ? { location: target.location } : {}),
    context: `ML.${fn} of ${model}`,
  });
  return rows;
}

/** `ML.EVALUATE`: on `input` when given, else on the model's held-out split. */
export async function evaluateModel(o: MlCallOptions): Promise<Evaluation> {
  const [row] = await callMl('EVALUATE', o);
  if (!row)
    throw new Error(
      `ML.EVALUATE of ${typeof o.model === 'string' ? o.model : modelName(o.model)} returned no row`,
    );
  return toEvaluation(row);
}

/** `ML.PREDICT` on `input`. */
export async function predictWithModel(o: MlCallOptions): Promise<PredictionRow[]> {
  return toPredictionRows(await callMl('PREDICT', o), o.label);
}

/** `ML.EXPLAIN_PREDICT` on `input` (`settings.top_k_features`, default 5). */
export async function explainPredict(o: MlCallOptions): Promise<ExplainPredictRow[]> {
  return toExplainPredictRows(await callMl('EXPLAIN_PREDICT', o), o.label);
}

/** `ML.GLOBAL_EXPLAIN` (the model needs `enable_global_explain = TRUE`). */
export async function globalExplain(o: Omit<MlCallOptions, 'input'>): Promise<GlobalExplainRow[]> {
  return toGlobalExplainRows(await callMl('GLOBAL_EXPLAIN', o));
}

/** `ML.CONFUSION_MATRIX`: on `input` when given, else on the held-out split. */
export async function confusionMatrix(o: MlCallOptions): Promise<ConfusionMatrixRow[]> {
  return toConfusionMatrixRows(await callMl('CONFUSION_MATRIX', o));
}

/** `ML.ROC_CURVE` of a binary classifier: on `input` when given, else on the held-out split. */
export async function rocCurve(o: MlCallOptions): Promise<RocPoint[]> {
  return toRocCurve(await callMl('ROC_CURVE', o));
}

/** `ML.TRAINING_INFO`: loss, eval loss and learning rate per iteration. */
export async function trainingInfo(o: Omit<MlCallOptions, 'input'>): Promise<TrainingInfoRow[]> {
  return toTrainingInfoRows(await callMl('TRAINING_INFO', o));
}

/** `ML.FEATURE_IMPORTANCE` of a boosted-tree model. */
export async function featureImportance(o: Omit<MlCallOptions, 'input'>): Promise<FeatureImportanceRow[]> {
  return toFeatureImportanceRows(await callMl('FEATURE_IMPORTANCE', o));
}
