import { type ResolvedConfig, requireStagingBucket } from '../config.ts';
import { locationPath } from '../resource-names.ts';
import { jobTensorboard } from '../tensorboard/job-tensorboard.ts';
import type { CustomJobOptions, CustomJobRunOptions } from './custom-job.ts';
import { buildScheduling } from './scheduling.ts';
import { buildWorkerPoolSpecs } from './worker-pool.ts';

/** `CreateCustomJobRequest` in the client's JSON form. */
export interface CustomJobRequest {
  parent: string;
  customJob: Record<string, unknown>;
}

/**
 * Builds the `CreateCustomJob` request the way the Python SDK's `CustomJob.run()` does: defaults for the
 * output directory and display name, `serviceAccount`/`network` falling back to `init()`, scheduling only
 * when asked, the init CMEK key.
 */
export function buildCustomJobRequest(
  o: CustomJobOptions,
  run: CustomJobRunOptions,
  config: ResolvedConfig,
): CustomJobRequest {
  const staging = requireStagingBucket(config, 'CustomJob');
  const jobSpec: Record<string, unknown> = {
    workerPoolSpecs: buildWorkerPoolSpecs(o.workerPoolSpecs),
    baseOutputDirectory: {
      outputUriPrefix: o.baseOutputDir ?? `${staging}/aiplatform-custom-job-${localTimestamp()}`,
    },
  };
  const scheduling = buildScheduling(run);
  if (scheduling) jobSpec.scheduling = scheduling;
  const serviceAccount = run.serviceAccount ?? config.serviceAccount;
  if (serviceAccount) jobSpec.serviceAccount = serviceAccount;
  const network = run.network ?? config.network;
  if (network) jobSpec.network = network;
  if (run.enableWebAccess) jobSpec.enableWebAccess = true;
  const tensorboard = jobTensorboard(run.tensorboard, serviceAccount, config);
  if (tensorboard) jobSpec.tensorboard = tensorboard;
  if (o.persistentResourceId) jobSpec.persistentResourceId = o.persistentResourceId;
  const customJob: Record<string, unknown> = {
    displayName: o.displayName ?? `CustomJob ${localTimestamp(' ')}`,
    jobSpec,
  };
  if (o.labels && Object.keys(o.labels).length) customJob.labels = o.labels;
  const kms = o.encryptionSpecKeyName ?? config.encryptionSpecKeyName;
  if (kms) customJob.encryptionSpec = { kmsKeyName: kms };
  return { parent: locationPath(config.project, config.location), customJob };
}

/** Local time in the Python SDK's `isoformat(sep, timespec='milliseconds')` form. */
export function localTimestamp(sep = '-', now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}${sep}` +
    `${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}.${p(now.getMilliseconds(), 3)}`
  );
}
