/**
 * Class probabilities from a BigQuery ML classifier: `ML.PREDICT` on the held-out rows of a table, each row's
 * `predicted_<label>_probs` turned into a full row of probabilities and kept with the row's id.
 */
import { ValidationError } from '@terra-vertex/core';
import { predictWithModel } from '../bqml/baseline.ts';
import { type ModelRef, parseModelRef, type TableRef, validateColumn } from '../bqml/identifiers.ts';
import type { BigQueryTarget } from '../bqml/jobs.ts';
import type { RowFilter } from '../bqml/sql.ts';
import type { ModelPredictions } from './types.ts';

/** Options of {@link predictionsFromBqml}. */
export interface BqmlPredictionsOptions extends BigQueryTarget {
  /** The classifier, `project.dataset.model` or `dataset.model`. */
  model: string | ModelRef;
  /** The table holding the held-out rows. */
  table: string | TableRef;
  /** Only rows whose columns equal these values, e.g. `{ split: 'TEST' }` (sent as query parameters). */
  where?: RowFilter;
  /** The column with the example ids (default `id`). */
  idColumn?: string;
  /** The model's label column, which names `predicted_<label>_probs` (default `label`). */
  labelColumn?: string;
  /** Shown in the leaderboard (default 'BigQuery ML <model id>'). */
  name?: string;
  kind?: ModelPredictions['kind'];
  /** Column order of the probabilities (default the labels of the first row, sorted). */
  classes?: string[];
}

/**
 * Runs `ML.PREDICT` with the model on the selected rows and returns the class probabilities with the rows' ids
 * (BigQuery returns rows in no particular order: `compareModels` lines them up with the held-out examples by id).
 *
 * @example
 * const bqml = await predictionsFromBqml({ model: 'samples.digits_logistic_reg', table: 'samples.digits',
 *   where: { split: 'TEST' }, name: 'BigQuery ML logistic regression' });
 */
export async function predictionsFromBqml(options: BqmlPredictionsOptions): Promise<ModelPredictions> {
  const idColumn = validateColumn(options.idColumn ?? 'id', 'idColumn');
  const labelColumn = validateColumn(options.labelColumn ?? 'label', 'labelColumn');
  const modelId = typeof options.model === 'string' ? options.model : parseModelRef(options.model).modelId;
  const name = options.name ?? `BigQuery ML ${modelId.split('.').pop()}`;
  const rows = await predictWithModel({
    ...options,
    input: { table: options.table, ...(options.where ? { where: options.where } : {}) },
    label: labelColumn,
  });
  if (rows.length === 0)
    throw new ValidationError(
      'where',
      `ML.PREDICT of ${modelId} returned no rows${options.where ? ` for ${JSON.stringify(options.where)}` : ''}`,
      'Select the held-out rows of a table that has them, e.g. where { split: "TEST" }.',
    );
  const first = rows[0]!;
  if (!first.probabilities)
    throw new ValidationError(
      'labelColumn',
      `ML.PREDICT of ${modelId} has no predicted_${labelColumn}_probs column`,
      'Give the label column the model was trained on; the model must be a classifier.',
    );
  if (!(idColumn in first.values))
    throw new ValidationError(
      'idColumn',
      `the rows have no column ${idColumn} (they have ${Object.keys(first.values).join(', ')})`,
      'Name the column that holds the example ids.',
    );
  const classes = options.classes ?? first.probabilities.map((p) => String(p.label)).sort();
  const ids = rows.map((r) => String(r.values[idColumn]));
  const probabilities = rows.map((r, i) => {
    const row = new Array<number>(classes.length).fill(Number.NaN);
    for (const p of r.probabilities ?? []) {
      const column = classes.indexOf(String(p.label));
      if (column < 0)
        throw new ValidationError(
          'classes',
          `${name}: row ${ids[i]} has the label ${JSON.stringify(p.label)}, not among ${classes.join(', ')}`,
          "Leave classes out to take the model's own labels.",
        );
      row[column] = p.prob;
    }
    const missing = classes.filter((_, k) => Number.isNaN(row[k]));
    if (missing.length)
      throw new Error(`${name}: ML.PREDICT gave row ${ids[i]} no probability for ${missing.join(', ')}`);
    return row;
  });
  return { name, kind: options.kind ?? 'bqml', classes, probabilities, ids };
}
