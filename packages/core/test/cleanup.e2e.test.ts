/**
 * Guard rails on the emulator: `findBillableResources` finds a deployed model, a TensorBoard with data and a
 * running custom job with their per-day costs (hand-computed from the price table), tells idle endpoints
 * from used ones by Cloud Monitoring's prediction count, and `cleanUp` leaves nothing billable.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BillableResources,
  billableResourcesHtml,
  billableResourcesRows,
  type CustomJob,
  cleanUp,
  Endpoint,
  findBillableResources,
  Model,
  PRICE_TABLE,
  Tensorboard,
  TensorboardExperiment,
  TensorboardRun,
} from '../src/index.ts';
import {
  eventually,
  recordedRequests,
  sklearnTrainerJob,
  stageSklearnTrainer,
  stopEmulator,
  useEmulator,
} from './helpers.ts';

const SERVING = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const IRIS = [[5.1, 3.5, 1.4, 0.2]];

describe('cleanup: what keeps costing money, idle endpoints, clean up', () => {
  let emu: RunningEmulator;
  let work: string;
  let endpoint: Endpoint;
  let empty: Endpoint;
  let tensorboard: Tensorboard;
  let job: CustomJob;
  let deployedAt: number;

  beforeAll(async () => {
    emu = await useEmulator();
    work = mkdtempSync(join(tmpdir(), 'tvx-cleanup-'));
    const modelDir = join(work, 'model');
    mkdirSync(modelDir);
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, joblib\nfrom sklearn.datasets import load_iris\nfrom sklearn.linear_model import LogisticRegression\n' +
        'X, y = load_iris(return_X_y=True)\njoblib.dump(LogisticRegression(max_iter=500).fit(X, y), sys.argv[1])',
      join(modelDir, 'model.joblib'),
    ]);
    const packageUri = await stageSklearnTrainer();
    job = sklearnTrainerJob(packageUri, ['--sleep', '300'], 'long-sleeper');
    await job.run({ sync: false });
    const model = await Model.upload({
      displayName: 'iris',
      artifactUri: modelDir,
      servingContainerImageUri: SERVING,
    });
    endpoint = await Endpoint.create({ displayName: 'iris-endpoint' });
    await endpoint.deploy(model, { machineType: 'n1-standard-4', minReplicaCount: 1, maxReplicaCount: 2 });
    deployedAt = Date.now();
    empty = await Endpoint.create({ displayName: 'left-empty' });
    tensorboard = await Tensorboard.create({ displayName: 'lab' });
    await TensorboardExperiment.create({
      tensorboardName: tensorboard.resourceName,
      tensorboardExperimentId: 'exp',
    });
    const run = await TensorboardRun.create({
      tensorboardExperimentName: `${tensorboard.resourceName}/experiments/exp`,
      tensorboardRunId: 'run-1',
    });
    await run.writeScalars(
      Array.from({ length: 50 }, (_, step) => ({ tag: 'loss', step, value: 1 / (step + 1) })),
    );
    await eventually(async () => (await job.refresh()).state === 'JOB_STATE_RUNNING', 60_000);
  }, 240_000);
  afterAll(async () => {
    await stopEmulator(emu);
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the deployed model, the empty endpoint, the TensorBoard and the running job with per-day costs', async () => {
    const found = await findBillableResources();
    const used = found.endpoints.find((e) => e.endpoint.resourceName === endpoint.resourceName)!;
    // One n1-standard-4 serving replica (the floor, minReplicaCount 1) for 24 hours.
    const servingPerDay = PRICE_TABLE.predictionMachines.prices['n1-standard-4']! * 1 * 24;
    expect(used.deployedModels).toHaveLength(1);
    expect(used.deployedModels[0]).toMatchObject({
      machineType: 'n1-standard-4',
      minReplicaCount: 1,
      maxReplicaCount: 2,
      automl: false,
      model: expect.stringMatching(/\/models\//),
    });
    expect(used.costPerDayUsd).toBeCloseTo(servingPerDay, 10);
    expect(used.deployedModels[0]!.explanation).toMatch(/n1-standard-4/);
    expect(used.idle).toBe(false); // deployed moments ago, default idleAfter one hour

    const free = found.endpoints.find((e) => e.endpoint.resourceName === empty.resourceName)!;
    expect(free).toMatchObject({ deployedModels: [], costPerDayUsd: 0, idle: false });

    expect(found.tensorboards).toHaveLength(1);
    const tb = found.tensorboards[0]!;
    expect(tb.bytes).toBeGreaterThan(0);
    // bytes → GiB, one day of a 730-hour month, at the per-GiB-month rate.
    const tbPerDay = (tb.bytes / 2 ** 30) * (24 / 730) * PRICE_TABLE.tensorboardStorage.usd;
    expect(tb.costPerDayUsd).toBeCloseTo(tbPerDay, 12);

    expect(found.runningJobs).toHaveLength(1);
    // The job's one replica on the default n1-standard-4 training machine for 24 hours.
    const jobPerDay = PRICE_TABLE.trainingMachines.prices['n1-standard-4']! * 1 * 24;
    expect(found.runningJobs[0]).toMatchObject({
      kind: 'custom job',
      resourceName: job.resourceName,
      state: 'JOB_STATE_RUNNING',
    });
    expect(found.runningJobs[0]!.costPerDayUsd).toBeCloseTo(jobPerDay, 10);
    expect(found.totalPerDayUsd).toBeCloseTo(servingPerDay + tbPerDay + jobPerDay, 10);
    expect(found.notes.join(' ')).toMatch(/emulator itself is free/);

    const rows = billableResourcesRows(found);
    expect(rows.map((r) => r.kind).sort()).toEqual([
      'custom job',
      'deployed model',
      'endpoint',
      'tensorboard',
    ]);
    expect(rows.find((r) => r.kind === 'endpoint')!.status).toBe('empty, free');
    const html = billableResourcesHtml(found);
    for (const name of ['iris-endpoint', 'left-empty', 'lab', 'long-sleeper']) expect(html).toContain(name);
    expect(html).toMatch(/^<div><table[\s\S]*<\/table>/);
  });

  it('marks an endpoint idle after idleAfter without predictions, and a prediction resets it', async () => {
    expect(
      (await findBillableResources({ idleAfter: 0 })).endpoints.find((e) => e.deployedModels.length)!.idle,
    ).toBe(true);
    await eventually(() => Date.now() - deployedAt > 2_500, 10_000);
    const before = await findBillableResources({ idleAfter: 2 });
    const idle = before.endpoints.find((e) => e.endpoint.resourceName === endpoint.resourceName)!;
    expect(idle.idle).toBe(true);
    expect(idle.lastPredictionTime).toBeUndefined();
    expect(billableResourcesHtml(before)).toMatch(/idle for over 2 s/);

    await endpoint.predict(IRIS);
    const after = await findBillableResources({ idleAfter: 2 });
    const used = after.endpoints.find((e) => e.endpoint.resourceName === endpoint.resourceName)!;
    expect(used.idle).toBe(false);
    // The end of the one-minute period that holds the prediction: no later than the check, at most a minute after it.
    expect(used.lastPredictionTime!.getTime()).toBeLessThanOrEqual(after.checkedAt.getTime());
    expect(used.lastPredictionTime!.getTime()).toBeGreaterThan(Date.now() - 70_000);
    const monitoring = await recordedRequests(emu, '/v3/projects/demo-terra-vertex/timeSeries');
    expect(monitoring.length).toBeGreaterThan(0);
  });

  it('cleanUp undeploys, deletes and cancels, leaving nothing billable', async () => {
    const found: BillableResources = await findBillableResources();
    const result = await cleanUp(found, {
      undeploy: true,
      deleteEndpoints: true,
      deleteTensorboards: true,
      cancelJobs: true,
    });
    expect(result.failed).toBe(0);
    expect(result.actions.map((a) => a.action).sort()).toEqual([
      'cancelled',
      'deleted endpoint',
      'deleted endpoint',
      'deleted tensorboard',
      'undeployed',
    ]);
    expect(result.savedPerDayUsd).toBeCloseTo(found.totalPerDayUsd, 10);
    await eventually(async () => (await job.refresh()).state === 'JOB_STATE_CANCELLED', 60_000);
    const again = await findBillableResources();
    expect(again.endpoints).toEqual([]);
    expect(again.tensorboards).toEqual([]);
    expect(again.runningJobs).toEqual([]);
    expect(again.totalPerDayUsd).toBe(0);
  });
});
