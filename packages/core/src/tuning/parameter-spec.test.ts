import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../test/field-of.ts';
import { CustomJob } from '../jobs/custom-job.ts';
import { HyperparameterTuningJob } from './hyperparameter-tuning-job.ts';
import {
  buildParameterSpecs,
  categoricalParameter,
  discreteParameter,
  doubleParameter,
  integerParameter,
} from './parameter-spec.ts';
import { buildStudySpec } from './study-spec.ts';

const customJob = new CustomJob({
  displayName: 't',
  workerPoolSpecs: [{ containerSpec: { imageUri: 'gcr.io/x/y:1' } }],
});
const base = {
  displayName: 'hpt',
  customJob,
  metricSpec: { accuracy: 'maximize' as const },
  maxTrialCount: 4,
  parallelTrialCount: 2,
};

describe('parameter specs', () => {
  it('builds StudySpec parameters like the Python SDK, conditional children included', () => {
    expect(
      buildParameterSpecs({
        lr: doubleParameter(0.001, 0.1, 'log'),
        units: integerParameter(4, 64),
        act: categoricalParameter(['relu', 'tanh']),
        batch: discreteParameter([16, 32], 'linear', {
          conditionalParameterSpec: { decay: { ...doubleParameter(0, 1), parentValues: [32] } },
        }),
        layers: integerParameter(1, 3, 'linear', {
          conditionalParameterSpec: { width: { ...integerParameter(8, 16), parentValues: [2, 3] } },
        }),
      }),
    ).toEqual([
      { parameterId: 'lr', scaleType: 'UNIT_LOG_SCALE', doubleValueSpec: { minValue: 0.001, maxValue: 0.1 } },
      {
        parameterId: 'units',
        scaleType: 'UNIT_LINEAR_SCALE',
        integerValueSpec: { minValue: '4', maxValue: '64' },
      },
      { parameterId: 'act', categoricalValueSpec: { values: ['relu', 'tanh'] } },
      {
        parameterId: 'batch',
        scaleType: 'UNIT_LINEAR_SCALE',
        discreteValueSpec: { values: [16, 32] },
        conditionalParameterSpecs: [
          {
            parentDiscreteValues: { values: [32] },
            parameterSpec: {
              parameterId: 'decay',
              scaleType: 'UNIT_LINEAR_SCALE',
              doubleValueSpec: { minValue: 0, maxValue: 1 },
            },
          },
        ],
      },
      {
        parameterId: 'layers',
        scaleType: 'UNIT_LINEAR_SCALE',
        integerValueSpec: { minValue: '1', maxValue: '3' },
        conditionalParameterSpecs: [
          {
            parentIntValues: { values: ['2', '3'] },
            parameterSpec: {
              parameterId: 'width',
              scaleType: 'UNIT_LINEAR_SCALE',
              integerValueSpec: { minValue: '8', maxValue: '16' },
            },
          },
        ],
      },
    ]);
  });

  it.each([
    ['parameterSpec.lr', { lr: doubleParameter(0.1, 0.1) }],
    ['parameterSpec.lr', { lr: doubleParameter(1, 0.1) }],
    ['parameterSpec.lr.min', { lr: doubleParameter(0, 1, 'log') }],
    ['parameterSpec.n.min', { n: integerParameter(1.5, 4) }],
    ['parameterSpec.b.values', { b: discreteParameter([32, 16]) }],
    ['parameterSpec.c.values', { c: categoricalParameter([]) }],
    [
      'parameterSpec.b.conditionalParameterSpec.b',
      {
        b: discreteParameter([1, 2], 'linear', {
          conditionalParameterSpec: { b: { ...doubleParameter(0, 1), parentValues: [1] } },
        }),
      },
    ],
    ['parameterSpec.x y', { 'x y': doubleParameter(0, 1) }],
  ])('names %s', (field, specs) => {
    expect(fieldOf(() => buildParameterSpecs(specs as never))).toBe(field);
  });

  it('checks the study options', () => {
    expect(fieldOf(() => new HyperparameterTuningJob({ ...base, parameterSpec: {} }))).toBe('parameterSpec');
    expect(
      fieldOf(
        () =>
          new HyperparameterTuningJob({
            ...base,
            parameterSpec: { a: doubleParameter(0, 1) },
            metricSpec: { accuracy: 'best' as never },
          }),
      ),
    ).toBe('metricSpec.accuracy');
    expect(
      fieldOf(
        () =>
          new HyperparameterTuningJob({
            ...base,
            parameterSpec: { a: doubleParameter(0, 1) },
            maxTrialCount: 0,
          }),
      ),
    ).toBe('maxTrialCount');
    expect(
      fieldOf(
        () =>
          new HyperparameterTuningJob({
            ...base,
            parameterSpec: { a: doubleParameter(0, 1) },
            searchAlgorithm: 'bayes' as never,
          }),
      ),
    ).toBe('searchAlgorithm');
    expect(
      fieldOf(
        () =>
          new HyperparameterTuningJob({
            ...base,
            parameterSpec: { a: doubleParameter(0, 1) },
            earlyStopping: 'convex' as never,
          }),
      ),
    ).toBe('earlyStopping');
  });

  it('maps early stopping to the StudySpec rule', () => {
    const spec = { metricSpec: { acc: 'maximize' as const }, parameterSpec: { a: doubleParameter(0, 1) } };
    expect(buildStudySpec({ ...spec, earlyStopping: 'median' }).medianAutomatedStoppingSpec).toEqual({});
    expect(
      buildStudySpec({ ...spec, earlyStopping: { rule: 'decay_curve', useElapsedDuration: true } })
        .decayCurveStoppingSpec,
    ).toEqual({ useElapsedDuration: true });
    expect(buildStudySpec(spec)).not.toHaveProperty('measurementSelectionType');
  });
});
