import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discreteParameter,
  doubleParameter,
  HyperparameterTuningJob,
  JobFailedError,
  type ProgressEvent,
  trialArgs,
} from '../src/index.ts';
import {
  eventually,
  processesOfJob,
  sklearnTrainerJob,
  stageSklearnTrainer,
  stopEmulator,
  useEmulator,
} from './helpers.ts';

let emu: RunningEmulator;
let packageUri: string;

/** The example trainer reports accuracy through hypertune when the emulator's runtime provides it. */
function trialJob(extraArgs: string[] = []) {
  return sklearnTrainerJob(packageUri, extraArgs, 'iris-trial');
}

describe('hyperparameter tuning on the emulator', () => {
  beforeAll(async () => {
    emu = await useEmulator();
    packageUri = await stageSklearnTrainer();
  });
  afterAll(() => stopEmulator(emu));

  it('grid search enumerates the space exactly, with trials in parallel, and finds the best trial', async () => {
    const events: ProgressEvent[] = [];
    const study = new HyperparameterTuningJob({
      displayName: 'grid',
      customJob: trialJob(),
      metricSpec: { accuracy: 'maximize' },
      parameterSpec: {
        C: discreteParameter([0.001, 0.01, 1], 'log'),
        'max-iter': discreteParameter([50, 200]),
      },
      maxTrialCount: 20,
      parallelTrialCount: 2,
      searchAlgorithm: 'grid',
    });
    await study.run({ onProgress: (e) => events.push(e) });
    expect(study.state).toBe('JOB_STATE_SUCCEEDED');
    const trials = study.trials();
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => JSON.stringify(t.parameters))).size).toBe(6);
    expect(trials.every((t) => t.state === 'SUCCEEDED' && t.finalMeasurement!.metrics.accuracy! > 0)).toBe(
      true,
    );
    const best = study.bestTrial()!;
    expect(best.finalMeasurement!.metrics.accuracy).toBe(
      Math.max(...trials.map((t) => t.finalMeasurement!.metrics.accuracy!)),
    );
    expect(trialArgs(best)).toEqual([
      `--C=${best.parameters.C}`,
      `--max-iter=${best.parameters['max-iter']}`,
    ]);
    expect(events.filter((e) => e.type === 'notice' && e.message.startsWith('trial '))).toHaveLength(6);
    const overlapping = trials.some((a) =>
      trials.some((b) => a !== b && a.startTime! < b.endTime! && b.startTime! < a.endTime!),
    );
    expect(overlapping).toBe(true);
  });

  it('fails the trials whose parameters make the trainer fail and stops at maxFailedTrialCount', async () => {
    const study = new HyperparameterTuningJob({
      displayName: 'failing',
      customJob: trialJob(),
      metricSpec: { accuracy: 'maximize' },
      parameterSpec: { C: discreteParameter([-2, -1, 1]) },
      maxTrialCount: 3,
      parallelTrialCount: 1,
      maxFailedTrialCount: 1,
      searchAlgorithm: 'grid',
    });
    await expect(study.run()).rejects.toThrow(JobFailedError);
    expect(study.error?.message).toMatch(/2 trials failed, more than max_failed_trial_count \(1\)/);
    const trials = study.trials();
    expect(trials.map((t) => t.state)).toEqual(['INFEASIBLE', 'INFEASIBLE']);
    expect(trials[0]!.infeasibleReason).toMatch(/non-zero status of 2/);
  });

  it('random search samples inside the ranges; cancelling stops the running trial processes', async () => {
    const study = new HyperparameterTuningJob({
      displayName: 'cancel-me',
      customJob: trialJob(['--sleep', '120']),
      metricSpec: { accuracy: 'maximize' },
      parameterSpec: { C: doubleParameter(0.01, 10, 'log') },
      maxTrialCount: 4,
      parallelTrialCount: 2,
      searchAlgorithm: 'random',
    });
    await study.run({ sync: false });
    await eventually(
      async () => (await study.refresh()).trials().filter((t) => t.state === 'ACTIVE').length === 2,
      60_000,
    );
    const jobs = study.trials().map((t) => t.customJob!.split('/').pop()!);
    await eventually(() => jobs.every((id) => processesOfJob(id).length > 0), 60_000);
    for (const t of study.trials()) expect(Number(t.parameters.C)).toBeGreaterThanOrEqual(0.01);
    await study.cancel();
    await study.wait({ throwOnFailure: false });
    expect(study.state).toBe('JOB_STATE_CANCELLED');
    for (const id of jobs) expect(processesOfJob(id)).toEqual([]);
    const again = await HyperparameterTuningJob.get(study.resourceName);
    expect(again.trials()).toHaveLength(2);
  });
});
