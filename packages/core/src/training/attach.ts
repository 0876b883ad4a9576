import type { InitOptions, ResolvedConfig } from '../config.ts';
import { resolveConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { fullResourceName, parseResourceName } from '../resource-names.ts';
import type { PoolTask } from './task-inputs.ts';
import { TrainingJob } from './training-job.ts';

/** A pipeline found again by name: it can be waited on, cancelled and asked for its model, not run again. */
class AttachedTrainingJob extends TrainingJob {
  protected task(): Promise<PoolTask> {
    throw new ValidationError(
      'run',
      'this training job was loaded from the server',
      'Create a new job object to train again.',
    );
  }

  static async load(name: string, config: ResolvedConfig): Promise<AttachedTrainingJob> {
    const job = new AttachedTrainingJob({ displayName: 'attached' });
    return job.attach(name, config);
  }
}

/**
 * Finds an existing training pipeline by resource name or id — e.g. after a notebook kernel restart — so that
 * `wait()`, `cancel()`, `model()` and `backingCustomJob` work on it again.
 */
export async function getTrainingJob(
  nameOrId: string,
  options: Pick<InitOptions, 'project' | 'location' | 'emulator'> = {},
): Promise<TrainingJob> {
  let where = options;
  if (nameOrId.startsWith('projects/')) {
    const { project, location } = parseResourceName(nameOrId, 'trainingPipelines', 'trainingPipeline');
    where = { ...options, project: options.project ?? project, location: options.location ?? location };
  }
  const config = await resolveConfig(where);
  return AttachedTrainingJob.load(
    fullResourceName(nameOrId, 'trainingPipelines', config.project, config.location, 'trainingPipeline'),
    config,
  );
}
