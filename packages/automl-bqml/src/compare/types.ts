/**
 * The shapes of a baseline comparison: what each model predicted on the held-out examples, the metrics
 * computed from it, and the leaderboard of all models.
 */

/** What one model predicted for every held-out example, as class probabilities. */
export interface ModelPredictions {
  /** Shown in the leaderboard, e.g. 'custom (PyTorch CNN)', 'AutoML Vision', 'BigQuery ML logistic regression'. */
  name: string;
  /** 'custom', 'automl', 'bqml' or any other word describing where the model comes from. */
  kind: 'custom' | 'automl' | 'bqml' | (string & {});
  /** Column order of `probabilities`. */
  classes: string[];
  /** One row per held-out example, aligned with the truth; each row sums to 1 (± 1e-3). */
  probabilities: number[][];
  /** Example ids in the same order (checked to agree across models when several give them). */
  ids?: string[];
}

/** Precision, recall and F1 of one class (one-vs-rest), and how many examples truly have it. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * One point of a curve: `x`/`y` are the false/true positive rates of a ROC curve or the recall/precision of
 * a precision–recall curve, at scores ≥ `threshold`.
 */
export interface CurvePoint {
  threshold: number;
  x: number;
  y: number;
}

/** Everything measured for one model on the held-out data, computed the same way for every model. */
export interface ModelMetrics {
  name: string;
  kind: string;
  /** Number of held-out examples. */
  examples: number;
  /** Fraction of examples whose most probable class (first column on ties) is the true one. */
  accuracy: number;
  /** Macro average over classes of the one-vs-rest average precision (area under the PR step curve). */
  aucPr: number;
  /** Macro average over classes of the one-vs-rest area under the ROC curve. */
  aucRoc: number;
  /** Mean cross-entropy of the true class, probabilities clipped to [1e-15, 1 − 1e-15] and renormalised. */
  logLoss: number;
  /** In the order of the model's classes. */
  perClass: ClassMetrics[];
  /** `counts[i][j]`: examples of true class `labels[i]` predicted as `labels[j]`. */
  confusionMatrix: { labels: string[]; counts: number[][] };
  /** ROC curve per class (one-vs-rest) and `'micro'` (all class/example pairs pooled). */
  roc: Record<string, CurvePoint[]>;
  /** Precision–recall curve per class (one-vs-rest) and `'micro'`. */
  pr: Record<string, CurvePoint[]>;
}

/** All compared models on the same held-out examples. */
export interface Leaderboard {
  /** The true label of every held-out example, in order. */
  truthLabels: string[];
  /** The class order every model's metrics use. */
  classes: string[];
  /** Best first: by AUC-PR descending, then accuracy descending. */
  models: ModelMetrics[];
}
