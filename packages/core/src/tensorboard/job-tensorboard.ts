import { ValidationError } from '../errors.ts';
import { parseTensorboardPath, tensorboardResourceName } from './names.ts';

/**
 * The full tensorboard name a job request carries, checked the way Vertex checks it before anything is
 * sent: an id or a full name in the job's own location, and a service account, which Vertex requires
 * with a tensorboard (the job uploads its logs as that account). Undefined when no tensorboard is asked.
 *
 * @example
 * jobTensorboard('123', 'trainer@p.iam.gserviceaccount.com', { project: 'p', location: 'us-central1' })
 * // → 'projects/p/locations/us-central1/tensorboards/123'
 */
export function jobTensorboard(
  tensorboard: string | undefined,
  serviceAccount: string | undefined,
  config: { project: string; location: string },
): string | undefined {
  if (!tensorboard) return undefined;
  const name = tensorboardResourceName(tensorboard, 1, {}, config.project, config.location, 'tensorboard');
  const { location } = parseTensorboardPath(name, 1, 'tensorboard');
  if (location !== config.location) {
    throw new ValidationError(
      'tensorboard',
      `${name} is in ${location} but the job runs in ${config.location}; Vertex AI needs both in one location`,
      `Use a tensorboard in ${config.location} (Tensorboard.create({ location: '${config.location}' })), or run the job in ${location} (init({ location: '${location}' })).`,
    );
  }
  if (!serviceAccount) {
    throw new ValidationError(
      'serviceAccount',
      'is required with tensorboard: Vertex AI uploads the TensorBoard logs as the job’s service account',
      "Pass serviceAccount to run() (run({ tensorboard, serviceAccount: 'trainer@my-project.iam.gserviceaccount.com' })) or once to init({ serviceAccount }); the account needs the Vertex AI User and Storage Object Admin roles.",
    );
  }
  return name;
}
