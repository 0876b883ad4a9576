/**
 * BigQuery ML explanations as the attribution results endpoint explanations produce, so the same bar charts
 * and notebook display show them: `ML.EXPLAIN_PREDICT` rows (one per instance) and `ML.GLOBAL_EXPLAIN` rows
 * (one result for the model, or one per class with `class_level_explain`).
 */
import type { JsonValue } from '@terra-vertex/core';
import type { OutputAttribution, TabularAttributionMap, TabularAttributionResult } from './attributions.ts';

/**
 * A row of `ML.EXPLAIN_PREDICT` as the BigQuery client returns it (`top_feature_attributions`,
 * `baseline_prediction_value`, `prediction_value`, `approximation_error`, `predicted_<label>`,
 * `probability`), or as `@terra-vertex/automl-bqml`'s `explainPredict` types it (camelCase, `predicted`).
 */
export type BqmlExplainRow = object;

/** A row of `ML.GLOBAL_EXPLAIN`: `feature`, `attribution` and, per class, a column named after the label. */
export type BqmlGlobalExplainRow = object;

/** Options of {@link fromBqmlExplainPredict} and {@link fromBqmlGlobalExplain}. */
export interface BqmlAttributionOptions {
  /** The model, `project.dataset.model`, reported as `deployedModelId` (default `bqml`). */
  model?: string;
  /** The label column, to find `predicted_<label>` (default: the first `predicted_*` column). */
  label?: string;
}

const pick = (row: Record<string, unknown>, ...keys: string[]): unknown =>
  keys.map((k) => row[k]).find((v) => v !== undefined);

function number(value: unknown, what: string, index: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (Number.isNaN(n))
    throw new Error(`ML.EXPLAIN_PREDICT row ${index}: ${what} is ${JSON.stringify(value)}, not a number`);
  return n;
}

function attributionMap(list: unknown, index: number): TabularAttributionMap {
  if (!Array.isArray(list))
    throw new Error(
      `ML.EXPLAIN_PREDICT row ${index} has no top_feature_attributions array; pass the rows of SELECT * FROM ML.EXPLAIN_PREDICT(...)`,
    );
  const map: TabularAttributionMap = {};
  for (const item of list as { feature?: unknown; attribution?: unknown }[])
    map[String(item.feature)] = number(item.attribution, `attribution of ${String(item.feature)}`, index);
  return map;
}

function predictedOf(row: Record<string, unknown>, label?: string): JsonValue {
  if ('predicted' in row) return (row.predicted ?? null) as JsonValue;
  const key =
    label !== undefined
      ? `predicted_${label}`
      : Object.keys(row).find((k) => k.startsWith('predicted_') && !k.endsWith('_probs'));
  return (key ? (row[key] ?? null) : null) as JsonValue;
}

/**
 * Turns `ML.EXPLAIN_PREDICT` rows into one tabular {@link TabularAttributionResult} per row: the top-k
 * feature attributions as the map, `baseline_prediction_value` and `prediction_value` (a logit for
 * classifiers) as the baseline and instance outputs, the predicted class as the label.
 *
 * @example
 * const rows = await explainPredict({ model, input: { table, limit: 3 } });
 * showAttributions(fromBqmlExplainPredict(rows, { model: 'p.d.m' }));
 */
export function fromBqmlExplainPredict(
  rows: readonly BqmlExplainRow[],
  options: BqmlAttributionOptions = {},
): TabularAttributionResult[] {
  return rows.map((object, instance) => {
    const row = object as Record<string, unknown>;
    const predicted = predictedOf(row, options.label);
    const probability = pick(row, 'probability');
    const classifier = probability !== undefined && probability !== null;
    const output: OutputAttribution<TabularAttributionMap> = {
      outputIndex: [],
      ...(classifier && predicted !== null ? { label: String(predicted) } : {}),
      ...(options.label ? { outputName: `predicted_${options.label}` } : {}),
      baselineOutputValue: number(
        pick(row, 'baseline_prediction_value', 'baselinePredictionValue'),
        'baseline_prediction_value',
        instance,
      ),
      instanceOutputValue: number(
        pick(row, 'prediction_value', 'predictionValue'),
        'prediction_value',
        instance,
      ),
      approximationError: number(
        pick(row, 'approximation_error', 'approximationError') ?? 0,
        'approximation_error',
        instance,
      ),
      map: attributionMap(pick(row, 'top_feature_attributions', 'topFeatureAttributions'), instance),
    };
    return {
      kind: 'tabular',
      instance,
      deployedModelId: options.model ?? 'bqml',
      prediction: predicted,
      ...output,
      outputs: [output],
    };
  });
}

/**
 * Turns `ML.GLOBAL_EXPLAIN` rows into tabular results: one for the whole model, or one per class when the
 * rows carry a class column (`class_level_explain`). Global attributions have no baseline or output, so both
 * are 0; give the chart a title (`{ title: 'Global feature importance' }`).
 */
export function fromBqmlGlobalExplain(
  rows: readonly BqmlGlobalExplainRow[],
  options: BqmlAttributionOptions = {},
): TabularAttributionResult[] {
  const groups = new Map<string | undefined, TabularAttributionMap>();
  rows.forEach((object, i) => {
    const row = object as Record<string, unknown>;
    const classKey = Object.keys(row).find((k) => k !== 'feature' && k !== 'attribution');
    const cls =
      classKey && row[classKey] !== null && row[classKey] !== undefined ? String(row[classKey]) : undefined;
    const map = groups.get(cls) ?? {};
    map[String(row.feature)] = number(row.attribution, `attribution of ${String(row.feature)}`, i);
    groups.set(cls, map);
  });
  return [...groups].map(([label, map], instance) => {
    const output: OutputAttribution<TabularAttributionMap> = {
      outputIndex: [],
      ...(label !== undefined ? { label } : {}),
      outputName: 'global',
      baselineOutputValue: 0,
      instanceOutputValue: 0,
      approximationError: 0,
      map,
    };
    return {
      kind: 'tabular',
      instance,
      deployedModelId: options.model ?? 'bqml',
      prediction: null,
      ...output,
      outputs: [output],
    };
  });
}
