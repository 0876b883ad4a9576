import type { BigQuery } from '@google-cloud/bigquery';
import {
  bigQueryClient,
  closeClients,
  init,
  resetConfig,
  resolveConfig,
  ValidationError,
} from '@terra-vertex/core';
import { type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BqmlProgress,
  type BreastCancerFrame,
  bqmlBaseline,
  breastCancerFrame,
  confusionMatrix,
  createModelSql,
  evaluateModel,
  explainPredict,
  globalExplain,
  loadBreastCancerTable,
  predictWithModel,
  rocCurve,
  type TableRef,
  trainingInfo,
} from '../src/index.ts';

const CLASSIFICATION = ['precision', 'recall', 'accuracy', 'f1_score', 'log_loss', 'roc_auc'];
const REGRESSION = [
  'mean_absolute_error',
  'mean_squared_error',
  'mean_squared_log_error',
  'median_absolute_error',
  'r2_score',
  'explained_variance',
];

describe('BigQuery ML through the official client on the local BigQuery', () => {
  let emu: RunningEmulator;
  let bigquery: BigQuery;
  let frame: BreastCancerFrame;
  let table: TableRef;
  let name: string;
  const model = () => ({ ...table, modelId: 'bc_logistic' });

  beforeAll(async () => {
    emu = await startEmulator();
    resetConfig();
    init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
    bigquery = await bigQueryClient(await resolveConfig());
    frame = await breastCancerFrame();
  });
  afterAll(async () => {
    await closeClients();
    resetConfig();
    await emu?.stop();
  });

  it('loads scikit-learn’s breast-cancer table with a load job', async () => {
    expect(frame.rows).toHaveLength(569);
    expect(frame.features).toHaveLength(30);
    expect(frame.features).toContain('worst_concave_points');
    const loaded = await loadBreastCancerTable({ dataset: 'bqml_e2e' });
    table = loaded.table;
    name = `${table.projectId}.${table.datasetId}.${table.tableId}`;
    expect(loaded.rows).toBe(frame.rows.length);
    // Loading again replaces the rows rather than appending.
    expect((await loadBreastCancerTable({ dataset: 'bqml_e2e' })).rows).toBe(frame.rows.length);
    const [rows] = await bigquery.query({
      query: `SELECT COUNTIF(diagnosis = @d) AS malignant, SUM(mean_radius) AS radius FROM \`${name}\``,
      params: { d: 'malignant' },
    });
    expect(rows[0].malignant).toBe(frame.rows.filter((r) => r.diagnosis === 'malignant').length);
    const sum = frame.rows.reduce((s, r) => s + (r.mean_radius as number), 0);
    expect(rows[0].radius).toBeCloseTo(sum, 6);
  });

  it('trains a LOGISTIC_REG baseline and returns typed evaluation, predictions and statistics', async () => {
    const progress: BqmlProgress[] = [];
    const options = { l2_reg: 0.1, max_iterations: 10, enable_global_explain: true };
    const r = await bqmlBaseline({
      table,
      label: 'diagnosis',
      modelType: 'LOGISTIC_REG',
      model: model(),
      options,
      onProgress: (p) => progress.push(p),
      pollMs: 50,
    });
    expect(r.job.statementType).toBe('CREATE_MODEL');
    expect(['CREATE', 'REPLACE']).toContain(r.job.ddlOperationPerformed);
    expect(r.job.mlStatistics?.modelType).toBe('LOGISTIC_REGRESSION');
    expect(r.job.mlStatistics?.iterationResults?.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ state: 'DONE', jobId: r.job.jobId });
    expect(r.evaluation.kind).toBe('classification');
    expect(Object.keys(r.evaluation.row).sort()).toEqual([...CLASSIFICATION].sort());
    if (r.evaluation.kind !== 'classification') throw new Error('not a classifier');
    expect(r.evaluation.rocAuc).toBeGreaterThan(0.9);
    expect(r.predictions).toHaveLength(frame.rows.length);
    for (const p of r.predictions) {
      expect(['malignant', 'benign']).toContain(p.predicted);
      expect(p.probabilities?.map((x) => x.label).sort()).toEqual(['benign', 'malignant']);
      expect(p.probabilities!.reduce((s, x) => s + x.prob, 0)).toBeCloseTo(1, 6);
      expect(p.values.diagnosis).toBeDefined();
    }
    const correct = r.predictions.filter((p) => p.predicted === p.values.diagnosis).length;
    expect(correct / r.predictions.length).toBeGreaterThan(0.9);
    expect(r.trainingInfo.length).toBe(r.job.mlStatistics?.iterationResults?.length);
    expect(r.trainingInfo[0]).toMatchObject({ trainingRun: 0, iteration: 0 });
    // Replacing the model reports REPLACE.
    const again = await bqmlBaseline({
      table,
      label: 'diagnosis',
      modelType: 'LOGISTIC_REG',
      model: model(),
      options,
    });
    expect(again.job.ddlOperationPerformed).toBe('REPLACE');
  });

  it('shows BQML statistics through createQueryJob → getMetadata()', async () => {
    const sql = createModelSql({
      model: { ...table, modelId: 'bc_linear' },
      modelType: 'LINEAR_REG',
      label: 'worst_radius',
      input: { table, columns: ['mean_radius', 'mean_texture', 'mean_smoothness'] },
    });
    const [job] = await bigquery.createQueryJob({ query: sql.query });
    expect(await job.getQueryResults().then(([rows]) => rows)).toEqual([]);
    const [meta] = await job.getMetadata();
    expect(meta.status.state).toBe('DONE');
    expect(meta.statistics.query.statementType).toBe('CREATE_MODEL');
    expect(meta.statistics.query.mlStatistics).toMatchObject({
      modelType: 'LINEAR_REGRESSION',
      trainingType: 'SINGLE_TRAINING',
      iterationResults: expect.any(Array),
    });
    const evaluation = await evaluateModel({ model: { ...table, modelId: 'bc_linear' }, input: { table } });
    expect(Object.keys(evaluation.row).sort()).toEqual([...REGRESSION].sort());
    const info = await trainingInfo({ model: `${table.datasetId}.bc_linear` });
    expect(info.length).toBeGreaterThan(0);
  });

  it('predicts with filter values sent as query parameters', async () => {
    const quote = "o'brien\\'); DROP TABLE x; --";
    expect(await predictWithModel({ model: model(), input: { table, where: { diagnosis: quote } } })).toEqual(
      [],
    );
    const malignant = await predictWithModel({
      model: model(),
      input: { table, where: { diagnosis: 'malignant' } },
      label: 'diagnosis',
    });
    expect(malignant).toHaveLength(frame.rows.filter((r) => r.diagnosis === 'malignant').length);
    expect(new Set(malignant.map((p) => p.values.diagnosis))).toEqual(new Set(['malignant']));
    await expect(
      predictWithModel({ model: model(), input: { table: `${name}\` ; DROP TABLE x; --` } }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('explains predictions exactly for a linear model, and globally', async () => {
    const rows = await explainPredict({
      model: model(),
      input: { table, limit: 3 },
      settings: { top_k_features: 30 },
      label: 'diagnosis',
    });
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.topFeatureAttributions).toHaveLength(30);
      expect(['malignant', 'benign']).toContain(row.predicted);
      expect(row.probability).toBeGreaterThanOrEqual(0.5);
      const sum = row.topFeatureAttributions.reduce((s, a) => s + a.attribution, 0);
      expect(row.predictionValue - row.baselinePredictionValue - sum).toBeCloseTo(0, 4);
      expect(row.approximationError).toBeCloseTo(0, 6);
    }
    const top3 = await explainPredict({
      model: model(),
      input: { table, limit: 1 },
      settings: { top_k_features: 3 },
    });
    expect(top3[0]!.topFeatureAttributions).toHaveLength(3);
    const global = await globalExplain({ model: model() });
    expect(global.map((g) => g.feature).sort()).toEqual([...frame.features].sort());
  });

  it('reads the confusion matrix and the ROC curve on the table', async () => {
    const matrix = await confusionMatrix({ model: model(), input: { table } });
    expect(matrix.map((m) => m.expectedLabel)).toEqual(['benign', 'malignant']);
    const total = matrix.reduce((s, m) => s + Object.values(m.counts).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(frame.rows.length);
    const roc = await rocCurve({ model: model(), input: { table } });
    expect(roc.length).toBeGreaterThan(1);
    for (const p of roc) {
      expect(p.recall).toBeGreaterThanOrEqual(0);
      expect(p.recall).toBeLessThanOrEqual(1);
      expect(p.truePositives + p.falseNegatives).toBe(
        frame.rows.filter((r) => r.diagnosis === 'malignant').length,
      );
    }
  });

  it('fails clearly on a missing model and on options the model type does not take', async () => {
    await expect(evaluateModel({ model: { ...table, modelId: 'no_such_model' } })).rejects.toThrow(
      /NOT_FOUND|not found/i,
    );
    await expect(
      bqmlBaseline({ table, label: 'diagnosis', modelType: 'LOGISTIC_REG', options: { num_clusters: 3 } }),
    ).rejects.toThrow(/options\.num_clusters: .* Valid options: .*l2_reg/);
  });
});
