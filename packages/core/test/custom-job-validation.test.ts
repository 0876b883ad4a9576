import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  ConfigurationError,
  CustomJob,
  type CustomJobOptions,
  CustomPythonPackageTrainingJob,
  discreteParameter,
  HyperparameterTuningJob,
  jobServiceClient,
  resolveConfig,
  ValidationError,
} from '../src/index.ts';
import { fieldOf } from './field-of.ts';
import { stopEmulator, useEmulator } from './helpers.ts';

const pkg = {
  executorImageUri: 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest',
  packageUris: ['gs://b/p.tar.gz'],
  pythonModule: 'trainer.task',
};
const valid: CustomJobOptions = { displayName: 'ok', workerPoolSpecs: [{ pythonPackageSpec: pkg }] };

describe('CustomJob input validation (before anything is sent)', () => {
  it.each([
    ['displayName', { ...valid, displayName: 'x'.repeat(129) }],
    ['labels.Bad', { ...valid, labels: { Bad: 'x' } }],
    ['workerPoolSpecs', { ...valid, workerPoolSpecs: [] }],
    ['workerPoolSpecs[0]', { ...valid, workerPoolSpecs: [{ machineSpec: {} }] }],
    [
      'workerPoolSpecs[0].replicaCount',
      { ...valid, workerPoolSpecs: [{ pythonPackageSpec: pkg, replicaCount: 2 }] },
    ],
    [
      'workerPoolSpecs[0].machineSpec.acceleratorType',
      {
        ...valid,
        workerPoolSpecs: [
          {
            pythonPackageSpec: pkg,
            machineSpec: { acceleratorType: 'NVIDIA_NOPE' as never, acceleratorCount: 1 },
          },
        ],
      },
    ],
    [
      'workerPoolSpecs[0].pythonPackageSpec.packageUris[0]',
      { ...valid, workerPoolSpecs: [{ pythonPackageSpec: { ...pkg, packageUris: ['/tmp/p.tar.gz'] } }] },
    ],
    [
      'workerPoolSpecs[0].pythonPackageSpec.pythonModule',
      { ...valid, workerPoolSpecs: [{ pythonPackageSpec: { ...pkg, pythonModule: '' } }] },
    ],
    [
      'workerPoolSpecs[0].containerSpec.imageUri',
      { ...valid, workerPoolSpecs: [{ containerSpec: { imageUri: '' } }] },
    ],
    ['baseOutputDir', { ...valid, baseOutputDir: '/local/dir' }],
  ] as [string, CustomJobOptions][])('names %s', (field, options) => {
    expect(fieldOf(() => new CustomJob(options))).toBe(field);
  });

  it('sends an accelerator only with a count, and applies the machine and disk defaults', async () => {
    const offline = {
      project: 'my-lab-project',
      stagingBucket: 'gs://my-lab-staging',
      emulator: false as const,
    };
    const job = new CustomJob({
      ...valid,
      ...offline,
      workerPoolSpecs: [{ pythonPackageSpec: pkg, machineSpec: { acceleratorType: 'NVIDIA_TESLA_T4' } }],
    });
    const { customJob, parent } = await job.buildRequest({ timeout: 60 });
    expect(parent).toBe('projects/my-lab-project/locations/us-central1');
    const spec = customJob.jobSpec as {
      workerPoolSpecs: Record<string, unknown>[];
      baseOutputDirectory: { outputUriPrefix: string };
      scheduling: unknown;
    };
    expect(spec.workerPoolSpecs[0]).toMatchObject({
      machineSpec: { machineType: 'n1-standard-4' },
      replicaCount: '1',
      diskSpec: { bootDiskType: 'pd-ssd', bootDiskSizeGb: 100 },
    });
    expect(spec.workerPoolSpecs[0]!.machineSpec).not.toHaveProperty('acceleratorType');
    expect(spec.baseOutputDirectory.outputUriPrefix).toMatch(
      /^gs:\/\/my-lab-staging\/aiplatform-custom-job-\d{4}-\d\d-\d\d-\d\d:\d\d:\d\d\.\d{3}$/,
    );
    expect(spec.scheduling).toEqual({ timeout: { seconds: '60' } });
  });

  it('rejects a bad region, project, resource id and missing staging bucket', async () => {
    await expect(
      CustomJob.list({ location: 'us-moon1', project: 'my-lab-project', emulator: false }),
    ).rejects.toThrow(/location: unsupported region/);
    await expect(
      CustomJob.get('projects/p/locations/l/models/1', { project: 'my-lab-project' }),
    ).rejects.toThrow(ValidationError);
    await expect(CustomJob.get('bad id!', { project: 'my-lab-project', emulator: false })).rejects.toThrow(
      /not a valid resource id/,
    );
    const job = new CustomJob({ ...valid, project: 'my-lab-project', emulator: false });
    await expect(job.buildRequest()).rejects.toThrow(ConfigurationError);
    await expect(job.buildRequest()).rejects.toThrow(/staging_bucket should be passed to CustomJob/);
    await expect(resolveConfig({ project: 'Not A Project', emulator: false })).rejects.toThrow(
      /project: "Not A Project" is not a valid/,
    );
  });
});

