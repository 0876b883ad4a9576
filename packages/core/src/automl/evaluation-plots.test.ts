import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config.ts';
import { toProtoValue } from '../value.ts';
import { confusionMatrixHtml, confusionMatrixPng, prCurveSvg } from './evaluation-plots.ts';
import { type ClassificationEvaluationMetrics, ModelEvaluation } from './model-evaluation.ts';

/** Metrics in classification_metrics_1.0.0 form, as the service returns them (zero fields left out). */
const metrics: ClassificationEvaluationMetrics = {
  auPrc: 0.95,
  auRoc: 0.97,
  logLoss: 0.2,
  confidenceMetrics: [
    { recall: 1, precision: 0.5, truePositiveCount: '4', falsePositiveCount: '4' },
    { confidenceThreshold: 0.5, recall: 0.75, precision: 0.75, truePositiveCount: '3' },
    { confidenceThreshold: 0.9, recall: 0.5, precision: 1, truePositiveCount: '2' },
  ],
  confusionMatrix: {
    annotationSpecs: [
      { id: '11', displayName: 'cat' },
      { id: '12', displayName: 'dog<' },
    ],
    rows: [
      [2, 0],
      [1, 1],
    ],
  },
};
const evaluation = new ModelEvaluation(
  { name: 'projects/p/locations/l/models/1/evaluations/9', metrics: toProtoValue(metrics) as never },
  {} as ResolvedConfig,
);

describe('ModelEvaluation', () => {
  it('reads the metrics, the PR curve, the confusion matrix and the accuracy', () => {
    expect(evaluation.id).toBe('9');
    expect(evaluation.metrics.auPrc).toBe(0.95);
    expect(evaluation.prCurve()).toEqual([
      { threshold: 0.9, precision: 1, recall: 0.5 },
      { threshold: 0.5, precision: 0.75, recall: 0.75 },
      { threshold: 0, precision: 0.5, recall: 1 },
    ]);
    expect(evaluation.confusionMatrix()).toEqual({
      labels: ['cat', 'dog<'],
      ids: ['11', '12'],
      rows: metrics.confusionMatrix!.rows,
    });
    expect(evaluation.accuracy()).toBe(0.75);
    expect(evaluation.toJSON()).toMatchObject({ name: evaluation.resourceName, metrics });
    expect(() => new ModelEvaluation({ name: 'x' }, {} as ResolvedConfig).metrics).toThrow(
      /does not have any metrics/,
    );
  });
});

describe('evaluation pictures', () => {
  it('draws the precision–recall curve of one or several evaluations', () => {
    const one = prCurveSvg(evaluation);
    expect(one).toMatch(/^<svg /);
    expect(one).toContain('Precision–recall (auPrc 0.950)');
    expect(one).toContain('recall');
    const two = prCurveSvg([
      { name: 'AutoML', evaluation },
      { name: 'baseline', evaluation: { ...metrics, auPrc: 0.8 } },
    ]);
    expect(two).toContain('AutoML (auPrc 0.950)');
    expect(two).toContain('baseline (auPrc 0.800)');
  });

  it('renders the confusion matrix as a PNG and as an escaped HTML table', () => {
    const png = confusionMatrixPng(evaluation);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const html = confusionMatrixHtml(metrics, { caption: 'Test split' });
    expect(html).toContain('<th style="border:1px solid #ddd;padding:3px 8px;text-align:right">dog&lt;</th>');
    expect(html).toContain('Test split');
    expect(html.match(/<td /g)).toHaveLength(4);
    expect(() => confusionMatrixPng({ auPrc: 1 })).toThrow(/no confusion matrix/);
  });
});
