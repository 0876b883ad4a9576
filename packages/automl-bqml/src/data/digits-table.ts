/**
 * scikit-learn's handwritten digits as a BigQuery table: the 64 pixel values of each 8×8 original, its label
 * and the same stratified split as {@link writeDigitsDataset}, so that a BigQuery ML model and image models can
 * be compared on exactly the same held-out rows.
 */
import { ValidationError } from '@terra-vertex/core';
import type { TableRef } from '../bqml/identifiers.ts';
import { loadRowsTable, type RowsTableTarget } from './load-rows.ts';
import { PYTHON_DIR, runDataPython } from './python.ts';

/** The pixel columns `p0` … `p63` (row by row), values 0–16 as in `load_digits()`. */
export const DIGIT_PIXEL_COLUMNS = Array.from({ length: 64 }, (_, i) => `p${i}`);

/** The split column's values, by the image dataset's `ML_USE`. */
export const DIGIT_SPLITS = { training: 'TRAIN', validation: 'VALIDATION', test: 'TEST' } as const;

/** One row of the digits table. */
export interface DigitsTableRow {
  /** The image's file stem in {@link writeDigitsDataset}'s folder, e.g. `digit_0042`. */
  id: string;
  /** `zero` … `nine`. */
  label: string;
  split: (typeof DIGIT_SPLITS)[keyof typeof DIGIT_SPLITS];
  [pixel: `p${number}`]: number;
}

// The split comes from tvx_image_data.py itself, so the table and the PNG folder cannot disagree.
const SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
from sklearn.datasets import load_digits
from tvx_image_data import DIGIT_NAMES, split_of
args = json.loads(sys.argv[2])
data = load_digits()
n = len(data.images) if args["limit"] is None else min(int(args["limit"]), len(data.images))
by_label = {}
for index in range(n):
    by_label.setdefault(int(data.target[index]), []).append(index)
uses = {}
for label, indices in by_label.items():
    for index, use in zip(indices, split_of(len(indices), [int(args["seed"]), label, 2])):
        uses[index] = use
splits = {"training": "TRAIN", "validation": "VALIDATION", "test": "TEST"}
rows = []
for index in range(n):
    row = {"id": "digit_%04d" % index, "label": DIGIT_NAMES[int(data.target[index])], "split": splits[uses[index]]}
    row.update({"p%d" % k: float(v) for k, v in enumerate(data.images[index].reshape(-1))})
    rows.append(row)
print(json.dumps(rows))
`;

/** Options of {@link digitsTableRows} (the same `limit` and `seed` as {@link writeDigitsDataset}'s). */
export interface DigitsRowsOptions {
  /** The first `limit` of the 1797 images (default all). */
  limit?: number;
  /** Seeds the split (default 0). */
  seed?: number;
}

/** The rows of the digits table, computed with the Python from `dataPython()`. */
export async function digitsTableRows(options: DigitsRowsOptions = {}): Promise<DigitsTableRow[]> {
  const { limit, seed = 0 } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new ValidationError(
      'limit',
      `${limit} is not a positive integer`,
      'Leave it out for all 1797 images.',
    );
  if (!Number.isInteger(seed))
    throw new ValidationError('seed', `${seed} is not an integer`, 'Give the seed writeDigitsDataset used.');
  const stdout = await runDataPython(
    ['-c', SCRIPT, PYTHON_DIR, JSON.stringify({ limit: limit ?? null, seed })],
    {
      what: 'load_digits()',
      needs: 'scikit-learn, NumPy and Pillow: on Debian, apt install python3-sklearn python3-pil',
    },
  );
  return JSON.parse(stdout) as DigitsTableRow[];
}

/** The BigQuery schema of the digits table. */
export function digitsTableSchema(): { name: string; type: string; mode: string }[] {
  return [
    { name: 'id', type: 'STRING', mode: 'REQUIRED' },
    ...DIGIT_PIXEL_COLUMNS.map((name) => ({ name, type: 'FLOAT64', mode: 'NULLABLE' })),
    { name: 'label', type: 'STRING', mode: 'NULLABLE' },
    { name: 'split', type: 'STRING', mode: 'NULLABLE' },
  ];
}

/** Options of {@link loadDigitsTable} (table id default `digits`). */
export interface LoadDigitsTableOptions extends RowsTableTarget, DigitsRowsOptions {}

/**
 * Loads the digits into `project.dataset.table` with a load job from a local NDJSON file: columns `id`
 * (`digit_0042`, the PNG's file stem), `p0` … `p63`, `label` and `split` (`TRAIN`, `VALIDATION`, `TEST`: the
 * split `writeDigitsDataset` writes for the same `limit` and `seed`).
 *
 * @example
 * const { table } = await loadDigitsTable({ dataset: 'samples', limit: 400 });
 * await bqmlBaseline({ table, label: 'label', modelType: 'LOGISTIC_REG', features: DIGIT_PIXEL_COLUMNS,
 *   where: { split: 'TRAIN' } });
 */
export async function loadDigitsTable(
  options: LoadDigitsTableOptions,
): Promise<{ table: TableRef; rows: number }> {
  return loadRowsTable(options, 'digits', digitsTableSchema(), () => digitsTableRows(options), 'digits');
}
