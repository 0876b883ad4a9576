/**
 * The Wisconsin diagnostic breast-cancer table that ships inside scikit-learn (`load_breast_cancer()`, read
 * from the package's own CSV: no download), as rows and as a BigQuery table loaded from newline-delimited
 * JSON.
 */
import type { TableRef } from '../bqml/identifiers.ts';
import { loadRowsTable, type RowsTableTarget } from './load-rows.ts';
import { runDataPython } from './python.ts';

/** The label column: `malignant` or `benign`. */
export const BREAST_CANCER_LABEL = 'diagnosis';

/** The breast-cancer data: 569 rows of 30 measurements and the diagnosis. */
export interface BreastCancerFrame {
  /** The 30 feature columns, scikit-learn's names with spaces as underscores (`mean_radius` …). */
  features: string[];
  label: typeof BREAST_CANCER_LABEL;
  /** One object per patient, in scikit-learn's order. */
  rows: Record<string, number | string>[];
}

const SCRIPT = `
import json
from sklearn.datasets import load_breast_cancer
d = load_breast_cancer()
names = [n.replace(' ', '_') for n in d.feature_names]
rows = []
for x, t in zip(d.data, d.target):
    row = {n: float(v) for n, v in zip(names, x)}
    row['diagnosis'] = str(d.target_names[t])
    rows.append(row)
print(json.dumps({'features': names, 'rows': rows}))
`;

let frame: Promise<BreastCancerFrame> | undefined;

/** The rows of `sklearn.datasets.load_breast_cancer()` (with the Python from `dataPython()`), cached. */
export function breastCancerFrame(): Promise<BreastCancerFrame> {
  frame ??= (async () => {
    const stdout = await runDataPython(['-c', SCRIPT], {
      what: 'load_breast_cancer()',
      needs: 'scikit-learn: on Debian, apt install python3-sklearn',
    });
    const parsed = JSON.parse(stdout) as { features: string[]; rows: Record<string, number | string>[] };
    return { features: parsed.features, label: BREAST_CANCER_LABEL, rows: parsed.rows };
  })();
  frame.catch(() => {
    frame = undefined;
  });
  return frame;
}

/** The BigQuery schema of the table: 30 FLOAT64 features and the STRING label. */
export function breastCancerSchema(features: string[]): { name: string; type: string; mode: string }[] {
  return [
    ...features.map((name) => ({ name, type: 'FLOAT64', mode: 'NULLABLE' })),
    { name: BREAST_CANCER_LABEL, type: 'STRING', mode: 'NULLABLE' },
  ];
}

/** Options of {@link loadBreastCancerTable} (table id default `breast_cancer`). */
export type LoadBreastCancerOptions = RowsTableTarget;

/**
 * Loads the breast-cancer rows into `project.dataset.table` with a load job from a local NDJSON file (the
 * client's multipart upload), creating the dataset and the table as needed and replacing earlier rows.
 *
 * @example
 * const { table, rows } = await loadBreastCancerTable({ dataset: 'samples' });
 * // rows === 569; train with bqmlBaseline({ table, label: 'diagnosis', modelType: 'LOGISTIC_REG' })
 */
export async function loadBreastCancerTable(
  options: LoadBreastCancerOptions,
): Promise<{ table: TableRef; rows: number }> {
  const data = await breastCancerFrame();
  return loadRowsTable(
    options,
    'breast_cancer',
    breastCancerSchema(data.features),
    async () => data.rows,
    'breast-cancer',
  );
}
