/**
 * Metrics of a baseline comparison, computed from each model's predicted probabilities on the same
 * held-out examples, the same way for every model (definitions of scikit-learn 1.2, checked against it in
 * the tests). Differences from scikit-learn, on purpose: the macro AUC-ROC and AUC-PR average over the
 * classes that occur in the truth (scikit-learn fails for AUC-ROC and counts 0 for AUC-PR when a class has
 * no held-out example), and log loss clips at 1e-15 (scikit-learn 1.2's `eps=1e-15`, not its 'auto').
 */
import { ValidationError } from '@terra-vertex/core';
import { averagePrecision, binaryPrCurve, binaryRocCurve, trapezoidArea } from './curves.ts';
import { validateClasses, validatePredictions, validateTruth } from './metrics-validate.ts';
import type { ClassMetrics, CurvePoint, Leaderboard, ModelMetrics, ModelPredictions } from './types.ts';

export type { ClassMetrics, CurvePoint, Leaderboard, ModelMetrics, ModelPredictions } from './types.ts';

/** Smallest probability used in log loss (scikit-learn's historical `eps`). */
export const LOG_LOSS_EPS = 1e-15;

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
  return best;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function logLoss(truthIndex: readonly number[], rows: readonly (readonly number[])[]): number {
  const losses = rows.map((row, i) => {
    const clipped = row.map((v) => Math.min(Math.max(v, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS));
    const sum = clipped.reduce((a, b) => a + b, 0);
    return -Math.log(clipped[truthIndex[i]!]! / sum);
  });
  return mean(losses);
}

function perClassMetrics(classes: readonly string[], counts: readonly (readonly number[])[]): ClassMetrics[] {
  return classes.map((label, k) => {
    const tp = counts[k]![k]!;
    const support = counts[k]!.reduce((a, b) => a + b, 0);
    const predicted = counts.reduce((a, row) => a + row[k]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
}

/**
 * Accuracy, macro AUC-PR and AUC-ROC (one-vs-rest), log loss, per-class precision/recall/F1, the
 * confusion matrix and the ROC and precision–recall curves (per class and micro-averaged) of one model.
 * The predicted class of an example is its most probable one (the first column on ties).
 *
 * @param truth the true label of each held-out example.
 * @param p the model's probabilities, one row per example in the same order.
 * @throws ValidationError naming the model, the row and the fix when the predictions do not fit the truth.
 *
 * @example
 * const m = evaluatePredictions(['a', 'b'], { name: 'm', kind: 'custom', classes: ['a', 'b'],
 *   probabilities: [[0.9, 0.1], [0.3, 0.7]] }); // m.accuracy === 1
 */
export function evaluatePredictions(truth: string[], p: ModelPredictions): ModelMetrics {
  validateTruth(truth);
  validatePredictions(truth, p, 'predictions');
  const { classes, probabilities: rows } = p;
  const index = new Map(classes.map((c, j) => [c, j]));
  const truthIndex = truth.map((t) => index.get(t)!);
  const counts = classes.map(() => classes.map(() => 0));
  let hits = 0;
  rows.forEach((row, i) => {
    const predicted = argmax(row);
    counts[truthIndex[i]!]![predicted]! += 1;
    if (predicted === truthIndex[i]) hits += 1;
  });
  const roc: Record<string, CurvePoint[]> = {};
  const pr: Record<string, CurvePoint[]> = {};
  const rocAreas: number[] = [];
  const precisions: number[] = [];
  classes.forEach((label, k) => {
    const positive = truthIndex.map((t) => t === k);
    const scores = rows.map((row) => row[k]!);
    roc[label] = binaryRocCurve(positive, scores);
    pr[label] = binaryPrCurve(positive, scores);
    const support = positive.filter(Boolean).length;
    if (support > 0) precisions.push(averagePrecision(pr[label]));
    if (support > 0 && support < truth.length) rocAreas.push(trapezoidArea(roc[label]));
  });
  const allPositive = truthIndex.flatMap((t) => classes.map((_, k) => t === k));
  const allScores = rows.flat();
  roc.micro = binaryRocCurve(allPositive, allScores);
  pr.micro = binaryPrCurve(allPositive, allScores);
  return {
    name: p.name,
    kind: p.kind,
    examples: truth.length,
    accuracy: hits / truth.length,
    aucPr: mean(precisions),
    aucRoc: mean(rocAreas),
    logLoss: logLoss(truthIndex, rows),
    perClass: perClassMetrics(classes, counts),
    confusionMatrix: { labels: [...classes], counts },
    roc,
    pr,
  };
}

/** NaN (undefined metric) ranks last. */
function rank(value: number): number {
  return Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
}

/** `p` with its columns in `classes` order (the class sets must be equal). */
function reorder(p: ModelPredictions, classes: readonly string[], field: string): ModelPredictions {
  const same = p.classes.length === classes.length && classes.every((c) => p.classes.includes(c));
  if (!same) {
    throw new ValidationError(
      `${field}.classes`,
      `of "${p.name}" (${p.classes.join(', ')}) differ from those of the first model (${classes.join(', ')})`,
      'Compare models trained on the same classes, with the same label strings.',
    );
  }
  if (classes.every((c, j) => p.classes[j] === c)) return p;
  const columns = classes.map((c) => p.classes.indexOf(c));
  return {
    ...p,
    classes: [...classes],
    // Malformed rows are left as they are for validatePredictions to report.
    probabilities: Array.isArray(p.probabilities)
      ? p.probabilities.map((row) =>
          Array.isArray(row) && row.length === columns.length ? columns.map((j) => row[j]!) : row,
        )
      : p.probabilities,
  };
}

function checkIds(predictions: readonly ModelPredictions[]): void {
  const withIds = predictions.filter((p) => Array.isArray(p.ids));
  const first = withIds[0];
  for (const p of withIds.slice(1)) {
    const row = p.ids!.findIndex((id, i) => id !== first!.ids![i]);
    if (row >= 0) {
      throw new ValidationError(
        `predictions "${p.name}".ids[${row}]`,
        `is "${p.ids![row]}" but "${first!.name}" has "${first!.ids![row]}" in that row`,
        'Predict the same held-out examples in the same order for every model.',
      );
    }
  }
}

/**
 * Evaluates every model on the same truth and ranks them: best AUC-PR first, then best accuracy. All
 * models must have the same classes (their column order may differ: columns are put in `classOrder`, by
 * default the first model's order), one row per example and, where given, the same ids in the same order.
 *
 * @throws ValidationError naming the model and the fix when the predictions cannot be compared.
 */
export function buildLeaderboard(
  truth: string[],
  predictions: ModelPredictions[],
  classOrder?: readonly string[],
): Leaderboard {
  validateTruth(truth);
  if (!Array.isArray(predictions) || predictions.length === 0) {
    throw new ValidationError(
      'predictions',
      'must be a non-empty array of ModelPredictions',
      'Pass the predictions of each model to compare.',
    );
  }
  predictions.forEach((p, i) => {
    validateClasses(p, `predictions[${i}]`);
  });
  const classes = [...(classOrder ?? predictions[0]!.classes)];
  const aligned = predictions.map((p, i) => reorder(p, classes, `predictions[${i}]`));
  aligned.forEach((p, i) => {
    validatePredictions(truth, p, `predictions[${i}]`);
  });
  const names = new Set<string>();
  for (const [i, p] of predictions.entries()) {
    if (names.has(p.name)) {
      throw new ValidationError(
        `predictions[${i}].name`,
        `"${p.name}" is used by two models`,
        'Give each model a distinct name, e.g. "AutoML Vision (budget 8)".',
      );
    }
    names.add(p.name);
  }
  checkIds(predictions);
  const models = aligned
    .map((p) => evaluatePredictions(truth, p))
    .sort((a, b) => rank(b.aucPr) - rank(a.aucPr) || rank(b.accuracy) - rank(a.accuracy));
  return { truthLabels: [...truth], classes, models };
}
