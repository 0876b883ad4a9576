/**
 * The comparison itself: several models' predictions on the same held-out examples, lined up by id and
 * measured the same way.
 */
import { ValidationError } from '@terra-vertex/core';
import { buildLeaderboard } from './metrics.ts';
import { alignPredictions } from './predictions.ts';
import type { Leaderboard, ModelPredictions } from './types.ts';

/** The held-out truth: labels in order, or labels with the example ids (a `HeldOutSet` is one). */
export type HeldOutTruth =
  | readonly string[]
  | {
      readonly ids: readonly string[];
      readonly labels: readonly string[];
      /** The order of the classes in tables and charts (a held-out set's `classes`); default the first model's. */
      readonly classes?: readonly string[];
    };

/** Options of {@link compareModels}. */
export interface CompareModelsOptions {
  truth: HeldOutTruth;
  /** What each model predicted (`predictionsFromEndpoint`, `predictionsFromBqml` …), two or more. */
  predictions: ModelPredictions[];
}

/**
 * Measures every model on the same held-out examples and ranks them (see `buildLeaderboard`). When the truth
 * carries ids, each model's rows are first put in the truth's order by their ids (BigQuery ML returns rows in no
 * particular order); a model that missed an example or predicted another one is refused.
 *
 * @example
 * const board = compareModels({ truth: heldOut, predictions: [custom, automl, bqml] });
 * await writeFile('report.html', await comparisonReportHtml(board));
 */
export function compareModels(options: CompareModelsOptions): Leaderboard {
  const { truth, predictions } = options;
  if (!Array.isArray(predictions) || predictions.length === 0)
    throw new ValidationError('predictions', 'is empty', 'Give the predictions of the models to compare.');
  const names = new Set<string>();
  for (const p of predictions) {
    if (names.has(p.name))
      throw new ValidationError(
        'predictions',
        `two models are named ${JSON.stringify(p.name)}`,
        'Name each model differently.',
      );
    names.add(p.name);
  }
  if (isLabelList(truth)) return buildLeaderboard([...truth], predictions);
  if (truth.ids.length !== truth.labels.length)
    throw new ValidationError(
      'truth',
      `has ${truth.ids.length} ids and ${truth.labels.length} labels`,
      'Give one id per label (readHeldOut returns both).',
    );
  const aligned = predictions.map((p) => (p.ids ? alignPredictions(p, truth.ids) : p));
  return buildLeaderboard([...truth.labels], aligned, truth.classes);
}

function isLabelList(truth: HeldOutTruth): truth is readonly string[] {
  return Array.isArray(truth);
}
