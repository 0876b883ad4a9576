/**
 * Typed rows of BigQuery ML functions, converted from the row objects `@google-cloud/bigquery` returns
 * (INT64 and FLOAT64 as numbers, DATE/TIMESTAMP as wrapper objects, NUMERIC as Big, REPEATED as arrays,
 * STRUCT as objects). Column names are BigQuery ML's (reference §3.5–3.8).
 */

/** A plain cell value: what a row object holds once the client's wrappers are unwrapped. */
export type CellValue = string | number | boolean | null | CellValue[] | { [key: string]: CellValue };

/** Unwraps the client's cell objects: dates and timestamps to their strings, NUMERIC to numbers, bytes to base64. */
export function plainValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(plainValue);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown> & { constructor?: { name?: string } };
    const kind = o.constructor?.name;
    if (kind === 'Big' || kind === 'BigQueryInt') return Number(String(v));
    if (kind?.startsWith('BigQuery') && typeof o.value === 'string') return o.value;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plainValue(x)]));
  }
  return String(v);
}

/** A row object with plain values. */
export type PlainRow = Record<string, CellValue>;

/** Unwraps every cell of a client row. */
export function plainRow(row: Record<string, unknown>): PlainRow {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plainValue(v)]));
}

/** A number from a cell (NULL → null). */
export const num = (v: unknown): number | null => {
  const p = plainValue(v);
  if (p === null) return null;
  const n = typeof p === 'number' ? p : Number(p);
  return Number.isNaN(n) && p !== 'NaN' ? null : n;
};

/** `ML.EVALUATE` of a classifier (multiclass: macro averages, accuracy micro). */
export interface ClassificationMetrics {
  kind: 'classification';
  precision: number | null;
  recall: number | null;
  accuracy: number | null;
  f1Score: number | null;
  logLoss: number | null;
  rocAuc: number | null;
}

/** `ML.EVALUATE` of a regressor. */
export interface RegressionMetrics {
  kind: 'regression';
  meanAbsoluteError: number | null;
  meanSquaredError: number | null;
  meanSquaredLogError: number | null;
  medianAbsoluteError: number | null;
  r2Score: number | null;
  explainedVariance: number | null;
}

/** `ML.EVALUATE` of k-means. */
export interface ClusteringMetrics {
  kind: 'clustering';
  daviesBouldinIndex: number | null;
  meanSquaredDistance: number | null;
}

/** `ML.EVALUATE` of PCA. */
export interface DimensionalityReductionMetrics {
  kind: 'dimensionality-reduction';
  totalExplainedVarianceRatio: number | null;
}

/** `ML.EVALUATE` of an autoencoder. */
export interface AutoencoderMetrics {
  kind: 'autoencoder';
  meanAbsoluteError: number | null;
  meanSquaredError: number | null;
  meanSquaredLogError: number | null;
}

/** One `ML.EVALUATE` row, typed by the columns it has; `row` keeps every column as returned. */
export type Evaluation = (
  | ClassificationMetrics
  | RegressionMetrics
  | ClusteringMetrics
  | DimensionalityReductionMetrics
  | AutoencoderMetrics
) & { row: PlainRow };

