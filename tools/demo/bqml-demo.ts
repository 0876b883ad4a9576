/**
 * The demo's BigQuery and BigQuery ML part: scikit-learn's breast-cancer table loaded into the local BigQuery
 * with a load job, a query with parameters, a logistic regression and a boosted-tree baseline trained with SQL,
 * their evaluations side by side, the job statistics BigQuery ML reports, and one prediction explained.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bqmlBaseline, explainPredict, loadBreastCancerTable, rocCurve } from '@terra-vertex/automl-bqml';
import { bigQueryClient, lineChartSvg, resolveConfig } from '@terra-vertex/core';
import { fromBqmlExplainPredict, tabularAttributionsSvg } from '@terra-vertex/xai';

const step = (title: string) => console.log(`\n== ${title}`);

/** Runs the BigQuery ML steps; the ROC chart and an attribution chart go to `outDir`. */
export async function bqmlDemo(outDir: string): Promise<void> {
  step('BigQuery: the breast-cancer table from scikit-learn, loaded with a load job into the local BigQuery');
  const bigquery = await bigQueryClient(await resolveConfig());
  const loaded = await loadBreastCancerTable({ dataset: 'demo_bqml' });
  const table = `${loaded.table.projectId}.${loaded.table.datasetId}.${loaded.table.tableId}`;
  const [rows] = await bigquery.query({
    query: `SELECT diagnosis, COUNT(*) AS n, ROUND(AVG(mean_radius), 2) AS radius FROM \`${table}\` WHERE mean_area > @area GROUP BY diagnosis ORDER BY diagnosis`,
    params: { area: 0 },
  });
  console.log(
    `  ${loaded.rows} rows in ${table}: ${rows.map((r) => `${r.diagnosis} ${r.n} (mean radius ${r.radius})`).join(', ')}`,
  );

  step('BigQuery ML: CREATE MODEL logistic regression and boosted trees, evaluated on the held-out split');
  const results = [];
  for (const [modelType, options] of [
    ['LOGISTIC_REG', { l2_reg: 0.1 }],
    ['BOOSTED_TREE_CLASSIFIER', { max_iterations: 30, max_tree_depth: 4 }],
  ] as const) {
    const r = await bqmlBaseline({ table, label: 'diagnosis', modelType, options: { ...options } });
    const ml = r.job.mlStatistics;
    console.log(
      `  ${r.model.modelId}: ${r.job.statementType} ${r.job.ddlOperationPerformed}, ${ml?.modelType}, ${ml?.iterationResults?.length} iteration(s)`,
    );
    if (r.evaluation.kind === 'classification')
      console.log(
        `    accuracy ${r.evaluation.accuracy?.toFixed(3)}  roc_auc ${r.evaluation.rocAuc?.toFixed(3)}  log_loss ${r.evaluation.logLoss?.toFixed(3)}`,
      );
    results.push(r);
  }
  const curves = [];
  for (const r of results) {
    const points = await rocCurve({ model: r.model, input: { table } });
    curves.push({ name: r.modelType, points: points.map((p) => [p.falsePositiveRate, p.recall] as const) });
  }
  writeFileSync(
    join(outDir, 'bqml-roc.svg'),
    lineChartSvg(curves, { title: 'ML.ROC_CURVE', xLabel: 'false positive rate', yLabel: 'recall' }),
  );

  step('ML.EXPLAIN_PREDICT: Tree SHAP attributions of the boosted trees for one tumour');
  const explained = fromBqmlExplainPredict(
    await explainPredict({
      model: results[1]!.model,
      input: { table, limit: 1 },
      settings: { top_k_features: 5 },
      label: 'diagnosis',
    }),
    { label: 'diagnosis' },
  );
  const first = explained[0]!;
  console.log(
    `  predicted ${first.label}: ${Object.entries(first.map)
      .map(([f, a]) => `${f} ${a.toFixed(2)}`)
      .join(', ')}`,
  );
  writeFileSync(join(outDir, 'bqml-explain.svg'), tabularAttributionsSvg(first));
  console.log(`  charts: ${join(outDir, 'bqml-roc.svg')}, ${join(outDir, 'bqml-explain.svg')}`);
}
