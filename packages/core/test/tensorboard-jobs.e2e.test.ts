import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { findEventFiles, readEventFile } from '@terra-vertex/tfevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomJob,
  CustomPythonPackageTrainingJob,
  discreteParameter,
  HyperparameterTuningJob,
  JobFailedError,
  type ScalarSeries,
  Tensorboard,
  tensorboardExperimentForJob,
  watchScalars,
} from '../src/index.ts';
import { SKLEARN_IMAGE, stopEmulator, useEmulator } from './helpers.ts';
import { expectedSeries, expectSameSeries, generatedTrainer, SA } from './tensorboard-fixture.ts';

describe('jobs linked to a TensorBoard on the emulator', () => {
  let emu: RunningEmulator;
  let tb: Tensorboard;
  beforeAll(async () => {
    emu = await useEmulator();
    tb = await Tensorboard.create({ displayName: 'lab tensorboard', labels: { team: 'genomics' } });
  });
  afterAll(() => stopEmulator(emu));

  it('a CustomJob run with a tensorboard streams its trainer’s scalars, readable through the job', async () => {
    const { packageUri, dataUri } = await generatedTrainer();
    const job = new CustomJob({
      displayName: 'tb-job',
      workerPoolSpecs: [
        {
          pythonPackageSpec: {
            executorImageUri: SKLEARN_IMAGE,
            packageUris: [packageUri],
            pythonModule: 'trainer.task',
            args: ['--data', dataUri],
          },
        },
      ],
    });
    await expect(job.run({ tensorboard: tb.id })).rejects.toThrow(
      /serviceAccount: is required with tensorboard/,
    );
    await job.run({ tensorboard: tb.id, serviceAccount: SA, sync: false });
    const updates: ScalarSeries[][] = [];
    const watch = watchScalars(job, { intervalMs: 200, onUpdate: (s) => updates.push(s) });
    await job.wait();
    const watched = await watch.done;

    const experiment = await tensorboardExperimentForJob(job);
    expect(experiment.resourceName).toBe(`${tb.resourceName}/experiments/${job.id}`);
    const series = await experiment.readScalars();
    expect(series.map((s) => s.tag)).toEqual(expect.arrayContaining(['eval/accuracy', 'eval/loss']));
    expectSameSeries(watched, series);
    expect(updates.length).toBeGreaterThan(0);

    // What the service holds equals what the trainer wrote to AIP_TENSORBOARD_LOG_DIR.
    const base = (job.gcaResource!.jobSpec!.baseOutputDirectory!.outputUriPrefix as string).replace(
      /^gs:\/\//,
      '',
    );
    const logDir = join(emu.dataDir, 'gcs', base, 'logs');
    const expected: ScalarSeries[] = [];
    for (const f of await findEventFiles(logDir)) {
      expected.push(
        ...expectedSeries(f.run === '' ? 'default' : f.run, (await readEventFile(f.path)).scalars),
      );
    }
    expect(expected.length).toBeGreaterThan(0);
    expectSameSeries(series, expected);

    // The same experiment through the job's resource name, e.g. after a notebook restart.
    expect((await tensorboardExperimentForJob(job.resourceName)).resourceName).toBe(experiment.resourceName);
  });
  it('watchScalars reports a job that failed before writing scalars by its own error', async () => {
    const { packageUri } = await generatedTrainer();
    const job = new CustomJob({
      displayName: 'tb-failing-job',
      workerPoolSpecs: [
        {
          pythonPackageSpec: {
            executorImageUri: SKLEARN_IMAGE,
            packageUris: [packageUri],
            pythonModule: 'trainer.task',
            args: ['--data', 'gs://no-such-bucket/none.csv'],
          },
        },
      ],
    });
    await job.run({ tensorboard: tb.id, serviceAccount: SA, sync: false });
    const watch = watchScalars(job, { intervalMs: 200 });
    const failure = await watch.done.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(JobFailedError);
    expect((failure as JobFailedError).state).toBe('JOB_STATE_FAILED');
    expect((failure as Error).message).toContain('exited with a non-zero status');
  });

  it('a training pipeline leads to the experiment of its backing custom job', async () => {
    const { packageUri, dataUri } = await generatedTrainer();
    const training = new CustomPythonPackageTrainingJob({
      displayName: 'tb-pipeline',
      pythonPackageGcsUri: packageUri,
      pythonModuleName: 'trainer.task',
      containerUri: SKLEARN_IMAGE,
    });
    await training.run({ args: ['--data', dataUri], tensorboard: tb.resourceName, serviceAccount: SA });
    const fromPipeline = await tensorboardExperimentForJob(training);
    expect(fromPipeline.id).toBe(training.backingCustomJob!.split('/').pop());
    expect((await fromPipeline.readScalars()).map((s) => s.tag)).toContain('eval/accuracy');
  });

  it('a tuning job leads to one experiment named after it, with a run per trial', async () => {
    const { packageUri, dataUri } = await generatedTrainer();

    const study = new HyperparameterTuningJob({
      displayName: 'tb-study',
      customJob: new CustomJob({
        displayName: 'tb-trial',
        workerPoolSpecs: [
          {
            pythonPackageSpec: {
              executorImageUri: SKLEARN_IMAGE,
              packageUris: [packageUri],
              pythonModule: 'trainer.task',
              args: ['--data', dataUri],
            },
          },
        ],
      }),
      metricSpec: { accuracy: 'maximize' },
      parameterSpec: { eval_fraction: discreteParameter([0.2, 0.3]) },
      maxTrialCount: 2,
      parallelTrialCount: 2,
      searchAlgorithm: 'grid',
    });
    await study.run({ tensorboard: tb.id, serviceAccount: SA });
    const fromStudy = await tensorboardExperimentForJob(study.resourceName);
    expect(fromStudy.id).toBe(study.resourceName.split('/').pop());
    const series = await fromStudy.readScalars();
    expect([...new Set(series.map((s) => s.run))].sort()).toEqual(
      study
        .trials()
        .map((t) => t.id)
        .sort(),
    );
    expect(series.filter((s) => s.tag === 'eval/accuracy')).toHaveLength(2);
  });
});
