/**
 * AutoML Vision end to end on the emulator: scikit-learn's digits as PNGs in the local bucket, an
 * ImageDataset imported from a CSV, AutoMLImageTrainingJob with a budget, the model's evaluation and
 * pictures, and predictions in Vertex's classification schema from a deployed endpoint.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AutoMLImageTrainingJob,
  confusionMatrixHtml,
  ensureBucket,
  IMAGE_SCHEMA,
  ImageDataset,
  Model,
  type ProgressEvent,
  prCurveSvg,
  resolveConfig,
  storageClient,
  uploadFile,
} from '../src/index.ts';
import { recordedRequests, repoRoot, stopEmulator, useEmulator } from './helpers.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const BUCKET = 'digits-data';
/** Stated: ≥ 0.9 test accuracy with a 4,000 milli-node-hour mobile budget (30 s locally); measured 0.97–0.99. */
const ACCURACY = 0.9;

describe('AutoMLImageTrainingJob on the digits', () => {
  let emu: RunningEmulator;
  let work: string;
  let images: { file: string; labels: string[] }[];
  let dataset: ImageDataset;

  beforeAll(async () => {
    emu = await useEmulator();
    work = mkdtempSync(join(tmpdir(), 'tvx-digits-'));
    execFileSync(PY, [
      join(repoRoot, 'tools/bench/automl_images.py'),
      'digits',
      work,
      '--gcs-prefix',
      `gs://${BUCKET}/digits`,
    ]);
    images = JSON.parse(readFileSync(join(work, 'examples.json'), 'utf8'));
    const storage = await storageClient(await resolveConfig());
    await ensureBucket(storage, BUCKET);
    const files = [...images.map((im) => im.file), 'import.csv'];
    for (let i = 0; i < files.length; i += 32)
      await Promise.all(
        files.slice(i, i + 32).map((f) => uploadFile(storage, join(work, f), `gs://${BUCKET}/digits/${f}`)),
      );
    dataset = await ImageDataset.create({
      displayName: 'digits',
      gcsSource: `gs://${BUCKET}/digits/import.csv`,
      importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
    });
  }, 120_000);
  afterAll(async () => {
    await stopEmulator(emu);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`trains within the budget to ≥ ${ACCURACY} test accuracy, evaluates, plots and serves`, async () => {
    const job = new AutoMLImageTrainingJob({ displayName: 'digits', modelType: 'MOBILE_TF_VERSATILE_1' });
    const events: ProgressEvent[] = [];
    const model = await job.run({
      dataset,
      budgetMilliNodeHours: 4000,
      modelDisplayName: 'digits-model',
      onProgress: (e) => events.push(e),
    });
    expect(model).toBeInstanceOf(Model);
    expect(job.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(job.costMilliNodeHours).toBeGreaterThan(0);
    expect(job.costMilliNodeHours).toBeLessThanOrEqual(4000);
    expect(['BUDGET_REACHED', 'MODEL_CONVERGED']).toContain(job.successfulStopReason);
    expect(events.filter((e) => e.type === 'state').map((e) => e.type === 'state' && e.state)).toContain(
      'PIPELINE_STATE_RUNNING',
    );
    expect(events.some((e) => e.type === 'log' && /^epoch \d+ loss/.test(e.line))).toBe(true);
    const [sent] = await recordedRequests(emu, 'CreateTrainingPipeline');
    expect(sent!.request).toMatchObject({
      trainingPipeline: {
        trainingTaskInputs: {
          modelType: 'MOBILE_TF_VERSATILE_1',
          budgetMilliNodeHours: 4000,
          disableEarlyStopping: false,
          multiLabel: false,
        },
        inputDataConfig: { datasetId: dataset.resourceName.split('/').pop() },
        modelToUpload: { displayName: 'digits-model', versionAliases: ['default'] },
      },
    });

    expect(model!.displayName).toBe('digits-model');
    expect(model!.gcaResource.supportedDeploymentResourcesTypes).toEqual(['AUTOMATIC_RESOURCES']);
    const evaluations = await model!.evaluations();
    expect(evaluations).toHaveLength(1);
    const ev = evaluations[0]!;
    expect(ev.sliceDimensions).toEqual(['annotationSpec']);
    expect(ev.metrics.auPrc).toBeGreaterThan(0.9);
    expect(ev.prCurve()).toHaveLength(24);
    const accuracy = ev.accuracy()!;
    console.log(
      `digits: test accuracy ${accuracy.toFixed(4)}, auPrc ${ev.metrics.auPrc}, ${job.successfulStopReason}, cost ${job.costMilliNodeHours} mnh`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(ACCURACY);
    expect(ev.confusionMatrix()?.labels).toEqual(Array.from({ length: 10 }, (_, i) => `digit_${i}`));
    expect(prCurveSvg(ev)).toMatch(/^<svg[\s\S]*auPrc[\s\S]*<\/svg>$/);
    expect(confusionMatrixHtml(ev)).toContain('digit_9');
    expect((await ev.slices()).map((s) => s.value).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `digit_${i}`),
    );
    expect((await model!.getModelEvaluation()).id).toBe(ev.id);
    expect((await model!.getModelEvaluation(ev.id)).resourceName).toBe(ev.resourceName);

    const endpoint = await model!.deploy();
    const sample = images.filter((_, i) => i % 60 === 0);
    const answer = await endpoint.predict(
      sample.map((im) => ({ content: readFileSync(join(work, im.file)).toString('base64') })),
      { maxPredictions: 1 },
    );
    const predictions = answer.predictions as {
      ids: string[];
      displayNames: string[];
      confidences: number[];
    }[];
    expect(predictions).toHaveLength(sample.length);
    for (const p of predictions) {
      expect(p.ids).toHaveLength(1);
      expect(p.ids[0]).toMatch(/^\d+$/);
      expect(p.confidences[0]).toBeGreaterThan(0);
    }
    const right = predictions.filter((p, i) => p.displayNames[0] === sample[i]!.labels[0]).length;
    expect(right / sample.length).toBeGreaterThanOrEqual(ACCURACY);
    await endpoint.delete({ force: true });
  }, 180_000);
});