/** Types an `ML.EVALUATE` row by its columns. */
export function toEvaluation(raw: Record<string, unknown>): Evaluation {
  const row = plainRow(raw);
  if ('roc_auc' in row || 'log_loss' in row)
    return {
      kind: 'classification',
      precision: num(row.precision),
      recall: num(row.recall),
      accuracy: num(row.accuracy),
      f1Score: num(row.f1_score),
      logLoss: num(row.log_loss),
      rocAuc: num(row.roc_auc),
      row,
    };
  if ('r2_score' in row)
    return {
      kind: 'regression',
      meanAbsoluteError: num(row.mean_absolute_error),
      meanSquaredError: num(row.mean_squared_error),
      meanSquaredLogError: num(row.mean_squared_log_error),
      medianAbsoluteError: num(row.median_absolute_error),
      r2Score: num(row.r2_score),
      explainedVariance: num(row.explained_variance),
      row,
    };
  if ('davies_bouldin_index' in row)
    return {
      kind: 'clustering',
      daviesBouldinIndex: num(row.davies_bouldin_index),
      meanSquaredDistance: num(row.mean_squared_distance),
      row,
    };
  if ('total_explained_variance_ratio' in row)
    return {
      kind: 'dimensionality-reduction',
      totalExplainedVarianceRatio: num(row.total_explained_variance_ratio),
      row,
    };
  if ('mean_absolute_error' in row)
    return {
      kind: 'autoencoder',
      meanAbsoluteError: num(row.mean_absolute_error),
      meanSquaredError: num(row.mean_squared_error),
      meanSquaredLogError: num(row.mean_squared_log_error),
      row,
    };
  throw new Error(
    `ML.EVALUATE returned columns ${Object.keys(row).join(', ')}, which match no known metric set`,
  );
}

/** A class label and its probability (`predicted_<label>_probs` element). */
export interface LabelProbability {
  label: string | number | boolean;
  prob: number;
}

/** One `ML.PREDICT` row: the prediction, typed, and the passed-through input columns. */
export interface PredictionRow {
  /** `predicted_<label>` (classifiers, regressors) or `centroid_id` (k-means); null for PCA/autoencoders. */
  predicted: string | number | boolean | null;
  /** Classifiers: every class with its probability, as `predicted_<label>_probs`. */
  probabilities?: LabelProbability[];
  /** K-means: the nearest centroids and their distances. */
  nearestCentroids?: { centroidId: number; distance: number }[];
  /** PCA `principal_component_<i>` or autoencoder `latent_col_<i>` values, in order. */
  components?: number[];
  /** The other columns (the input passed through). */
  values: PlainRow;
}

/** The `predicted_<label>` column of a row: `predicted_${label}` when known, else the first such column. */
export function predictedColumn(row: Record<string, unknown>, label?: string): string | undefined {
  if (label !== undefined) return `predicted_${label}`;
  return Object.keys(row).find((k) => k.startsWith('predicted_') && !k.endsWith('_probs'));
}

const componentKey = /^(principal_component|latent_col)_(\d+)$/;

/** Types `ML.PREDICT` rows (any model type). */
export function toPredictionRows(rows: Record<string, unknown>[], label?: string): PredictionRow[] {
  return rows.map((raw) => {
    const row = plainRow(raw);
    const col = predictedColumn(row, label);
    const values: PlainRow = { ...row };
    const out: PredictionRow = { predicted: null, values };
    if (col && col in row) {
      out.predicted = row[col] as PredictionRow['predicted'];
      delete values[col];
      const probs = row[`${col}_probs`];
      if (Array.isArray(probs)) {
        out.probabilities = probs.map((p) => {
          const o = p as Record<string, CellValue>;
          return { label: o.label as LabelProbability['label'], prob: num(o.prob) ?? Number.NaN };
        });
        delete values[`${col}_probs`];
      }
    } else if ('centroid_id' in row) {
      out.predicted = row.centroid_id as number;
      delete values.centroid_id;
      const near = row.nearest_centroids_distance;
      if (Array.isArray(near)) {
        out.nearestCentroids = near.map((n) => {
          const o = n as Record<string, CellValue>;
          return {
            centroidId: num(o.CENTROID_ID ?? o.centroid_id) ?? Number.NaN,
            distance: num(o.DISTANCE ?? o.distance) ?? Number.NaN,
          };
        });
        delete values.nearest_centroids_distance;
      }
    }
    const comps = Object.keys(row)
      .map((k) => [k, componentKey.exec(k)] as const)
      .filter(([, m]) => m)
      .sort((a, b) => Number(a[1]![2]) - Number(b[1]![2]));
    if (comps.length) {
      out.components = comps.map(([k]) => num(row[k]) ?? Number.NaN);
      for (const [k] of comps) delete values[k];
    }
    return out;
  });
}
