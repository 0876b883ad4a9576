import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomContainerTrainingJob,
  CustomPythonPackageTrainingJob,
  CustomTrainingJob,
  exists,
  getTrainingJob,
  Model,
  type ProgressEvent,
  pipelineServiceClient,
  resolveConfig,
  storageClient,
  TrainingFailedError,
  ValidationError,
} from '../src/index.ts';
import { repoRoot, SKLEARN_IMAGE, stageSklearnTrainer, stopEmulator, useEmulator } from './helpers.ts';

const SERVING = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const script = `${repoRoot}examples/iris-script/train.py`;
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';

describe('training pipelines on the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator({ localImages: { 'local/iris-trainer:1': { command: [PY, script] } } });
  });
  afterAll(() => stopEmulator(emu));

  it('CustomTrainingJob packages a script, trains it and returns the registered Model', async () => {
    const job = new CustomTrainingJob({
      displayName: 'iris-script',
      scriptPath: script,
      containerUri: SKLEARN_IMAGE,
      requirements: ['scikit-learn', 'joblib'],
      modelServingContainerImageUri: SERVING,
      labels: { origin: 'iris-script' },
    });
    const events: ProgressEvent[] = [];
    const model = await job.run({ args: ['--max-depth', '2'], onProgress: (e) => events.push(e) });
    expect(job.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(model).toBeInstanceOf(Model);
    expect(model!.displayName).toBe('iris-script-model');
    expect(model!.versionId).toBe('1');
    expect(model!.versionAliases).toEqual(['default']);
    expect(model!.artifactUri).toMatch(
      /^gs:\/\/demo-terra-vertex-staging\/aiplatform-custom-training-.*\/model\/$/,
    );
    const storage = await storageClient(await resolveConfig());
    expect(await exists(storage, `${model!.artifactUri}model.joblib`)).toBe(true);
    expect(events.some((e) => e.type === 'log' && e.line.startsWith('train accuracy'))).toBe(true);
    expect(job.backingCustomJob).toMatch(/\/customJobs\/\d+$/);
    const again = await getTrainingJob(job.resourceName);
    expect(again.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(again.backingCustomJob).toBe(job.backingCustomJob);
    expect((await again.wait())?.versionedResourceName).toBe(model!.versionedResourceName);
    await expect(again.run()).rejects.toThrow(/already run|loaded from the server/);
    const listed = await Model.list();
    expect(listed.map((m) => m.resourceName)).toContain(model!.resourceName);
  });

  it('CustomPythonPackageTrainingJob adds a new version to a parent model', async () => {
    const [first] = await Model.list({ filter: 'display_name="iris-script-model"' });
    const job = new CustomPythonPackageTrainingJob({
      displayName: 'iris-package',
      pythonPackageGcsUri: await stageSklearnTrainer(),
      pythonModuleName: 'trainer.task',
      containerUri: SKLEARN_IMAGE,
      modelServingContainerImageUri: SERVING,
      labels: { origin: 'iris-script' },
    });
    const v2 = await job.run({ parentModel: first!.resourceName, modelVersionAliases: ['candidate'] });
    expect(v2!.resourceName).toBe(first!.resourceName);
    expect(v2!.versionId).toBe('2');
    expect(v2!.versionAliases).toEqual(['candidate', 'default']);
    const versions = await v2!.versions();
    expect(versions.map((v) => [v.versionId, v.versionAliases])).toEqual([
      ['1', []],
      ['2', ['candidate', 'default']],
    ]);
    const byAlias = await Model.get(`${first!.resourceName}@candidate`);
    expect(byAlias.versionId).toBe('2');
  });

  it('CustomContainerTrainingJob runs a container image mapped to a local command', async () => {
    const job = new CustomContainerTrainingJob({
      displayName: 'iris-container',
      containerUri: 'local/iris-trainer:1',
      modelServingContainerImageUri: SERVING,
    });
    const model = await job.run({ args: ['--max-depth', '4'] });
    expect(model?.displayName).toBe('iris-container-model');
  });

  it('fails when the trainer saved no model, saying where it should have', async () => {
    const job = new CustomTrainingJob({
      displayName: 'no-save',
      scriptPath: script,
      containerUri: SKLEARN_IMAGE,
      modelServingContainerImageUri: SERVING,
    });
    const err = await job.run({ args: ['--skip-save'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingFailedError);
    expect((err as Error).message).toMatch(
      /wrote no model artifacts to gs:\/\/.*\/model\/\. Ensure that your training script saves the model to os.environ\['AIP_MODEL_DIR'\]/,
    );
  });

  it('fails before starting when a requirement cannot be imported locally, naming it', async () => {
    const job = new CustomTrainingJob({
      displayName: 'needs-more',
      scriptPath: script,
      containerUri: SKLEARN_IMAGE,
      requirements: ['scikit-learn', 'cloudml-hypertune', 'tvx-no-such-package>=1.0'],
    });
    const err = await job.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingFailedError);
    expect((err as Error).message).toMatch(/requires tvx-no-such-package>=1\.0, which .* cannot import/);
    expect((err as Error).message).not.toMatch(/scikit-learn|cloudml-hypertune/);
  });

  it('cancels a running pipeline, then deletes it; moves aliases between versions and deletes a model', async () => {
    const slow = new CustomPythonPackageTrainingJob({
      displayName: 'cancel-pipeline',
      pythonPackageGcsUri: await stageSklearnTrainer(),
      pythonModuleName: 'trainer.task',
      containerUri: SKLEARN_IMAGE,
      modelServingContainerImageUri: SERVING,
    });
    await slow.run({ sync: false, args: ['--sleep', '60'] });
    await slow.cancel();
    await expect(slow.wait()).rejects.toThrow(TrainingFailedError);
    expect(slow.state).toBe('PIPELINE_STATE_CANCELLED');
    const client = await pipelineServiceClient(await resolveConfig());
    const [op] = await client.deleteTrainingPipeline({ name: slow.resourceName });
    await op.promise();
    await expect(client.getTrainingPipeline({ name: slow.resourceName })).rejects.toMatchObject({ code: 5 });

    const [model] = await Model.list({ filter: 'labels.origin="iris-script"' });
    const v1 = await Model.get(`${model!.resourceName}@1`);
    await v1.mergeVersionAliases(['golden']);
    expect((await Model.get(`${model!.resourceName}@golden`)).versionId).toBe('1');
    await (await Model.get(`${model!.resourceName}@2`)).mergeVersionAliases(['golden', '-candidate']);
    const versions = await model!.versions();
    expect(versions.map((v) => [v.versionId, v.versionAliases])).toEqual([
      ['1', []],
      ['2', ['default', 'golden']],
    ]);
    await model!.delete();
    await expect(Model.get(model!.resourceName)).rejects.toThrow(/NOT_FOUND/);
  });

  it('returns no model without a serving image, and refuses datasets for now', async () => {
    const job = new CustomTrainingJob({
      displayName: 'no-model',
      scriptPath: script,
      containerUri: SKLEARN_IMAGE,
    });
    expect(await job.run()).toBeUndefined();
    expect(job.state).toBe('PIPELINE_STATE_SUCCEEDED');
    const withData = new CustomTrainingJob({
      displayName: 'data',
      scriptPath: script,
      containerUri: SKLEARN_IMAGE,
    });
    await expect(withData.run({ dataset: 'projects/p/locations/l/datasets/1' })).rejects.toThrow(
      ValidationError,
    );
    await expect(withData.run({ modelDisplayName: 'x' })).rejects.toThrow(
      /modelServingContainerImageUri was not given/,
    );
  });
});
