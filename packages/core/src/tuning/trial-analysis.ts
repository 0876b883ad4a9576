/**
 * The trials of a study prepared for plots and reports: validated, in order, sorted into succeeded /
 * failed / still running, with the best trial by the study metric. Works on any {@link TrialLike}: the
 * trials of a `HyperparameterTuningJob` or of a Vizier study.
 */
import { ValidationError } from '../errors.ts';
import type { ParameterSpec } from './parameter-spec.ts';

/** The part of a trial the plots use; {@link Trial} (from `job.trials()`) and Vizier trials fit it. */
export interface TrialLike {
  id: string;
  /** `SUCCEEDED`, `INFEASIBLE`, `ACTIVE`, `REQUESTED`, `STOPPING` … */
  state: string;
  parameters: Record<string, number | string>;
  finalMeasurement?: { metrics: Record<string, number> };
  /** Why an infeasible trial failed, when known. */
  infeasibleReason?: string;
}

/** The metric a study optimizes. */
export interface TrialMetric {
  metricId: string;
  goal: 'maximize' | 'minimize';
}

/** How a parameter's values are spread: numeric scales as in `ParameterSpec`, or categories. */
export type TrialParameterScale = 'linear' | 'log' | 'reverse_log' | 'categorical';

/** Scale per parameter id; unlisted parameters are `linear` when numeric, else `categorical`. */
export type TrialParameterScales = Record<string, TrialParameterScale>;

const SCALES = new Set<string>(['linear', 'log', 'reverse_log', 'categorical']);

/** A trial with its place in the study and its metric value. */
export interface RankedTrial {
  trial: TrialLike;
  /** Position in the input list, for error messages. */
  index: number;
  /** x on the by-trial chart: the numeric id, or the 1-based rank when ids are not all numbers. */
  number: number;
  /** `succeeded` (has a finite metric), `failed` (infeasible, or succeeded without the metric) or `pending`. */
  kind: 'succeeded' | 'failed' | 'pending';
  value?: number;
}

/** The trials of a study in order, classified, with the best one. */
export interface TrialAnalysis {
  trials: RankedTrial[];
  best?: RankedTrial;
  metric: TrialMetric;
}

const FAILED = new Set(['INFEASIBLE', 'FAILED']);

/** `a` is better than `b` for the goal (ties keep the earlier trial). */
export function isBetter(a: number, b: number, goal: TrialMetric['goal']): boolean {
  return goal === 'maximize' ? a > b : a < b;
}

function checkMetric(metric: TrialMetric): void {
  if (typeof metric?.metricId !== 'string' || metric.metricId === '') {
    throw new ValidationError(
      'metric.metricId',
      'is missing',
      "Name the metric the trials report, e.g. { metricId: 'accuracy', goal: 'maximize' }.",
    );
  }
  if (metric.goal !== 'maximize' && metric.goal !== 'minimize') {
    throw new ValidationError(
      'metric.goal',
      `unknown goal ${JSON.stringify(metric.goal)}`,
      "Use 'maximize' or 'minimize'.",
    );
  }
}

/**
 * Validates and orders trials (by numeric id), classifies them and finds the best succeeded trial.
 *
 * @throws ValidationError naming the field: a bad metric, a trial without an id or parameters, a
 * succeeded trial whose metric is not a finite number, or a metric no succeeded trial reports.
 */
