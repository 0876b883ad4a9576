import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomJob,
  categoricalParameter,
  discreteParameter,
  doubleParameter,
  HyperparameterTuningJob,
  integerParameter,
  JobFailedError,
  jobServiceClient,
  type ProgressEvent,
  resolveConfig,
  trialArgs,
} from '../src/index.ts';
import {
  eventually,
  processesOfJob,
  recordedRequests,
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

  it('the default Bayesian search runs parallel trials; the median rule stops a lagging trial early', async () => {
    const study = new HyperparameterTuningJob({
      displayName: 'median',
      customJob: trialJob(['--epochs', '8', '--epoch-seconds', '0.4']),
      metricSpec: { accuracy: 'maximize' },
      // Grid order puts the hopeless C last, so that three trials have completed when it runs.
      parameterSpec: { C: categoricalParameter(['1', '10', '100', '0.0001']) },
      maxTrialCount: 4,
      parallelTrialCount: 1,
      searchAlgorithm: 'grid',
      measurementSelection: 'last',
      earlyStopping: 'median',
    });
    await study.run();
    expect(study.state).toBe('JOB_STATE_SUCCEEDED');
    const trials = study.trials();
    expect(trials.map((t) => t.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    for (const t of trials.slice(0, 3))
      expect(t.measurements.map((m) => m.stepCount)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const stopped = trials[3]!;
    expect(stopped.measurements.length).toBeGreaterThanOrEqual(2);
    expect(stopped.measurements.length).toBeLessThan(8);
    expect(stopped.finalMeasurement!.metrics.accuracy).toBeLessThan(0.5);
    expect(stopped.measurements[0]!.elapsedSeconds).toBeGreaterThan(0);
    const job = await CustomJob.get(stopped.customJob!);
    expect(job.state).toBe('JOB_STATE_CANCELLED');
    expect(study.bestTrial()!.parameters.C).not.toBe('0.0001');

    const bayes = new HyperparameterTuningJob({
      displayName: 'bayes',
      customJob: trialJob(),
      metricSpec: { accuracy: 'maximize' },
      parameterSpec: { C: doubleParameter(1e-4, 100, 'log'), 'max-iter': integerParameter(20, 200) },
      maxTrialCount: 4,
      parallelTrialCount: 2,
    });
    await bayes.run();
    const [request] = (await recordedRequests(emu, 'CreateHyperparameterTuningJob')).slice(-1) as {
      request: { hyperparameterTuningJob: { studySpec: Record<string, unknown> } };
    }[];
    expect(request!.request.hyperparameterTuningJob.studySpec).not.toHaveProperty('algorithm');
    expect(bayes.trials().filter((t) => t.state === 'SUCCEEDED')).toHaveLength(4);
    expect(bayes.bestTrial()!.finalMeasurement!.metrics.accuracy).toBeGreaterThan(0.8);
  }, 300_000);

  it('the emulator rejects bad specs from any client with the field and the problem', async () => {
    const config = await resolveConfig();
    const client = await jobServiceClient(config);
    const spec = (await trialJob().buildRequest()).customJob.jobSpec;
    const create = (studySpec: Record<string, unknown>) =>
      client.createHyperparameterTuningJob({
        parent: `projects/${config.project}/locations/${config.location}`,
        hyperparameterTuningJob: {
          displayName: 'raw',
          maxTrialCount: 2,
          parallelTrialCount: 1,
          trialJobSpec: spec,
          studySpec,
        } as never,
      });
    const metrics = [{ metricId: 'accuracy', goal: 'MAXIMIZE' }];
    await expect(
      create({ metrics, parameters: [{ parameterId: 'C', doubleValueSpec: { minValue: 2, maxValue: 1 } }] }),
    ).rejects.toThrow(/INVALID_ARGUMENT[\s\S]*study_spec\.parameters\[0\]\.doubleValueSpec/);
    await expect(
      create({
        metrics,
        parameters: [
          { parameterId: 'C', doubleValueSpec: { minValue: 1, maxValue: 2 } },
          { parameterId: 'C', doubleValueSpec: { minValue: 1, maxValue: 2 } },
        ],
      }),
    ).rejects.toThrow(/INVALID_ARGUMENT[\s\S]*parameters\[1\]\.parameterId[\s\S]*duplicate/i);
    await expect(
      create({
        metrics,
        parameters: [{ parameterId: 'C', doubleValueSpec: { minValue: 1, maxValue: 2 } }],
        algorithm: 'GRID_SEARCH',
      }),
    ).rejects.toThrow(/GRID_SEARCH needs INTEGER, CATEGORICAL or DISCRETE/);
    await expect(
      create({
        metrics,
        parameters: [{ parameterId: 'C', doubleValueSpec: { minValue: 1, maxValue: 2 } }],
        convexAutomatedStoppingSpec: { maxStepCount: '10' },
      }),
    ).rejects.toThrow(/convex_automated_stopping_spec[\s\S]*median_automated_stopping_spec/);
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
