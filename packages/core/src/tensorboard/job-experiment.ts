import { resolveConfig } from '../config.ts';
import { ApiError, StatusCode, ValidationError } from '../errors.ts';
import { CustomJob } from '../jobs/custom-job.ts';
import { parseResourceName } from '../resource-names.ts';
import { getTrainingJob } from '../training/attach.ts';
import type { TrainingJob } from '../training/training-job.ts';
import { HyperparameterTuningJob } from '../tuning/hyperparameter-tuning-job.ts';
import type { Where } from './names.ts';
import { TensorboardExperiment } from './tensorboard-experiment.ts';

/** A job that may have been run with a tensorboard, or its resource name. */
export type JobWithTensorboard = CustomJob | TrainingJob | HyperparameterTuningJob | string;

/** The job's name, its tensorboard (if it was run with one) and the experiment id Vertex gives it. */
async function linkOf(
  job: JobWithTensorboard,
  where: Where,
): Promise<{ jobName: string; tensorboard?: string; experimentId: string }> {
  if (typeof job === 'string') {
    const { collection } = parseResourceName(job, undefined, 'job');
    if (collection === 'customJobs') return linkOf(await CustomJob.get(job, where), where);
    if (collection === 'trainingPipelines') return linkOf(await getTrainingJob(job, where), where);
    if (collection === 'hyperparameterTuningJobs')
      return linkOf(await HyperparameterTuningJob.get(job, where), where);
    throw new ValidationError(
      'job',
      `${job} is not a custom job, training pipeline or tuning job`,
      'Pass the job object or its full resource name.',
    );
  }
  if (job instanceof CustomJob) {
    if (!job.gcaResource?.jobSpec) await job.refresh();
    return {
      jobName: job.resourceName,
      tensorboard: job.gcaResource?.jobSpec?.tensorboard ?? undefined,
      experimentId: job.id,
    };
  }
  if (job instanceof HyperparameterTuningJob) {
    if (!job.gcaResource?.trialJobSpec) await job.refresh();
    const tensorboard = job.gcaResource?.trialJobSpec?.tensorboard ?? undefined;
    return { jobName: job.resourceName, tensorboard, experimentId: job.resourceName.split('/').pop() ?? '' };
  }
  if (!job.backingCustomJob) await job.refresh();
  if (!job.backingCustomJob) {
    throw new ValidationError(
      'job',
      `training pipeline ${job.resourceName} has not started its custom job yet (state ${job.state})`,
      'Try again once it runs (the experiment is named after that custom job).',
    );
  }
  return linkOf(await CustomJob.get(job.backingCustomJob, where), where);
}

/**
 * The TensorBoard experiment a job run with `tensorboard` streams its scalars to. Vertex names it after
 * the job: `<tensorboard>/experiments/<job id>` (the Python SDK's `console_utils`); for a training pipeline
 * that is its backing custom job. It exists once the job has started writing to `AIP_TENSORBOARD_LOG_DIR`.
 *
 * @example
 * await job.run({ tensorboard: tb.resourceName, serviceAccount, sync: false });
 * const experiment = await tensorboardExperimentForJob(job);
 * showScalars(await experiment.readScalars());
 */
export async function tensorboardExperimentForJob(
  job: JobWithTensorboard,
  options: Where = {},
): Promise<TensorboardExperiment> {
  const { jobName, tensorboard, experimentId } = await linkOf(job, options);
  if (!tensorboard) {
    throw new ValidationError(
      'tensorboard',
      `job ${jobName} was run without a tensorboard, so it has no TensorBoard experiment`,
      'Run it with run({ tensorboard, serviceAccount }) to have its TensorBoard logs uploaded.',
    );
  }
  const { project, location } = parseResourceName(jobName, undefined, 'job');
  const config = await resolveConfig({ ...options, project, location });
  try {
    return await TensorboardExperiment.get(`${tensorboard}/experiments/${experimentId}`, {
      project: config.project,
      location: config.location,
      emulator: config.emulator ?? false,
    });
  } catch (err) {
    if (err instanceof ApiError && err.code === StatusCode.NOT_FOUND) {
      throw new ApiError(
        err.code,
        err.serverMessage,
        `Finding the TensorBoard experiment of ${jobName} (it appears once the job writes event files to AIP_TENSORBOARD_LOG_DIR)`,
      );
    }
    throw err;
  }
}

/** The Vertex AI TensorBoard web page of an experiment (the Python SDK's `custom_job_tensorboard_console_uri`). */
export function tensorboardConsoleUri(experimentName: string): string {
  const location = /\/locations\/([^/]+)\//.exec(experimentName)?.[1] ?? 'us-central1';
  return `https://${location}.tensorboard.googleusercontent.com/experiment/${experimentName.replaceAll('/', '+')}`;
}
