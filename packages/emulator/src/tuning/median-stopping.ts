/**
 * Vertex's median automated stopping rule (`StudySpec.medianAutomatedStoppingSpec`), shared by tuning jobs
 * and Vizier studies: "stops a pending Trial if the Trial's best objective_value is strictly below the
 * median 'performance' of all completed Trials reported up to the Trial's last measurement", where a
 * completed trial's performance is the running average of its objective values up to that point.
 */

/** One measurement of the objective: its position (step or elapsed seconds) and value. */
export interface ObjectivePoint {
  at: number;
  value: number;
}

/** A `Measurement` in proto3 JSON, as far as the rule reads it. */
export interface MeasurementLike {
  stepCount?: string | number;
  elapsedDuration?: string;
  metrics?: { metricId?: string; value?: number }[];
}

/** The objective's values in `measurements`, placed by step count or by elapsed seconds. */
export function objectivePoints(
  measurements: readonly MeasurementLike[] | undefined,
  metricId: string,
  useElapsedDuration: boolean,
): ObjectivePoint[] {
  const points: ObjectivePoint[] = [];
  for (const m of measurements ?? []) {
    const value = m.metrics?.find((x) => x.metricId === metricId)?.value;
    if (typeof value !== 'number') continue;
    const at = useElapsedDuration ? Number.parseFloat(m.elapsedDuration ?? '0') : Number(m.stepCount ?? 0);
    points.push({ at: Number.isFinite(at) ? at : 0, value });
  }
  return points;
}

/** Completed trials needed before the rule stops anything (Vizier waits for a few as well). */
export const MEDIAN_RULE_MIN_COMPLETED = 3;

/** The median of the numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Whether the median rule stops a running trial. `completed` holds each completed trial's measurements;
 * those without a measurement at or before the running trial's last position do not take part.
 * @returns the reason when the trial should stop, else undefined.
 */
export function medianRuleStop(
  running: readonly ObjectivePoint[],
  completed: readonly (readonly ObjectivePoint[])[],
  maximize: boolean,
): string | undefined {
  if (running.length === 0) return undefined;
  const last = Math.max(...running.map((p) => p.at));
  const performances: number[] = [];
  for (const curve of completed) {
    const upTo = curve.filter((p) => p.at <= last);
    if (upTo.length) performances.push(upTo.reduce((sum, p) => sum + p.value, 0) / upTo.length);
  }
  if (performances.length < MEDIAN_RULE_MIN_COMPLETED) return undefined;
  const values = running.map((p) => p.value);
  const best = maximize ? Math.max(...values) : Math.min(...values);
  const mid = median(performances);
  if (maximize ? best < mid : best > mid) {
    return `median rule: best value so far ${best} is ${maximize ? 'below' : 'above'} the median ${mid} of ${performances.length} completed trials up to ${last}`;
  }
  return undefined;
}
