import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../test/field-of.ts';
import type { ResolvedConfig } from '../config.ts';
import { fromProtoValue } from '../value.ts';
import { AUTOML_IMAGE_CLASSIFICATION_TASK, buildAutoMLImageRequest } from './automl-image-request.ts';

const config = { project: 'test-project', location: 'us-central1' } as ResolvedConfig;
const DATASET = 'projects/test-project/locations/us-central1/datasets/1234';
const job = { displayName: 'flowers' };

describe('buildAutoMLImageRequest', () => {
  it('sends what the Python SDK sends: camelCase inputs, null budget, dataset id, default alias', () => {
    const r = buildAutoMLImageRequest(job, { dataset: { resourceName: DATASET } }, config);
    expect(r.parent).toBe('projects/test-project/locations/us-central1');
    const p = r.trainingPipeline;
    expect(p.trainingTaskDefinition).toBe(AUTOML_IMAGE_CLASSIFICATION_TASK);
    expect(fromProtoValue(p.trainingTaskInputs as never)).toEqual({
      modelType: 'CLOUD',
      budgetMilliNodeHours: null,
      disableEarlyStopping: false,
      multiLabel: false,
    });
    expect(p.inputDataConfig).toEqual({ datasetId: '1234' });
    expect(p.modelToUpload).toEqual({ displayName: 'flowers', versionAliases: ['default'] });
    expect(p.labels).toBeUndefined();
  });

  it('passes budget, early stopping, multi-label, base model, splits, labels and keys', () => {
    const r = buildAutoMLImageRequest(
      {
        ...job,
        multiLabel: true,
        modelType: 'MOBILE_TF_VERSATILE_1',
        baseModel: 'projects/p/locations/l/models/77',
        labels: { team: 'vision' },
        trainingEncryptionSpecKeyName: 'kms-a',
      },
      {
        dataset: '1234',
        budgetMilliNodeHours: 8000,
        disableEarlyStopping: true,
        trainingFractionSplit: 0.7,
        testFractionSplit: 0.2,
        modelDisplayName: 'flowers-model',
        parentModel: '99',
      },
      config,
    );
    const p = r.trainingPipeline;
    expect(fromProtoValue(p.trainingTaskInputs as never)).toEqual({
      modelType: 'MOBILE_TF_VERSATILE_1',
      budgetMilliNodeHours: 8000,
      disableEarlyStopping: true,
      multiLabel: true,
      baseModelId: '77',
    });
    expect(p.inputDataConfig).toEqual({
      datasetId: '1234',
      fractionSplit: { trainingFraction: 0.7, testFraction: 0.2 },
    });
    expect(p.modelToUpload).toEqual({
      displayName: 'flowers-model',
      labels: { team: 'vision' },
      versionAliases: ['default'],
    });
    expect(p.labels).toEqual({ team: 'vision' });
    expect(p.encryptionSpec).toEqual({ kmsKeyName: 'kms-a' });
    expect(p.parentModel).toBe('projects/test-project/locations/us-central1/models/99');
  });

  it('builds filter splits and swaps CLOUD for object detection as the Python SDK does', () => {
    const filters = {
      trainingFilterSplit: 'labels.aiplatform.googleapis.com/ml_use=training',
      validationFilterSplit: 'labels.aiplatform.googleapis.com/ml_use=validation',
      testFilterSplit: '-',
    };
    const r = buildAutoMLImageRequest(job, { dataset: '1', ...filters }, config);
    expect(r.trainingPipeline.inputDataConfig?.filterSplit).toEqual({
      trainingFilter: filters.trainingFilterSplit,
      validationFilter: filters.validationFilterSplit,
      testFilter: '-',
    });
    const od = buildAutoMLImageRequest(
      { ...job, predictionType: 'object_detection' },
      { dataset: '1' },
      config,
    );
    expect(od.trainingPipeline.trainingTaskDefinition).toMatch(
      /automl_image_object_detection_1\.0\.0\.yaml$/,
    );
    expect(fromProtoValue(od.trainingPipeline.trainingTaskInputs as never)).toEqual({
      modelType: 'CLOUD_HIGH_ACCURACY_1',
      budgetMilliNodeHours: null,
      disableEarlyStopping: false,
    });
  });

  it('names the option at fault', () => {
    const build =
      (o: object, run: object = { dataset: '1' }) =>
      () =>
        buildAutoMLImageRequest({ ...job, ...o }, run as never, config);
    expect(fieldOf(build({ predictionType: 'segmentation' }))).toBe('predictionType');
    expect(fieldOf(build({ modelType: 'YOLO' }))).toBe('modelType');
    expect(fieldOf(build({ predictionType: 'object_detection', baseModel: '1' }))).toBe('baseModel');
    expect(fieldOf(build({}, {}))).toBe('dataset');
    expect(fieldOf(build({}, { dataset: '1', budgetMilliNodeHours: 1.5 }))).toBe('budgetMilliNodeHours');
    expect(fieldOf(build({}, { dataset: '1', trainingFilterSplit: 'x' }))).toBe('trainingFilterSplit');
    expect(fieldOf(build({}, { dataset: '1', trainingFractionSplit: 0.9, testFractionSplit: 0.2 }))).toBe(
      'trainingFractionSplit',
    );
    expect(
      fieldOf(
        build(
          {},
          {
            dataset: '1',
            trainingFractionSplit: 0.8,
            trainingFilterSplit: 'a',
            validationFilterSplit: 'b',
            testFilterSplit: 'c',
          },
        ),
      ),
    ).toBe('trainingFractionSplit');
  });
});
