import { ValidationError } from '../errors.ts';
import { buildParameterSpecs, type ParameterSpec } from './parameter-spec.ts';

/** An automated early-stopping rule of `StudySpec` (the emulator applies the median rule). */
export type EarlyStoppingRule = 'median' | 'decay_curve';

/** What a study searches and how: shared by {@link HyperparameterTuningJob} and {@link Study}. */
export interface StudySpecOptions {
  /** `{ accuracy: 'maximize' }`: the metric(s) trials report and their goals; the first one is searched. */
  metricSpec: Record<string, 'maximize' | 'minimize'>;
  /** The search space, from `doubleParameter`, `integerParameter`, `categoricalParameter`, `discreteParameter`. */
  parameterSpec: Record<string, ParameterSpec>;
  /** Unset: Vertex's default Bayesian search (a Gaussian-process bandit). */
  searchAlgorithm?: 'grid' | 'random';
  /** Which measurement of a trial counts: the best one or the last one. */
  measurementSelection?: 'best' | 'last';
  /**
   * Stop unpromising trials early: `'median'` (a trial worse than the median of completed trials at the
   * same step) or `'decay_curve'` (Vertex only); `useElapsedDuration` compares by time instead of step.
   */
  earlyStopping?: EarlyStoppingRule | { rule: EarlyStoppingRule; useElapsedDuration?: boolean };
}

const ALGORITHMS = { grid: 'GRID_SEARCH', random: 'RANDOM_SEARCH' } as const;
const SELECTION = { best: 'BEST_MEASUREMENT', last: 'LAST_MEASUREMENT' } as const;
const STOPPING = { median: 'medianAutomatedStoppingSpec', decay_curve: 'decayCurveStoppingSpec' } as const;

/**
 * `StudySpec` in proto3 JSON from the options, validated field by field.
 * @throws {ValidationError} naming the field and the fix.
 */
export function buildStudySpec(o: StudySpecOptions): Record<string, unknown> {
  const metrics = Object.entries(o.metricSpec ?? {});
  if (metrics.length === 0)
    throw new ValidationError(
      'metricSpec',
      'is empty',
      "Give the metric and its goal, e.g. { accuracy: 'maximize' }.",
    );
  for (const [id, goal] of metrics) {
    if (goal !== 'maximize' && goal !== 'minimize') {
      throw new ValidationError(
        `metricSpec.${id}`,
        `unknown goal ${JSON.stringify(goal)}`,
        "Use 'maximize' or 'minimize'.",
      );
    }
    if (!id || /\s/.test(id))
      throw new ValidationError(
        'metricSpec',
        `metric id ${JSON.stringify(id)} is empty or has whitespace`,
        'Use the tag the trainer reports, e.g. accuracy.',
      );
  }
  const spec: Record<string, unknown> = {
    metrics: metrics.map(([metricId, goal]) => ({ metricId, goal: goal.toUpperCase() })),
    parameters: buildParameterSpecs(o.parameterSpec),
  };
  if (o.searchAlgorithm !== undefined) {
    if (!(o.searchAlgorithm in ALGORITHMS))
      throw new ValidationError(
        'searchAlgorithm',
        `unknown algorithm ${JSON.stringify(o.searchAlgorithm)}`,
        "Use 'grid', 'random', or leave it unset for Bayesian search.",
      );
    spec.algorithm = ALGORITHMS[o.searchAlgorithm];
  }
  if (o.measurementSelection !== undefined) {
    if (!(o.measurementSelection in SELECTION))
      throw new ValidationError(
        'measurementSelection',
        `unknown selection ${JSON.stringify(o.measurementSelection)}`,
        "Use 'best' or 'last'.",
      );
    spec.measurementSelectionType = SELECTION[o.measurementSelection];
  }
  if (o.earlyStopping !== undefined) {
    const { rule, useElapsedDuration } =
      typeof o.earlyStopping === 'string'
        ? { rule: o.earlyStopping, useElapsedDuration: false }
        : o.earlyStopping;
    if (!(rule in STOPPING))
      throw new ValidationError(
        'earlyStopping',
        `unknown rule ${JSON.stringify(rule)}`,
        "Use 'median' or 'decay_curve'.",
      );
    spec[STOPPING[rule]] = useElapsedDuration ? { useElapsedDuration: true } : {};
  }
  return spec;
}
