import type { CustomJobRunner } from '../runtime/custom-job-runner.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { newId } from './ids.ts';
import { matchesFilter, paginate } from './list-filter.ts';
import type { OperationStore } from './operations.ts';
import type { Json } from './protos.ts';
import { failedPrecondition, invalidArgument, notFound } from './rpc-error.ts';

const PARENT = /^projects\/[^/]+\/locations\/[^/]+$/;
const TENSORBOARD_NAME = /^projects\/[^/]+\/locations\/[^/]+\/tensorboards\/[^/]+$/;
const TERMINAL = new Set([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
]);

/** Checks the documented constraints of a CustomJob beyond REQUIRED fields; returns Vertex-style field errors. */
export function customJobErrors(job: Json, prefix = 'custom_job'): [string, string][] {
  const errors: [string, string][] = [];
  const name = job.displayName as string;
  if (name && name.length > 128)
    errors.push([`${prefix}.display_name`, 'Display name must be at most 128 characters.']);
  const spec = (job.jobSpec as Json | undefined) ?? {};
  const pools = (spec.workerPoolSpecs as Json[] | undefined) ?? [];
  if (pools.length > 4)
    errors.push([`${prefix}.job_spec.worker_pool_specs`, 'At most 4 worker pools are allowed.']);
  pools.forEach((pool, i) => {
    const at = `${prefix}.job_spec.worker_pool_specs[${i}]`;
    if (Object.keys(pool).length === 0 && i > 0) return;
    if (!pool.pythonPackageSpec && !pool.containerSpec)
      errors.push([at, 'One of container_spec or python_package_spec must be set.']);
    if (!(pool.machineSpec as Json | undefined)?.machineType)
      errors.push([`${at}.machine_spec.machine_type`, 'Required field is not set.']);
    const count = Number(pool.replicaCount ?? 0);
    if (count < 1) errors.push([`${at}.replica_count`, 'Replica count must be at least 1.']);
    if (i === 0 && count > 1)
      errors.push([`${at}.replica_count`, 'The primary worker pool (index 0) must have exactly 1 replica.']);
    const machine = pool.machineSpec as Json | undefined;
    if (machine?.acceleratorType && !machine.acceleratorCount) {
      errors.push([
        `${at}.machine_spec.accelerator_count`,
        'accelerator_count must be positive when accelerator_type is set.',
      ]);
    }
    for (const [k, spec] of [
      ['python_package_spec', pool.pythonPackageSpec],
      ['container_spec', pool.containerSpec],
    ] as const) {
      ((spec as Json | undefined)?.packageUris as string[] | undefined)?.forEach((u, j) => {
        if (!u.startsWith('gs://'))
          errors.push([`${at}.${k}.package_uris[${j}]`, `${u} is not a Cloud Storage URI (gs://…).`]);
      });
    }
  });
  const base = (spec.baseOutputDirectory as Json | undefined)?.outputUriPrefix as string | undefined;
  if (base && !base.startsWith('gs://'))
    errors.push([`${prefix}.job_spec.base_output_directory.output_uri_prefix`, 'Must be a gs:// URI.']);
  const tensorboard = spec.tensorboard as string | undefined;
  if (tensorboard) {
    // Vertex's own words (CreateCustomJob): "custom_job.job_spec.service_account must be specified when uploading to TensorBoard".
    if (!spec.serviceAccount)
      errors.push([
        `${prefix}.job_spec.service_account`,
        'service_account must be specified when uploading to TensorBoard.',
      ]);
    if (!TENSORBOARD_NAME.test(tensorboard))
      errors.push([
        `${prefix}.job_spec.tensorboard`,
        `${JSON.stringify(tensorboard)} is not a Tensorboard resource name: expected projects/{project}/locations/{location}/tensorboards/{tensorboard}.`,
      ]);
  }
  return errors;
}

/** Stores a validated CustomJob as QUEUED and starts it; returns the job as created. */
export function createCustomJob(
  jobs: ResourceStore,
  runner: CustomJobRunner,
  parent: string,
  job: Json,
): Json {
  if (!PARENT.test(parent))
    throw invalidArgument(
      `Invalid parent ${JSON.stringify(parent)}: expected projects/{project}/locations/{location}.`,
    );
  const created = storeQueued(jobs, `${parent}/customJobs`, job, [
    'startTime',
    'endTime',
    'error',
    'webAccessUris',
  ]);
  runner.start(created.name as string);
  return created;
}

/**
 * Stores a new job-like resource as QUEUED under `collection` with a fresh id, dropping the output-only
 * fields a client may have sent; returns a copy (the stored one changes as the job runs).
 */
export function storeQueued(
  store: ResourceStore,
  collection: string,
  spec: Json,
  outputOnly: string[],
): Json {
  const now = new Date().toISOString();
  const created: Json = {
    ...spec,
    name: `${collection}/${newId()}`,
    state: 'JOB_STATE_QUEUED',
    createTime: now,
    updateTime: now,
  };
  for (const out of outputOnly) delete created[out];
  store.put(created);
  return structuredClone(created);
}

/** `google.cloud.aiplatform.v1.JobService`: custom jobs (the other job kinds answer UNIMPLEMENTED). */
export function jobServiceHandlers(
  jobs: ResourceStore,
  runner: CustomJobRunner,
  ops: OperationStore,
): ServiceHandlers {
  const find = (name: string): Json => {
    const job = jobs.get(name);
    if (!job) throw notFound(`The CustomJob does not exist: ${name}`);
    return job;
  };
  return {
    CreateCustomJob: {
      validate: (req) => (req.customJob ? customJobErrors(req.customJob as Json) : []),
      handle: (req) => createCustomJob(jobs, runner, req.parent as string, req.customJob as Json),
    },
    GetCustomJob: (req) => find(req.name as string),
    ListCustomJobs: (req) => {
      const parent = req.parent as string;
      if (!PARENT.test(parent)) throw invalidArgument(`Invalid parent ${JSON.stringify(parent)}.`);
      const all = jobs
        .list(`${parent}/customJobs/`)
        .filter((j) => matchesFilter(j, req.filter as string | undefined));
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next ? { customJobs: page, nextPageToken: next } : { customJobs: page };
    },
    CancelCustomJob: (req) => {
      const job = find(req.name as string);
      if (TERMINAL.has(job.state as string)) {
        throw failedPrecondition(
          `Cannot cancel CustomJob ${job.name} in state ${job.state}: it has already ended.`,
        );
      }
      runner.cancel(job.name as string);
      return {};
    },
    DeleteCustomJob: (req) => {
      const job = find(req.name as string);
      if (!TERMINAL.has(job.state as string)) {
        throw failedPrecondition(
          `CustomJob ${job.name} is in state ${job.state}; cancel it before deleting it.`,
        );
      }
      jobs.delete(job.name as string);
      return ops.completed(job.name as string, 'google.cloud.aiplatform.v1.DeleteOperationMetadata', {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
  };
}
