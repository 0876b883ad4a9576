/**
 * Binary ranking curves and their areas, computed exactly as scikit-learn 1.2 does (`roc_curve` with
 * `drop_intermediate=True`, `precision_recall_curve`, `auc`, `average_precision_score`) so that our
 * numbers can be checked against it. Written by hand because no maintained JavaScript library gives
 * scikit-learn's definitions (tied scores grouped, collinear ROC points dropped, the step-wise AP).
 */
import type { CurvePoint } from './types.ts';

/** Cumulative false and true positives at each distinct score, from the highest score down. */
export interface BinaryCounts {
  thresholds: number[];
  fps: number[];
  tps: number[];
}

/** scikit-learn's `_binary_clf_curve`: `positive[i]` says whether example i is of the positive class. */
export function binaryCounts(positive: readonly boolean[], scores: readonly number[]): BinaryCounts {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const thresholds: number[] = [];
  const fps: number[] = [];
  const tps: number[] = [];
  let tp = 0;
  order.forEach((index, k) => {
    if (positive[index]) tp += 1;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[index]) {
      thresholds.push(scores[index]!);
      tps.push(tp);
      fps.push(k + 1 - tp);
    }
  });
  return { thresholds, fps, tps };
}

/**
 * The ROC curve (false positive rate on x, true positive rate on y), starting at (0, 0) with a threshold
 * one above the highest score, without points collinear with their neighbours. Rates are NaN when there
 * is no negative (x) or no positive (y) example, as in scikit-learn.
 */
export function binaryRocCurve(positive: readonly boolean[], scores: readonly number[]): CurvePoint[] {
  let { thresholds, fps, tps } = binaryCounts(positive, scores);
  if (fps.length > 2) {
    const keep = fps.map(
      (_, i) =>
        i === 0 ||
        i === fps.length - 1 ||
        fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 ||
        tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0,
    );
    thresholds = thresholds.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
  }
  const negatives = fps.at(-1) ?? 0;
  const positives = tps.at(-1) ?? 0;
  const points: CurvePoint[] = [{ threshold: (thresholds[0] ?? 0) + 1, x: 0, y: 0 }];
  thresholds.forEach((threshold, i) => {
    points.push({ threshold, x: fps[i]! / negatives, y: tps[i]! / positives });
  });
  if (negatives <= 0) for (const p of points) p.x = Number.NaN;
  if (positives <= 0) for (const p of points) p.y = Number.NaN;
  return points;
}

/**
 * The precision–recall curve (recall on x, precision on y) in scikit-learn's order: recall decreasing,
 * ending at recall 0 and precision 1. That last point has no threshold in scikit-learn; here it gets one
 * above the highest score, like the first point of {@link binaryRocCurve}. Recall is 1 throughout when there is
 * no positive example; precision is 0 where nothing is predicted positive.
 */
export function binaryPrCurve(positive: readonly boolean[], scores: readonly number[]): CurvePoint[] {
  const { thresholds, fps, tps } = binaryCounts(positive, scores);
  const positives = tps.at(-1) ?? 0;
  const points: CurvePoint[] = [];
  for (let i = thresholds.length - 1; i >= 0; i--) {
    const predicted = tps[i]! + fps[i]!;
    points.push({
      threshold: thresholds[i]!,
      x: positives === 0 ? 1 : tps[i]! / positives,
      y: predicted === 0 ? 0 : tps[i]! / predicted,
    });
  }
  points.push({ threshold: (thresholds[0] ?? 0) + 1, x: 0, y: 1 });
  return points;
}

/** Area under a curve by the trapezoidal rule (scikit-learn's `auc`): x must be monotonic. */
export function trapezoidArea(points: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    area += ((b.x - a.x) * (b.y + a.y)) / 2;
  }
  const decreasing = points.length > 1 && points.at(-1)!.x < points[0]!.x;
  return decreasing ? -area : area;
}

/** Average precision: Σ (Rₙ₋₁ − Rₙ) Pₙ over a {@link binaryPrCurve} (the step integral, no interpolation). */
export function averagePrecision(curve: readonly CurvePoint[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < curve.length; i++) sum += (curve[i]!.x - curve[i + 1]!.x) * curve[i]!.y;
  return sum;
}
