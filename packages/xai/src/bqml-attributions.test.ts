import { describe, expect, it } from 'vitest';
import { fromBqmlExplainPredict, fromBqmlGlobalExplain } from './bqml-attributions.ts';
import { showAttributions } from './show.ts';
import { tabularAttributionsSvg } from './tabular-chart.ts';

const ROW = {
  mean_radius: 17.99,
  predicted_diagnosis: 'malignant',
  probability: 0.93,
  top_feature_attributions: [
    { feature: 'worst_radius', attribution: 1.5 },
    { feature: 'mean_texture', attribution: -0.25 },
  ],
  baseline_prediction_value: 0.3,
  prediction_value: 2.55,
  approximation_error: 0,
};

describe('BigQuery ML attributions', () => {
  it('turns ML.EXPLAIN_PREDICT rows into tabular attribution results', () => {
    const [r] = fromBqmlExplainPredict([ROW], { model: 'p.d.m', label: 'diagnosis' });
    expect(r).toEqual({
      kind: 'tabular',
      instance: 0,
      deployedModelId: 'p.d.m',
      prediction: 'malignant',
      outputIndex: [],
      label: 'malignant',
      outputName: 'predicted_diagnosis',
      baselineOutputValue: 0.3,
      instanceOutputValue: 2.55,
      approximationError: 0,
      map: { worst_radius: 1.5, mean_texture: -0.25 },
      outputs: [
        {
          outputIndex: [],
          label: 'malignant',
          outputName: 'predicted_diagnosis',
          baselineOutputValue: 0.3,
          instanceOutputValue: 2.55,
          approximationError: 0,
          map: { worst_radius: 1.5, mean_texture: -0.25 },
        },
      ],
    });
    const svg = tabularAttributionsSvg(r!);
    expect(svg).toContain('Attributions for malignant: output 2.55 vs baseline 0.3');
    expect(svg.indexOf('worst_radius')).toBeLessThan(svg.indexOf('mean_texture'));
  });

  it('reads typed rows and regression rows (no probability, no label)', () => {
    const [typed] = fromBqmlExplainPredict([
      {
        predicted: 151.2,
        topFeatureAttributions: [{ feature: 'bmi', attribution: 20 }],
        baselinePredictionValue: 150,
        predictionValue: 151.2,
        approximationError: 0.01,
        values: {},
      },
    ]);
    expect(typed).toMatchObject({
      prediction: 151.2,
      instanceOutputValue: 151.2,
      map: { bmi: 20 },
      approximationError: 0.01,
    });
    expect(typed!.label).toBeUndefined();
    const [raw] = fromBqmlExplainPredict([{ ...ROW, probability: undefined, predicted_diagnosis: 3 }]);
    expect(raw!.prediction).toBe(3);
    expect(raw!.label).toBeUndefined();
  });

  it('says what is missing from a row that is not ML.EXPLAIN_PREDICT output', () => {
    expect(() => fromBqmlExplainPredict([{ prediction_value: 1, baseline_prediction_value: 0 }])).toThrow(
      /row 0 has no top_feature_attributions/,
    );
    expect(() => fromBqmlExplainPredict([{ ...ROW, prediction_value: 'x' }])).toThrow(
      /prediction_value is "x"/,
    );
  });

  it('turns ML.GLOBAL_EXPLAIN rows into one result, or one per class', () => {
    const [all] = fromBqmlGlobalExplain([
      { feature: 'a', attribution: 0.5 },
      { feature: 'b', attribution: 0.1 },
    ]);
    expect(all).toMatchObject({
      kind: 'tabular',
      map: { a: 0.5, b: 0.1 },
      outputName: 'global',
      prediction: null,
    });
    const perClass = fromBqmlGlobalExplain([
      { diagnosis: 'benign', feature: 'a', attribution: 0.2 },
      { diagnosis: 'malignant', feature: 'a', attribution: 0.3 },
      { diagnosis: 'benign', feature: 'b', attribution: 0.1 },
    ]);
    expect(perClass.map((r) => [r.label, r.map])).toEqual([
      ['benign', { a: 0.2, b: 0.1 }],
      ['malignant', { a: 0.3 }],
    ]);
    expect(tabularAttributionsSvg(perClass[0]!, { title: 'Global importance' })).toContain(
      'Global importance',
    );
    expect(showAttributions(perClass)).toBe(false); // outside tslab nothing is shown
  });
});
