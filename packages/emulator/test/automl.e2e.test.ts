/**
 * AutoML image classification on the emulator through the official clients: a budgeted training pipeline on an
 * image dataset that really trains, the registered model's AutoML fields, its evaluation in Vertex's
 * classification metrics schema, predictions from an endpoint in the classification schema, and a warm start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Plain,
  parent,
  plain,
  type ShapesEmulator,
  startShapesEmulator,
  value,
} from './automl-fixture.ts';

const HTTPS = 'https://storage.googleapis.com/google-cloud-aiplatform/schema';

describe('AutoML image classification on the emulator', () => {
  let s: ShapesEmulator;
  let trained: string | undefined;
  beforeAll(async () => {
    s = await startShapesEmulator();
  });
  afterAll(() => s?.stop());

  it('trains within the budget, registers the model with its evaluation and serves the prediction schema', async () => {
    const [created] = await s.c.pipelines.createTrainingPipeline({
      parent,
      trainingPipeline: s.pipeline({
        modelType: 'MOBILE_TF_VERSATILE_1',
        budgetMilliNodeHours: 2000, // 15 s locally
        multiLabel: false,
        disableEarlyStopping: false,
      }),
    });
    expect(created.state).toBe('PIPELINE_STATE_PENDING');
    expect(plain(created.trainingTaskInputs).budgetMilliNodeHours).toBe('2000');
    const done = await s.waitFor(created.name!, (state) => /SUCCEEDED|FAILED|CANCELLED/.test(state));
    expect(done.error?.message ?? '').toBe('');
    expect(done.state).toBe('PIPELINE_STATE_SUCCEEDED');
    const meta = plain(done.trainingTaskMetadata);
    expect(['BUDGET_REACHED', 'MODEL_CONVERGED']).toContain(meta.successfulStopReason);
    expect(meta.costMilliNodeHours).toMatch(/^\d+$/);
    expect(Number(meta.costMilliNodeHours)).toBeLessThanOrEqual(2000);

    const [model] = await s.c.models.getModel({ name: `${done.modelToUpload!.name}@1` });
    trained = model.name!;
    expect(model.displayName).toBe('shapes-model');
    expect(model.labels).toEqual({ team: 'vision' });
    expect(model.predictSchemata).toEqual({
      instanceSchemaUri: `${HTTPS}/predict/instance/image_classification_1.0.0.yaml`,
      parametersSchemaUri: `${HTTPS}/predict/params/image_classification_1.0.0.yaml`,
      predictionSchemaUri: `${HTTPS}/predict/prediction/classification_1.0.0.yaml`,
    });
    expect(model.metadataSchemaUri).toBe(`${HTTPS}/model/metadata/automl_image_classification_1.0.0.yaml`);
    expect(plain(model.metadata)).toEqual({
      modelType: 'MOBILE_TF_VERSATILE_1',
      trainingDataItemsCount: '48',
      validationDataItemsCount: '6',
      trainingAnnotationsCount: '48',
      validationAnnotationsCount: '6',
      eligibleAsBaseModel: true,
    });
    expect(model.trainingPipeline).toBe(created.name);
    expect(model.supportedDeploymentResourcesTypes).toEqual(['AUTOMATIC_RESOURCES']);
    expect(model.containerSpec ?? null).toBeNull();
    expect(model.supportedExportFormats?.map((f) => f.id)).toContain('tflite');

    // The evaluation, on the 6 test images, in classification_metrics_1.0.0.
    const [evaluations] = await s.c.models.listModelEvaluations({ parent: `${model.name}@1` });
    expect(evaluations).toHaveLength(1);
    const ev = evaluations[0]!;
    expect(ev.name).toMatch(new RegExp(`^${model.name}/evaluations/\\d+$`));
    expect(ev.metricsSchemaUri).toBe(
      'gs://google-cloud-aiplatform/schema/modelevaluation/classification_metrics_1.0.0.yaml',
    );
    expect(ev.sliceDimensions).toEqual(['annotationSpec']);
    const m = plain(ev.metrics);
    for (const k of ['auPrc', 'auRoc', 'logLoss']) expect(typeof m[k]).toBe('number');
    const cms = m.confidenceMetrics as Plain[];
    expect(cms).toHaveLength(24);
    expect(cms[0]!.confidenceThreshold).toBeUndefined(); // 0.0 is left out, as Vertex does
    expect(cms[0]!.recall).toBe(1);
    expect(cms[0]!.precision).toBeCloseTo(1 / 3, 6);
    expect(cms.map((x) => x.confidenceThreshold ?? 0)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => Number((i * 0.05).toFixed(2))),
      0.96,
      0.97,
      0.98,
      0.99,
    ]);
    for (const x of cms) {
      for (const k of ['truePositiveCount', 'falsePositiveCount', 'falseNegativeCount', 'trueNegativeCount'])
        if (k in x) expect(x[k]).toMatch(/^\d+$/);
      for (const k of ['recall', 'precision', 'f1Score', 'recallAt1', 'precisionAt1'])
        if (k in x) expect(typeof x[k]).toBe('number');
    }
    const matrix = m.confusionMatrix as {
      annotationSpecs: { id: string; displayName: string }[];
      rows: number[][];
    };
    expect(matrix.annotationSpecs.map((spec) => spec.displayName)).toEqual(['circle', 'square', 'triangle']);
    for (const spec of matrix.annotationSpecs) expect(spec.id).toMatch(/^\d+$/);
    expect(matrix.rows.flat().reduce((a, b) => a + b, 0)).toBe(6);
    const correct = matrix.rows.reduce((a, row, i) => a + row[i]!, 0);
    expect(correct).toBeGreaterThanOrEqual(3); // better than chance (2 of 6) even on a busy machine
    const lines = await s.logLines(created.name!);
    expect(lines.some((l) => /^epoch \d+ loss/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('test: accuracy'))).toBe(true);
    const [again] = await s.c.models.getModelEvaluation({ name: ev.name! });
    expect(again.name).toBe(ev.name);
    const [slices] = await s.c.models.listModelEvaluationSlices({ parent: ev.name! });
    expect(slices.map((x) => x.slice?.value).sort()).toEqual(['circle', 'square', 'triangle']);
    for (const x of slices) {
      expect(x.slice?.dimension).toBe('annotationSpec');
      expect(plain(x.metrics).confusionMatrix).toBeUndefined();
      expect((plain(x.metrics).confidenceMetrics as unknown[]).length).toBe(24);
    }

    // Deployed with automatic resources, it answers Vertex's image classification schemas.
    const [epOp] = await s.c.endpoints.createEndpoint({ parent, endpoint: { displayName: 'shapes' } });
    const [endpoint] = await epOp.promise();
    const [deployOp] = await s.c.endpoints.deployModel({
      endpoint: endpoint.name!,
      deployedModel: { model: model.name!, automaticResources: { minReplicaCount: 1, maxReplicaCount: 1 } },
      trafficSplit: { '0': 100 },
    });
    await deployOp.promise();
    const test = s.images.filter((im) => im.mlUse === 'test');
    const instances = test.map((im) =>
      value({ content: readFileSync(join(s.work, im.file)).toString('base64') }),
    );
    const predict = async (parameters?: Plain) => {
      const [res] = await s.c.predictions.predict({
        endpoint: endpoint.name!,
        instances,
        ...(parameters ? { parameters: value(parameters) } : {}),
      });
      return res.predictions!.map(plain) as {
        ids: string[];
        displayNames: string[];
        confidences: number[];
      }[];
    };
    const all = await predict();
    expect(all).toHaveLength(test.length);
    for (const p of all) {
      expect(p.displayNames.sort()).toEqual(['circle', 'square', 'triangle']);
      expect(p.confidences.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    const ids = new Map(matrix.annotationSpecs.map((spec) => [spec.displayName, spec.id]));
    for (const p of await predict({ confidenceThreshold: 0.0, maxPredictions: 2 })) {
      expect(p.ids).toHaveLength(2);
      expect(p.ids).toEqual(p.displayNames.map((n) => ids.get(n)));
      expect(p.confidences[0]).toBeGreaterThanOrEqual(p.confidences[1]!);
    }
    for (const p of await predict({ confidenceThreshold: 0.6 }))
      for (const conf of p.confidences) expect(conf).toBeGreaterThanOrEqual(0.6);
    await expect(predict({ maxPredictions: 0 })).rejects.toThrow(/INVALID_ARGUMENT.*maxPredictions/);
  }, 180_000);

  it('trains from a base model (warm start) into a new version of it, with a filter split', async () => {
    const ml = (use: string) => `labels.aiplatform.googleapis.com/ml_use=${use}`;
    const [created] = await s.c.pipelines.createTrainingPipeline({
      parent,
      trainingPipeline: s.pipeline(
        {
          modelType: 'MOBILE_TF_VERSATILE_1',
          budgetMilliNodeHours: 1000,
          baseModelId: trained!.split('/').pop(),
        },
        {
          inputDataConfig: {
            datasetId: s.datasetId,
            filterSplit: {
              trainingFilter: ml('training'),
              validationFilter: ml('test'),
              testFilter: ml('validation'),
            },
          },
          parentModel: trained,
        },
      ),
    });
    const done = await s.waitFor(created.name!, (state) => /SUCCEEDED|FAILED|CANCELLED/.test(state));
    expect(done.error?.message ?? '').toBe('');
    expect(done.modelToUpload?.versionId).toBe('2');
    const lines = await s.logLines(created.name!);
    expect(lines).toContain('data: 48 training, 6 validation, 6 test images; 3 labels; single-label');
    expect(lines.some((l) => /^warm start from the base model: \d+ of \d+ tensors$/.test(l))).toBe(true);
    const [evaluations] = await s.c.models.listModelEvaluations({ parent: `${trained}@2` });
    expect(evaluations).toHaveLength(1);
    const [first] = await s.c.models.listModelEvaluations({ parent: `${trained}@1` });
    expect(first[0]!.name).not.toBe(evaluations[0]!.name);
  }, 60_000);
});