describe('tensorboard linking (Vertex needs a service account with a tensorboard)', () => {
  const offline = {
    project: 'my-lab-project',
    stagingBucket: 'gs://my-lab-staging',
    emulator: false as const,
  };
  const SA = 'trainer@my-lab-project.iam.gserviceaccount.com';
  const TB = 'projects/my-lab-project/locations/us-central1/tensorboards/42';

  async function fieldOfRejection(p: Promise<unknown>): Promise<string> {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).field;
  }

  it('CustomJob: sends the full name with the service account, refuses it without one', async () => {
    const job = new CustomJob({ ...valid, ...offline });
    const { customJob } = await job.buildRequest({ tensorboard: '42', serviceAccount: SA });
    expect(customJob.jobSpec).toMatchObject({ tensorboard: TB, serviceAccount: SA });
    expect(await fieldOfRejection(job.buildRequest({ tensorboard: TB }))).toBe('serviceAccount');
    await expect(job.buildRequest({ tensorboard: TB })).rejects.toThrow(/pass serviceAccount to run\(\)/i);
    expect(
      await fieldOfRejection(
        job.buildRequest({
          tensorboard: 'projects/p/locations/europe-west4/tensorboards/1',
          serviceAccount: SA,
        }),
      ),
    ).toBe('tensorboard');
  });

  it('HyperparameterTuningJob: the check applies to trialJobSpec', async () => {
    const hpt = new HyperparameterTuningJob({
      ...offline,
      displayName: 'hpt',
      customJob: new CustomJob({ ...valid, ...offline }),
      metricSpec: { accuracy: 'maximize' },
      parameterSpec: { C: discreteParameter([1, 2]) },
      maxTrialCount: 2,
      parallelTrialCount: 1,
    });
    const { hyperparameterTuningJob } = await hpt.buildRequest({ tensorboard: '42', serviceAccount: SA });
    expect(hyperparameterTuningJob.trialJobSpec).toMatchObject({ tensorboard: TB, serviceAccount: SA });
    expect(await fieldOfRejection(hpt.buildRequest({ tensorboard: '42' }))).toBe('serviceAccount');
  });

  it('training pipelines: the tensorboard key in trainingTaskInputs, refused without a service account', async () => {
    const training = new CustomPythonPackageTrainingJob({
      ...offline,
      displayName: 'train',
      pythonPackageGcsUri: 'gs://b/p.tar.gz',
      pythonModuleName: 'trainer.task',
      containerUri: pkg.executorImageUri,
    });
    const { trainingPipeline } = await training.buildRequest({ tensorboard: '42', serviceAccount: SA });
    const fields = (
      trainingPipeline.trainingTaskInputs as {
        structValue: { fields: Record<string, { stringValue?: string }> };
      }
    ).structValue.fields;
    expect(fields.tensorboard?.stringValue).toBe(TB);
    expect(fields.service_account?.stringValue).toBe(SA);
    expect(await fieldOfRejection(training.buildRequest({ tensorboard: '42' }))).toBe('serviceAccount');
  });
});

describe('the emulator validates requests like Vertex', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator();
  });
  afterAll(() => stopEmulator(emu));

  it('answers INVALID_ARGUMENT naming every missing required field', async () => {
    const client = await jobServiceClient(await resolveConfig());
    const err = (await client
      .createCustomJob({
        parent: 'projects/demo-terra-vertex/locations/us-central1',
        customJob: { jobSpec: { workerPoolSpecs: [{ pythonPackageSpec: { pythonModule: 'x' } }] } },
      })
      .catch((e: unknown) => e)) as { code: number; details: string };
    expect(err.code).toBe(3);
    expect(err.details).toContain('custom_job.display_name; Message: Required field is not set.');
    expect(err.details).toContain(
      'custom_job.job_spec.worker_pool_specs[0].python_package_spec.executor_image_uri',
    );
    expect(err.details).toContain('custom_job.job_spec.worker_pool_specs[0].machine_spec.machine_type');
  });

  it('answers NOT_FOUND for unknown jobs, surfaced as an ApiError with a hint', async () => {
    const err = await CustomJob.get('123').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(5);
    expect((err as ApiError).message).toMatch(
      /NOT_FOUND: The CustomJob does not exist: projects\/demo-terra-vertex\/locations\/us-central1\/customJobs\/123/,
    );
  });

  it('fails a job whose container image has no local equivalent, saying how to map it', async () => {
    const job = new CustomJob({
      displayName: 'unknown-image',
      workerPoolSpecs: [{ containerSpec: { imageUri: 'gcr.io/my-lab/trainer:1' } }],
    });
    await expect(job.run()).rejects.toThrow(
      /cannot run container image gcr\.io\/my-lab\/trainer:1.*--image-map/s,
    );
  });
});
