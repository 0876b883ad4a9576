/** Trial rules of the Vizier service that need no store: completing a trial and the optimal set. */
import { finalMeasurement } from '../runtime/trial-metrics.ts';
import type { Json } from './protos.ts';
import { failedPrecondition, invalidArgument } from './rpc-error.ts';

/** States in which a trial still takes measurements. */
export const OPEN_TRIAL_STATES = new Set(['REQUESTED', 'ACTIVE', 'STOPPING']);

/** Trials ordered by their numeric id. */
export function byTrialId(a: Json, b: Json): number {
  return Number(a.id) - Number(b.id);
}

/** Fails with FAILED_PRECONDITION unless the trial is still open. */
export function requireOpen(trial: Json, action: string): void {
  if (!OPEN_TRIAL_STATES.has(trial.state as string))
    throw failedPrecondition(`Cannot ${action} ${trial.name}: the trial is already ${trial.state}.`);
}

/**
 * The trial after `CompleteTrial`: SUCCEEDED with the given final measurement, or with the measurement the
 * study's selection picks from those added; INFEASIBLE when asked, or when there is nothing to pick from.
 */
export function completedTrial(trial: Json, request: Json, studySpec: Json): Json {
  requireOpen(trial, 'complete');
  const done = { ...trial, endTime: new Date().toISOString() };
  if (request.trialInfeasible) {
    if (request.finalMeasurement)
      throw invalidArgument('final_measurement must not be set when trial_infeasible is true.');
    return {
      ...done,
      state: 'INFEASIBLE',
      infeasibleReason:
        (request.infeasibleReason as string | undefined) ?? 'Reported infeasible by the client.',
    };
  }
  const metric = (studySpec.metrics as Json[])[0]!;
  const measurements = ((trial.measurements as Json[] | undefined) ?? []).map((m) => ({
    stepCount: String(m.stepCount ?? '0'),
    metrics: ((m.metrics as Json[] | undefined) ?? []).filter((x) => x.metricId === metric.metricId) as {
      metricId: string;
      value: number;
    }[],
    original: m,
  }));
  const final =
    (request.finalMeasurement as Json | undefined) ??
    (
      finalMeasurement(
        measurements.filter((m) => m.metrics.length),
        metric.goal as string,
        studySpec.measurementSelectionType as string | undefined,
      ) as { original: Json } | undefined
    )?.original;
  if (!final)
    return {
      ...done,
      state: 'INFEASIBLE',
      infeasibleReason: `Completed without a final measurement, and no measurement of ${metric.metricId as string} was added.`,
    };
  return { ...done, state: 'SUCCEEDED', finalMeasurement: final };
}

/** `metricId` → value of a trial's final measurement. */
function finalValues(trial: Json): Map<string, number> {
  const metrics = ((trial.finalMeasurement as Json | undefined)?.metrics as Json[] | undefined) ?? [];
  return new Map(metrics.map((m) => [m.metricId as string, Number(m.value ?? 0)]));
}

/**
 * `ListOptimalTrials`: the succeeded trials no other trial beats on every metric (the Pareto front; with
 * one metric, the trials tied for the best value).
 */
export function optimalTrials(trials: Json[], studySpec: Json): Json[] {
  const goals = ((studySpec.metrics as Json[]) ?? []).map((m) => ({
    id: m.metricId as string,
    sign: m.goal === 'MINIMIZE' ? -1 : 1,
  }));
  const scored = trials
    .filter((t) => t.state === 'SUCCEEDED')
    .map((t) => ({ t, v: finalValues(t) }))
    .filter(({ v }) => goals.every((g) => v.has(g.id)))
    .map(({ t, v }) => ({ t, s: goals.map((g) => g.sign * v.get(g.id)!) }));
  const dominates = (a: number[], b: number[]) =>
    a.every((x, i) => x >= b[i]!) && a.some((x, i) => x > b[i]!);
  return scored.filter((x) => !scored.some((y) => dominates(y.s, x.s))).map((x) => x.t);
}
