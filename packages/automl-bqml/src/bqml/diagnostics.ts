/**
 * Typed rows of the BigQuery ML functions that explain and diagnose a model: `ML.EXPLAIN_PREDICT`,
 * `ML.GLOBAL_EXPLAIN`, `ML.FEATURE_IMPORTANCE`, `ML.CONFUSION_MATRIX`, `ML.ROC_CURVE`, `ML.TRAINING_INFO`.
 */
import { type CellValue, num, type PlainRow, plainRow, plainValue, predictedColumn } from './results.ts';

/** A feature and its attribution. */
export interface FeatureAttribution {
  feature: string;
  attribution: number;
}

/** One `ML.EXPLAIN_PREDICT` row. */
export interface ExplainPredictRow {
  predicted: string | number | boolean | null;
  /** Classifiers: probability of the predicted class. */
  probability?: number;
  /** Top-k features by |attribution|. */
  topFeatureAttributions: FeatureAttribution[];
  baselinePredictionValue: number;
  /** Regression: the prediction; classification: the logit of the predicted class. */
  predictionValue: number;
  approximationError: number;
  values: PlainRow;
}

const EXPLAIN_COLUMNS = [
  'probability',
  'top_feature_attributions',
  'baseline_prediction_value',
  'prediction_value',
  'approximation_error',
];

/** Types `ML.EXPLAIN_PREDICT` rows. */
export function toExplainPredictRows(rows: Record<string, unknown>[], label?: string): ExplainPredictRow[] {
  return rows.map((raw) => {
    const row = plainRow(raw);
    const col = predictedColumn(row, label);
    const values: PlainRow = { ...row };
    for (const k of [...EXPLAIN_COLUMNS, ...(col ? [col] : [])]) delete values[k];
    const attributions = Array.isArray(row.top_feature_attributions) ? row.top_feature_attributions : [];
    return {
      predicted: (col ? (row[col] ?? null) : null) as ExplainPredictRow['predicted'],
      ...(row.probability !== undefined && row.probability !== null
        ? { probability: num(row.probability) ?? Number.NaN }
        : {}),
      topFeatureAttributions: attributions.map((a) => {
        const o = a as Record<string, CellValue>;
        return { feature: String(o.feature), attribution: num(o.attribution) ?? Number.NaN };
      }),
      baselinePredictionValue: num(row.baseline_prediction_value) ?? Number.NaN,
      predictionValue: num(row.prediction_value) ?? Number.NaN,
      approximationError: num(row.approximation_error) ?? 0,
      values,
    };
  });
}

/** One `ML.GLOBAL_EXPLAIN` row (`classLabel` with `class_level_explain`, from the label-named column). */
export interface GlobalExplainRow extends FeatureAttribution {
  classLabel?: string;
}

/** Types `ML.GLOBAL_EXPLAIN` rows. */
export function toGlobalExplainRows(rows: Record<string, unknown>[]): GlobalExplainRow[] {
  return rows.map((raw) => {
    const row = plainRow(raw);
    // With class_level_explain the class column is named after the label column.
    const classKey = Object.keys(row).find((k) => k !== 'feature' && k !== 'attribution');
    const cls = classKey ? row[classKey] : undefined;
    return {
      ...(cls !== undefined && cls !== null ? { classLabel: String(cls) } : {}),
      feature: String(row.feature),
      attribution: num(row.attribution) ?? Number.NaN,
    };
  });
}

/** One `ML.FEATURE_IMPORTANCE` row (boosted trees). */
export interface FeatureImportanceRow {
  feature: string;
  importanceWeight: number | null;
  importanceGain: number | null;
  importanceCover: number | null;
}

/** Types `ML.FEATURE_IMPORTANCE` rows. */
export function toFeatureImportanceRows(rows: Record<string, unknown>[]): FeatureImportanceRow[] {
  return rows.map((r) => ({
    feature: String(plainValue(r.feature)),
    importanceWeight: num(r.importance_weight),
    importanceGain: num(r.importance_gain),
    importanceCover: num(r.importance_cover),
  }));
}

/** One `ML.CONFUSION_MATRIX` row: the expected label and the count per predicted-label column. */
export interface ConfusionMatrixRow {
  expectedLabel: string | number | boolean | null;
  counts: Record<string, number>;
}

/** Types `ML.CONFUSION_MATRIX` rows. */
export function toConfusionMatrixRows(rows: Record<string, unknown>[]): ConfusionMatrixRow[] {
  return rows.map((raw) => {
    const { expected_label, ...rest } = plainRow(raw);
    const counts = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, num(v) ?? 0]));
    return { expectedLabel: (expected_label ?? null) as ConfusionMatrixRow['expectedLabel'], counts };
  });
}

/** One `ML.ROC_CURVE` row. */
export interface RocPoint {
  threshold: number;
  recall: number;
  falsePositiveRate: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/** Types `ML.ROC_CURVE` rows. */
export function toRocCurve(rows: Record<string, unknown>[]): RocPoint[] {
  return rows.map((r) => ({
    threshold: num(r.threshold) ?? Number.NaN,
    recall: num(r.recall) ?? Number.NaN,
    falsePositiveRate: num(r.false_positive_rate) ?? Number.NaN,
    truePositives: num(r.true_positives) ?? 0,
    falsePositives: num(r.false_positives) ?? 0,
    trueNegatives: num(r.true_negatives) ?? 0,
    falseNegatives: num(r.false_negatives) ?? 0,
  }));
}

/** One `ML.TRAINING_INFO` row. */
export interface TrainingInfoRow {
  trainingRun: number;
  iteration: number;
  loss: number | null;
  evalLoss: number | null;
  learningRate: number | null;
  durationMs: number | null;
  /** Every column as returned (k-means adds `cluster_info`). */
  row: PlainRow;
}

/** Types `ML.TRAINING_INFO` rows, ordered by run and iteration. */
export function toTrainingInfoRows(rows: Record<string, unknown>[]): TrainingInfoRow[] {
  return rows
    .map((raw) => {
      const row = plainRow(raw);
      return {
        trainingRun: num(row.training_run) ?? 0,
        iteration: num(row.iteration) ?? 0,
        loss: num(row.loss),
        evalLoss: num(row.eval_loss),
        learningRate: num(row.learning_rate),
        durationMs: num(row.duration_ms),
        row,
      };
    })
    .sort((a, b) => a.trainingRun - b.trainingRun || a.iteration - b.iteration);
}
