/**
 * BigQuery ML engine end to end on a Warehouse (no REST/SQL layer): LOGISTIC_REG and LINEAR_REG metrics agree
 * with scikit-learn fitted directly (same split and preprocessing) within 1e-3, KMEANS inertia within 1% of
 * scikit-learn's KMeans, every ML.* function's columns are BigQuery's, bad options fail clearly, models persist.
 * The data, scikit-learn's reference metrics and the helpers are in bqml-fixture.ts.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { BC_FEATURES, bqmlFixture, D, P, ref, T } from './bqml-fixture.ts';

const f = bqmlFixture();
const { create, ml } = f;

describe('agreement with scikit-learn', () => {
  it('LOGISTIC_REG: ML.EVALUATE equals sklearn LogisticRegression on the same CUSTOM split within 1e-3', async () => {
    const res = await create(
      'logit',
      {
        model_type: 'LOGISTIC_REG',
        input_label_cols: ['label'],
        l2_reg: 1.0,
        data_split_method: 'CUSTOM',
        data_split_col: 'is_eval',
      },
      T('bc'),
    );
    expect(res.ddlOperationPerformed).toBe('CREATE');
    expect(res.mlStatistics).toMatchObject({
      modelType: 'LOGISTIC_REGRESSION',
      trainingType: 'SINGLE_TRAINING',
      maxIterations: '20',
    });
    expect(res.mlStatistics!.iterationResults[0]).toMatchObject({ index: 0 });
    const ev = await ml('EVALUATE', 'logit');
    expect(ev.columns).toEqual(['precision', 'recall', 'accuracy', 'f1_score', 'log_loss', 'roc_auc']);
    for (const [k, v] of Object.entries(f.sk.logistic!))
      expect(Math.abs((ev.rows[0]![k] as number) - v), k).toBeLessThan(1e-3);
    const withData = await ml('EVALUATE', 'logit', `${T('bc')} WHERE is_eval`);
    for (const [k, v] of Object.entries(f.sk.logistic!))
      expect(Math.abs((withData.rows[0]![k] as number) - v), k).toBeLessThan(1e-3);
  });

  it('LINEAR_REG: ML.EVALUATE equals sklearn LinearRegression within 1e-3', async () => {
    await create(
      'linear',
      {
        model_type: 'LINEAR_REG',
        input_label_cols: ['target'],
        data_split_method: 'CUSTOM',
        data_split_col: 'is_eval',
      },
      T('db'),
    );
    const ev = await ml('EVALUATE', 'linear');
    expect(ev.columns).toEqual([
      'mean_absolute_error',
      'mean_squared_error',
      'mean_squared_log_error',
      'median_absolute_error',
      'r2_score',
      'explained_variance',
    ]);
    for (const [k, v] of Object.entries(f.sk.linear!))
      expect(Math.abs((ev.rows[0]![k] as number) - v), k).toBeLessThan(1e-3);
  });

  it('KMEANS: mean_squared_distance within 1% of sklearn KMeans inertia / n', async () => {
    await create('km', { model_type: 'KMEANS', num_clusters: 4, kmeans_init_method: 'KMEANS++' }, T('blobs'));
    const ev = await ml('EVALUATE', 'km');
    expect(ev.columns).toEqual(['davies_bouldin_index', 'mean_squared_distance']);
    const ours = ev.rows[0]!.mean_squared_distance as number;
    expect(
      Math.abs(ours - f.sk.kmeans!.mean_squared_distance!) / f.sk.kmeans!.mean_squared_distance!,
    ).toBeLessThan(0.01);
  });
});

describe('output columns', () => {
  it('classifier functions', async () => {
    const cols = [...BC_FEATURES, 'label', 'is_eval'];
    const pred = await ml('PREDICT', 'logit', `${T('bc')} LIMIT 7`);
    expect(pred.columns).toEqual(['predicted_label', 'predicted_label_probs', ...cols]);
    expect(pred.rows).toHaveLength(7);
    const probs = pred.rows[0]!.predicted_label_probs as { label: bigint; prob: number }[];
    expect(probs.map((p) => Number(p.label))).toEqual([1, 0]);
    expect(probs[0]!.prob + probs[1]!.prob).toBeCloseTo(1, 9);
    const ex = await ml('EXPLAIN_PREDICT', 'logit', `${T('bc')} LIMIT 3`, { top_k_features: 3 });
    expect(ex.columns).toEqual([
      'predicted_label',
      'probability',
      'top_feature_attributions',
      'baseline_prediction_value',
      'prediction_value',
      'approximation_error',
      ...cols,
    ]);
    expect(ex.rows[0]!.top_feature_attributions).toHaveLength(3);
    expect(ex.rows[0]!.approximation_error).toBe(0);
    const cm = await ml('CONFUSION_MATRIX', 'logit');
    expect(cm.columns).toEqual(['expected_label', '_0', '_1']);
    const roc = await ml('ROC_CURVE', 'logit', T('bc'), {}, [0.2, 0.5, 0.8]);
    expect(roc.columns).toEqual([
      'threshold',
      'recall',
      'false_positive_rate',
      'true_positives',
      'false_positives',
      'true_negatives',
      'false_negatives',
    ]);
    expect(roc.rows.map((r) => r.threshold)).toEqual([0.2, 0.5, 0.8]);
    const info = await ml('TRAINING_INFO', 'logit');
    expect(info.columns).toEqual([
      'training_run',
      'iteration',
      'loss',
      'eval_loss',
      'learning_rate',
      'duration_ms',
    ]);
  });

  it('boosted trees with global explain, feature importance and a string feature', async () => {
    const res = await create(
      'bt',
      {
        model_type: 'BOOSTED_TREE_CLASSIFIER',
        input_label_cols: ['label'],
        max_iterations: 5,
        enable_global_explain: true,
      },
      T('mixed'),
    );
    expect(res.mlStatistics!.iterationResults.length).toBeGreaterThan(1);
    const fi = await ml('FEATURE_IMPORTANCE', 'bt');
    expect(fi.columns).toEqual(['feature', 'importance_weight', 'importance_gain', 'importance_cover']);
    expect(fi.rows.map((r) => r.feature)).toEqual(['f0', 'f1', 'size']);
    const ge = await ml('GLOBAL_EXPLAIN', 'bt');
    expect(ge.columns).toEqual(['feature', 'attribution']);
    const gc = await ml('GLOBAL_EXPLAIN', 'bt', undefined, { class_level_explain: true });
    expect(gc.columns).toEqual(['label', 'feature', 'attribution']);
    const ex = await ml('EXPLAIN_PREDICT', 'bt', `${T('mixed')} LIMIT 4`);
    const row = ex.rows[0]!;
    const sum = (row.top_feature_attributions as { attribution: number }[]).reduce(
      (a, b) => a + b.attribution,
      0,
    );
    expect(row.prediction_value as number).toBeCloseTo((row.baseline_prediction_value as number) + sum, 4);
  });

  it('regressor, k-means, PCA, autoencoder and DNN outputs', async () => {
    const lp = await ml('PREDICT', 'linear', `${T('db')} LIMIT 2`);
    expect(lp.columns.slice(0, 2)).toEqual(['predicted_target', 'd0']);
    const kp = await ml('PREDICT', 'km', `${T('blobs')} LIMIT 3`);
    expect(kp.columns).toEqual(['centroid_id', 'nearest_centroids_distance', 'b0', 'b1', 'b2', 'b3', 'b4']);
    expect(kp.rows[0]!.nearest_centroids_distance).toHaveLength(4);
    const ki = await ml('TRAINING_INFO', 'km');
    expect(ki.columns).toEqual([
      'training_run',
      'iteration',
      'loss',
      'learning_rate',
      'duration_ms',
      'cluster_info',
    ]);
    await create('pca', { model_type: 'PCA', num_principal_components: 2 }, T('blobs'));
    expect((await ml('PREDICT', 'pca', T('blobs'))).columns).toEqual([
      'principal_component_1',
      'principal_component_2',
    ]);
    expect((await ml('PREDICT', 'pca', T('blobs'), { keep_original_columns: true })).columns).toHaveLength(7);
    expect((await ml('EVALUATE', 'pca')).columns).toEqual(['total_explained_variance_ratio']);
    await create('ae', { model_type: 'AUTOENCODER', hidden_units: [4, 2, 4], max_iterations: 3 }, T('blobs'));
    expect((await ml('PREDICT', 'ae', `${T('blobs')} LIMIT 2`)).columns).toEqual([
      'latent_col_1',
      'latent_col_2',
      'b0',
      'b1',
      'b2',
      'b3',
      'b4',
    ]);
    expect((await ml('EVALUATE', 'ae')).columns).toEqual([
      'mean_absolute_error',
      'mean_squared_error',
      'mean_squared_log_error',
    ]);
    await create(
      'dnn',
      { model_type: 'DNN_CLASSIFIER', hidden_units: [8], max_iterations: 3, batch_size: 64 },
      T('mixed'),
    );
    const de = await ml('EXPLAIN_PREDICT', 'dnn', `${T('mixed')} LIMIT 2`, {
      integrated_gradients_num_steps: 20,
    });
    expect(de.columns.slice(0, 6)).toEqual([
      'predicted_label',
      'probability',
      'top_feature_attributions',
      'baseline_prediction_value',
      'prediction_value',
      'approximation_error',
    ]);
    expect(de.rows[0]!.approximation_error as number).toBeGreaterThanOrEqual(0);
  });
});

describe('errors and lifecycle', () => {
  it('names the bad option, value or function', async () => {
    await expect(create('x', { model_type: 'LOGISTIC_REG', l3_reg: 1 }, T('bc'))).rejects.toThrow(
      /Unknown option L3_REG for MODEL_TYPE LOGISTIC_REG; the options it takes are/,
    );
    await expect(
      create('x', { model_type: 'LOGISTIC_REG', optimize_strategy: 'FAST' }, T('bc')),
    ).rejects.toThrow(
      /OPTIMIZE_STRATEGY must be one of AUTO_STRATEGY, BATCH_GRADIENT_DESCENT, NORMAL_EQUATION/,
    );
    await expect(create('x', { model_type: 'LOGISTIC_REG', max_iterations: 'ten' }, T('bc'))).rejects.toThrow(
      /MAX_ITERATIONS must be an INT64/,
    );
    await expect(create('x', { model_type: 'LOGISTIC_REG', warm_start: true }, T('bc'))).rejects.toThrow(
      /local BigQuery does not support WARM_START/,
    );
    await expect(
      create('x', { model_type: 'LOGISTIC_REG', input_label_cols: ['nope'] }, T('bc')),
    ).rejects.toThrow(/Label column nope is not in the query's columns/);
    await expect(ml('FEATURE_IMPORTANCE', 'linear')).rejects.toThrow(/supports boosted tree models only/);
    await expect(ml('ROC_CURVE', 'linear', T('db'))).rejects.toThrow(/needs a classification model/);
    await expect(ml('GLOBAL_EXPLAIN', 'logit')).rejects.toThrow(/ENABLE_GLOBAL_EXPLAIN = TRUE/);
    await expect(ml('PREDICT', 'logit', 'SELECT f0 FROM "proj.ds".bc')).rejects.toThrow(
      /missing the model's feature column\(s\) f1/,
    );
  });

  it('checks datasets, tables and existing models; survives a restart; serves the REST resource', async () => {
    await expect(
      f.bq.createModel(f.conn, {
        model: { projectId: P, datasetId: 'nope', modelId: 'm' },
        mode: 'CREATE',
        options: { model_type: 'PCA', num_principal_components: 1 },
        query: T('blobs'),
      }),
    ).rejects.toThrow('Not found: Dataset proj:nope');
    await expect(
      create('bc', { model_type: 'PCA', num_principal_components: 1 }, T('blobs')),
    ).rejects.toThrow('Already Exists: Table proj:ds.bc');
    await expect(
      create('pca', { model_type: 'PCA', num_principal_components: 1 }, T('blobs')),
    ).rejects.toThrow('Already Exists: Model proj:ds.pca');
    expect(
      (
        await create(
          'pca',
          { model_type: 'PCA', num_principal_components: 1 },
          T('blobs'),
          'CREATE_IF_NOT_EXISTS',
        )
      ).ddlOperationPerformed,
    ).toBe('SKIP');
    expect(
      (
        await create(
          'pca',
          { model_type: 'PCA', num_principal_components: 1 },
          T('blobs'),
          'CREATE_OR_REPLACE',
        )
      ).ddlOperationPerformed,
    ).toBe('REPLACE');
    await f.restart();
    expect(f.bq.hasModel(ref('logit'))).toBe(true);
    expect((await ml('PREDICT', 'logit', `${T('bc')} LIMIT 1`)).rows).toHaveLength(1);
    const app = Fastify();
    app.register(async (scope) => f.bq.routes(scope), { prefix: '/bigquery/v2' });
    const base = `/bigquery/v2/projects/${P}/datasets/${D}/models`;
    const got = (await app.inject({ method: 'GET', url: `${base}/logit` })).json();
    expect(got).toMatchObject({
      modelReference: ref('logit'),
      modelType: 'LOGISTIC_REGRESSION',
      location: 'US',
    });
    expect(got.featureColumns).toHaveLength(30);
    expect(
      got.trainingRuns[0].evaluationMetrics.binaryClassificationMetrics.aggregateClassificationMetrics.rocAuc,
    ).toBeCloseTo(f.sk.logistic!.roc_auc!, 3);
    const page = (await app.inject({ method: 'GET', url: `${base}?maxResults=2` })).json();
    expect(page.models).toHaveLength(2);
    expect(page.nextPageToken).toBe('2');
    const patched = (
      await app.inject({
        method: 'PATCH',
        url: `${base}/logit`,
        payload: { description: 'd', labels: { a: 'b' } },
      })
    ).json();
    expect(patched).toMatchObject({ description: 'd', labels: { a: 'b' } });
    expect((await app.inject({ method: 'DELETE', url: `${base}/pca` })).statusCode).toBe(204);
    const missing = await app.inject({ method: 'GET', url: `${base}/pca` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('Not found: Model proj:ds.pca');
    expect(await f.bq.dropModel(ref('pca'), true)).toBe('SKIP');
    expect(await f.bq.dropModel(ref('ae'), false)).toBe('DROP');
    await app.close();
  });
});
