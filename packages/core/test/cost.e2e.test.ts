import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AutoMLImageTrainingJob,
  type CostEstimate,
  CostLimitError,
  CustomJob,
  CustomPythonPackageTrainingJob,
  discreteParameter,
  Endpoint,
  HyperparameterTuningJob,
  Model,
  type ProgressEvent,
} from '../src/index.ts';
import {
  recordedRequests,
  SKLEARN_IMAGE,
  sklearnTrainerJob,
  stageSklearnTrainer,
  stopEmulator,
  useEmulator,
} from './helpers.ts';

const SERVING = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const costOf = (events: ProgressEvent[]): CostEstimate[] =>
  events.flatMap((e) => (e.type === 'cost' ? [e.estimate] : []));

describe('cost estimates and maxCost against the emulator', () => {
  let emu: RunningEmulator;
  let packageUri: string;
  let work: string;

  beforeAll(async () => {
    emu = await useEmulator();
    packageUri = await stageSklearnTrainer();
    work = mkdtempSync(join(tmpdir(), 'tvx-cost-'));
  }, 120_000);
  afterAll(async () => {
    await stopEmulator(emu);
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses a custom job above maxCost before anything is sent', async () => {
    const events: ProgressEvent[] = [];
    const job = sklearnTrainerJob(packageUri, [], 'too-dear');
    const err = await job
      .run({ timeout: 7200, maxCost: 0.25, onProgress: (e) => events.push(e) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CostLimitError);
    // 1 replica × n1-standard-4 × 2 hours (the timeout).
    expect((err as CostLimitError).estimate.totalUsd).toBeCloseTo(1 * 0.218499 * 2, 12);
    expect((err as Error).message).toMatch(/^maxCost: the estimate \$0\.4370 .* is above \$0\.2500/);
    expect(costOf(events)).toHaveLength(1);
    expect(await recordedRequests(emu, 'CreateCustomJob')).toEqual([]);
    expect(await CustomJob.list()).toEqual([]);
  });

  it("runs a job under maxCost; the dry-run estimate equals the run's cost event", async () => {
    const job = sklearnTrainerJob(packageUri, ['--C', '0.5'], 'cheap');
    const run = { expectedDuration: 600, maxCost: 1 };
    const dry = await job.estimateCost(run);
    expect(dry.totalUsd).toBeCloseTo(1 * 0.218499 * (600 / 3600), 12);
    expect(dry.basis).toBe('expectedDuration 10 min');
    expect(dry.notes.some((n) => n.includes('local emulator, which is free'))).toBe(true);
    const events: ProgressEvent[] = [];
    await job.run({ ...run, onProgress: (e) => events.push(e) });
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(costOf(events)).toEqual([dry]);
    expect(events[0]?.type).toBe('cost');
  }, 120_000);

  it('refuses a training pipeline and a tuning job above maxCost, pricing trials × duration', async () => {
    const training = new CustomPythonPackageTrainingJob({
      displayName: 'pipeline-too-dear',
      containerUri: SKLEARN_IMAGE,
      pythonPackageGcsUri: packageUri,
      pythonModuleName: 'trainer.task',
    });
    const estimate = await training.estimateCost({ replicaCount: 3, machineType: 'n1-standard-8' });
    expect(estimate.basis).toMatch(/^Vertex's default timeout \(7 days\)/);
    expect(estimate.totalUsd).toBeCloseTo(3 * 0.436998 * 168, 10);
    await expect(
      training.run({ replicaCount: 3, machineType: 'n1-standard-8', maxCost: 100 }),
    ).rejects.toThrow(CostLimitError);
    expect(await recordedRequests(emu, 'CreateTrainingPipeline')).toEqual([]);

    const tuning = new HyperparameterTuningJob({
      displayName: 'study-too-dear',
      customJob: sklearnTrainerJob(packageUri),
      metricSpec: { accuracy: 'maximize' },
      parameterSpec: { C: discreteParameter([0.1, 1]) },
      maxTrialCount: 6,
      parallelTrialCount: 3,
    });
    const perTrial = { expectedDuration: 1800 };
    const study = await tuning.estimateCost(perTrial);
    expect(study.totalUsd).toBeCloseTo(1 * 0.218499 * 0.5 * 6, 12);
    expect(study.hourlyUsd).toBeCloseTo(0.218499 * 3, 12);
    await expect(tuning.run({ ...perTrial, maxCost: 0.5 })).rejects.toThrow(/is above \$0\.5000/);
    expect(await recordedRequests(emu, 'CreateHyperparameterTuningJob')).toEqual([]);
  });

  it('refuses AutoML training whose budget costs more than maxCost', async () => {
    const job = new AutoMLImageTrainingJob({ displayName: 'automl-too-dear' });
    const run = { dataset: '123', budgetMilliNodeHours: 8000 };
    expect((await job.estimateCost(run)).totalUsd).toBeCloseTo(8 * 3.465, 12);
    await expect(job.run({ ...run, maxCost: 20 })).rejects.toThrow(/Lower budgetMilliNodeHours/);
    expect(await recordedRequests(emu, 'CreateTrainingPipeline')).toEqual([]);
  });

  it('refuses a deployment above maxCost without creating the endpoint, then deploys under it', async () => {
    const dir = join(work, 'iris');
    mkdirSync(dir, { recursive: true });
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, joblib\nfrom sklearn.datasets import load_iris\nfrom sklearn.linear_model import LogisticRegression\n' +
        'X, y = load_iris(return_X_y=True)\njoblib.dump(LogisticRegression(max_iter=500).fit(X, y), sys.argv[1])',
      join(dir, 'model.joblib'),
    ]);
    const model = await Model.upload({
      displayName: 'iris-cost',
      artifactUri: dir,
      servingContainerImageUri: SERVING,
    });
    const big = { machineType: 'n1-standard-4', minReplicaCount: 1, maxReplicaCount: 2 };
    const err = await model.deploy({ ...big, maxCost: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CostLimitError);
    // Ceiling: 2 replicas × $0.219 × 24 h (the default expectedDuration).
    expect((err as CostLimitError).estimate.totalUsd).toBeCloseTo(2 * 0.219 * 24, 12);
    expect(await recordedRequests(emu, 'CreateEndpoint')).toEqual([]);
    expect(await Endpoint.list()).toEqual([]);

    const small = { expectedDuration: 3600, maxCost: 1 };
    const dry = await model.estimateDeployCost(small);
    expect(dry.totalUsd).toBeCloseTo(1 * 0.1095 * 1, 12);
    const events: ProgressEvent[] = [];
    const endpoint = await model.deploy({ ...small, onProgress: (e) => events.push(e) });
    expect(costOf(events)).toEqual([dry]);
    expect(endpoint.deployedModels).toHaveLength(1);
    const again = await endpoint.estimateDeployCost(model, { expectedDuration: 7200 });
    expect(again.totalUsd).toBeCloseTo(0.1095 * 2, 12);
    await endpoint.delete({ force: true });
  }, 120_000);
});
