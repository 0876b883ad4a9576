import { BigQuery } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import {
  toConfusionMatrixRows,
  toExplainPredictRows,
  toGlobalExplainRows,
  toTrainingInfoRows,
} from './diagnostics.ts';
import { plainValue, toEvaluation, toPredictionRows } from './results.ts';

describe('BigQuery ML result rows', () => {
  it('unwraps the client cell objects', () => {
    expect(plainValue(BigQuery.date('2024-01-02'))).toBe('2024-01-02');
    expect(plainValue(BigQuery.timestamp('2024-01-02T00:00:00Z'))).toBe('2024-01-02T00:00:00.000Z');
    expect(plainValue(Buffer.from('hi'))).toBe('aGk=');
    expect(plainValue({ a: [1, null] })).toEqual({ a: [1, null] });
  });

  it('types ML.EVALUATE rows by their columns', () => {
    const clf = { precision: 0.9, recall: 0.8, accuracy: 0.85, f1_score: 0.84, log_loss: 0.3, roc_auc: 0.95 };
    expect(toEvaluation(clf)).toEqual({
      kind: 'classification',
      precision: 0.9,
      recall: 0.8,
      accuracy: 0.85,
      f1Score: 0.84,
      logLoss: 0.3,
      rocAuc: 0.95,
      row: clf,
    });
    expect(
      toEvaluation({
        mean_absolute_error: 1,
        mean_squared_error: 2,
        mean_squared_log_error: 0.1,
        median_absolute_error: 1,
        r2_score: 0.5,
        explained_variance: 0.6,
      }),
    ).toMatchObject({ kind: 'regression', r2Score: 0.5 });
    expect(toEvaluation({ davies_bouldin_index: 1.2, mean_squared_distance: 3 })).toMatchObject({
      kind: 'clustering',
      daviesBouldinIndex: 1.2,
    });
    expect(toEvaluation({ total_explained_variance_ratio: 0.7 }).kind).toBe('dimensionality-reduction');
    expect(
      toEvaluation({ mean_absolute_error: 1, mean_squared_error: 2, mean_squared_log_error: 0.1 }).kind,
    ).toBe('autoencoder');
    expect(
      toEvaluation({
        precision: null,
        recall: 0,
        accuracy: 0.5,
        f1_score: null,
        log_loss: 0.7,
        roc_auc: 0.5,
      }),
    ).toMatchObject({ precision: null });
    expect(() => toEvaluation({ foo: 1 })).toThrow(/foo/);
  });

  it('types ML.PREDICT rows of classifiers, k-means and PCA', () => {
    const [clf] = toPredictionRows(
      [
        {
          predicted_diagnosis: 'benign',
          predicted_diagnosis_probs: [
            { label: 'malignant', prob: 0.1 },
            { label: 'benign', prob: 0.9 },
          ],
          mean_radius: 12,
        },
      ],
      'diagnosis',
    );
    expect(clf).toEqual({
      predicted: 'benign',
      probabilities: [
        { label: 'malignant', prob: 0.1 },
        { label: 'benign', prob: 0.9 },
      ],
      values: { mean_radius: 12 },
    });
    const [km] = toPredictionRows([
      { centroid_id: 2, nearest_centroids_distance: [{ CENTROID_ID: 2, DISTANCE: 0.5 }], x: 1 },
    ]);
    expect(km).toEqual({
      predicted: 2,
      nearestCentroids: [{ centroidId: 2, distance: 0.5 }],
      values: { x: 1 },
    });
    const [pca] = toPredictionRows([{ principal_component_2: 0.2, principal_component_1: 0.1, x: 1 }]);
    expect(pca).toEqual({ predicted: null, components: [0.1, 0.2], values: { x: 1 } });
  });

  it('types explanations, confusion matrices and training info', () => {
    const [e] = toExplainPredictRows([
      {
        predicted_y: 'a',
        probability: 0.7,
        top_feature_attributions: [{ feature: 'x1', attribution: 0.4 }],
        baseline_prediction_value: 0.1,
        prediction_value: 0.5,
        approximation_error: 0,
        x1: 3,
      },
    ]);
    expect(e).toEqual({
      predicted: 'a',
      probability: 0.7,
      topFeatureAttributions: [{ feature: 'x1', attribution: 0.4 }],
      baselinePredictionValue: 0.1,
      predictionValue: 0.5,
      approximationError: 0,
      values: { x1: 3 },
    });
    expect(toGlobalExplainRows([{ diagnosis: 'benign', feature: 'x', attribution: 0.2 }])).toEqual([
      { classLabel: 'benign', feature: 'x', attribution: 0.2 },
    ]);
    expect(toConfusionMatrixRows([{ expected_label: 'benign', benign: 50, malignant: 2 }])).toEqual([
      { expectedLabel: 'benign', counts: { benign: 50, malignant: 2 } },
    ]);
    const info = toTrainingInfoRows([
      { training_run: 0, iteration: 1, loss: 0.2, eval_loss: 0.3, learning_rate: 0.1, duration_ms: 5 },
      { training_run: 0, iteration: 0, loss: 0.4, eval_loss: null, learning_rate: 0.2, duration_ms: 7 },
    ]);
    expect(info.map((r) => [r.iteration, r.loss, r.evalLoss])).toEqual([
      [0, 0.4, null],
      [1, 0.2, 0.3],
    ]);
  });
});