export function analyzeTrials(trials: readonly TrialLike[], metric: TrialMetric): TrialAnalysis {
  if (!Array.isArray(trials)) {
    throw new ValidationError('trials', 'is not an array', 'Pass a list of trials, e.g. job.trials().');
  }
  checkMetric(metric);
  const { metricId } = metric;
  trials.forEach((t, i) => {
    if (typeof t?.id !== 'string' || typeof t.state !== 'string') {
      throw new ValidationError(
        `trials[${i}]`,
        'has no string id or state',
        'Pass trials as job.trials() returns them.',
      );
    }
    if (typeof t.parameters !== 'object' || t.parameters === null) {
      throw new ValidationError(
        `trials[${i}].parameters`,
        `is missing (trial ${t.id})`,
        'Give each trial its parameters by id.',
      );
    }
    const value = t.finalMeasurement?.metrics?.[metricId];
    if (
      t.state === 'SUCCEEDED' &&
      value !== undefined &&
      (typeof value !== 'number' || !Number.isFinite(value))
    ) {
      throw new ValidationError(
        `trials[${i}].finalMeasurement.metrics.${metricId}`,
        `is ${String(value)} in trial ${t.id}, not a finite number`,
        'Report a finite value from the trainer, or mark the trial infeasible.',
      );
    }
  });
  const numericIds =
    trials.every((t) => /^\d+$/.test(t.id)) && new Set(trials.map((t) => t.id)).size === trials.length;
  const ordered = trials
    .map((trial, index) => ({ trial, index }))
    .sort((a, b) => a.trial.id.localeCompare(b.trial.id, 'en', { numeric: true }) || a.index - b.index);
  const ranked = ordered.map(({ trial, index }, rank): RankedTrial => {
    const value = trial.finalMeasurement?.metrics?.[metricId];
    const number = numericIds ? Number(trial.id) : rank + 1;
    if (trial.state === 'SUCCEEDED' && value !== undefined)
      return { trial, index, number, kind: 'succeeded', value };
    const failed = FAILED.has(trial.state) || trial.state === 'SUCCEEDED';
    return { trial, index, number, kind: failed ? 'failed' : 'pending' };
  });
  const succeeded = ranked.filter((r) => r.kind === 'succeeded');
  const withoutMetric = ranked.filter((r) => r.trial.state === 'SUCCEEDED' && r.kind !== 'succeeded');
  if (succeeded.length === 0 && withoutMetric.length > 0) {
    const reported = [...new Set(trials.flatMap((t) => Object.keys(t.finalMeasurement?.metrics ?? {})))];
    throw new ValidationError(
      'metric.metricId',
      `no succeeded trial reports ${JSON.stringify(metricId)}`,
      reported.length ? `The trials report: ${reported.join(', ')}.` : 'The trials report no metrics at all.',
    );
  }
  let best: RankedTrial | undefined;
  for (const r of succeeded) if (!best || isBetter(r.value!, best.value!, metric.goal)) best = r;
  return { trials: ranked, best, metric };
}

/** Parameter ids over all trials, in first-seen order (trials in the given order). */
export function parameterIdsOf(trials: readonly TrialLike[]): string[] {
  return [...new Set(trials.flatMap((t) => Object.keys(t.parameters ?? {})))];
}

/**
 * The scale to plot a parameter with: the one given in `scales`, else `linear` for numbers and
 * `categorical` when a value is a string.
 *
 * @throws ValidationError (field `scales.<id>`) for an unknown scale, or values it cannot place.
 */
export function scaleOf(
  parameterId: string,
  trials: readonly TrialLike[],
  scales: TrialParameterScales = {},
): TrialParameterScale {
  const field = `scales.${parameterId}`;
  const given = Object.hasOwn(scales, parameterId) ? scales[parameterId] : undefined;
  if (given !== undefined && !SCALES.has(given)) {
    throw new ValidationError(
      field,
      `unknown scale ${JSON.stringify(given)}`,
      "Use 'linear', 'log', 'reverse_log' or 'categorical'.",
    );
  }
  const valued = trials.filter((t) => Object.hasOwn(t.parameters, parameterId));
  const text = valued.find((t) => typeof t.parameters[parameterId] !== 'number');
  if (given === 'categorical' || (given === undefined && text)) return 'categorical';
  const scale = given ?? 'linear';
  if (text) {
    throw new ValidationError(
      field,
      `is ${scale} but trial ${text.id} has the value ${JSON.stringify(text.parameters[parameterId])}`,
      "Use 'categorical' for parameters with text values.",
    );
  }
  const bad = valued.find((t) => {
    const v = t.parameters[parameterId] as number;
    return !Number.isFinite(v) || (scale === 'log' && v <= 0) || (scale === 'reverse_log' && v <= 0);
  });
  if (bad) {
    throw new ValidationError(
      field,
      `is ${scale} but trial ${bad.id} has the value ${String(bad.parameters[parameterId])}`,
      scale === 'linear'
        ? 'Parameter values must be finite numbers.'
        : "Log scales need positive values; use 'linear'.",
    );
  }
  return scale;
}

/** Plot scales from a tuning job's `parameterSpec` (conditional parameters included). */
export function scalesFromParameterSpec(specs: Record<string, ParameterSpec>): TrialParameterScales {
  const out: TrialParameterScales = {};
  for (const [id, spec] of Object.entries(specs)) {
    out[id] = spec.type === 'categorical' ? 'categorical' : (spec.scale ?? 'linear');
    if (spec.conditionalParameterSpec)
      Object.assign(out, scalesFromParameterSpec(spec.conditionalParameterSpec));
  }
  return out;
}
