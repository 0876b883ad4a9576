/** Small ML.* outputs built from values: ML.EVALUATE, ML.CONFUSION_MATRIX, ML.ROC_CURVE, ML.TRAINING_INFO, … */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteString } from '../warehouse.ts';
import type { ModelState } from './model-store.ts';
import type { ModelType } from './options.ts';

/** ML.EVALUATE's columns per model type (reference §3.5). */
export function evaluateColumns(mt: ModelType): string[] {
  switch (mt) {
    case 'LOGISTIC_REG':
    case 'BOOSTED_TREE_CLASSIFIER':
    case 'DNN_CLASSIFIER':
      return ['precision', 'recall', 'accuracy', 'f1_score', 'log_loss', 'roc_auc'];
    case 'KMEANS':
      return ['davies_bouldin_index', 'mean_squared_distance'];
    case 'PCA':
      return ['total_explained_variance_ratio'];
    case 'AUTOENCODER':
      return ['mean_absolute_error', 'mean_squared_error', 'mean_squared_log_error'];
    default:
      return [
        'mean_absolute_error',
        'mean_squared_error',
        'mean_squared_log_error',
        'median_absolute_error',
        'r2_score',
        'explained_variance',
      ];
  }
}

/** A SQL literal of `value` as DuckDB type `type`. */
export function sqlLiteral(value: unknown, type: string): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${type})`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return `CAST('NaN' AS ${type})`;
    if (!Number.isFinite(value)) return `CAST('${value > 0 ? 'Infinity' : '-Infinity'}' AS ${type})`;
    return `CAST(${quoteString(String(value))} AS ${type})`;
  }
  return `CAST(${quoteString(String(value))} AS ${type})`;
}

/** CREATE TEMP TABLE `name` with typed columns and the given rows. */
export async function valuesTable(
  conn: DuckDBConnection,
  name: string,
  columns: { name: string; type: string }[],
  rows: unknown[][],
): Promise<void> {
  await conn.run(
    `CREATE TEMP TABLE ${quoteIdent(name)} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
  );
  if (rows.length === 0) return;
  const values = rows.map((r) => `(${columns.map((c, i) => sqlLiteral(r[i], c.type)).join(', ')})`);
  for (let i = 0; i < values.length; i += 500)
    await conn.run(`INSERT INTO ${quoteIdent(name)} VALUES ${values.slice(i, i + 500).join(', ')}`);
}

/** ML.TRAINING_INFO: one row per iteration of training run 0 (k-means: cluster_info, no eval_loss). */
export async function trainingInfoTable(
  conn: DuckDBConnection,
  name: string,
  state: ModelState,
): Promise<void> {
  const kmeans = state.modelType === 'KMEANS';
  const columns = [
    { name: 'training_run', type: 'BIGINT' },
    { name: 'iteration', type: 'BIGINT' },
    { name: 'loss', type: 'DOUBLE' },
    ...(kmeans ? [] : [{ name: 'eval_loss', type: 'DOUBLE' }]),
    { name: 'learning_rate', type: 'DOUBLE' },
    { name: 'duration_ms', type: 'BIGINT' },
  ];
  const rows = state.iterations.map((it) => [
    0,
    it.index,
    it.trainingLoss ?? null,
    ...(kmeans ? [] : [it.evalLoss ?? null]),
    it.learnRate ?? null,
    Number(it.durationMs),
  ]);
  await valuesTable(conn, name, columns, rows);
  if (!kmeans) return;
  const info = 'STRUCT(centroid_id BIGINT, cluster_radius DOUBLE, cluster_size BIGINT)[]';
  await conn.run(`ALTER TABLE ${quoteIdent(name)} ADD COLUMN cluster_info ${info}`);
  for (const it of state.iterations) {
    const items = (it.clusterInfos ?? []).map(
      (c) =>
        `{'centroid_id': ${Number(c.centroidId)}, 'cluster_radius': ${sqlLiteral(c.clusterRadius, 'DOUBLE')}, 'cluster_size': ${Number(c.clusterSize)}}`,
    );
    await conn.run(
      `UPDATE ${quoteIdent(name)} SET cluster_info = [${items.join(', ')}]::${info} WHERE iteration = ${Number(it.index)}`,
    );
  }
}
