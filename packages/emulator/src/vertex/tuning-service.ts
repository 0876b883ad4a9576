import type { StudyRunner } from '../runtime/study-runner.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import type { SearchEngine } from '../tuning/search-engine.ts';
import { checkWithEngine, studySpecErrors } from '../tuning/study-spec.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { customJobErrors, storeQueued } from './job-service.ts';
import { matchesFilter, paginate } from './list-filter.ts';
import type { OperationStore } from './operations.ts';
import type { Json } from './protos.ts';
import { failedPrecondition, notFound } from './rpc-error.ts';

const TERMINAL = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED']);

/** Vertex's documented constraints on a tuning job, beyond the protos' REQUIRED fields. */
export function tuningJobErrors(job: Json): [string, string][] {
  const at = 'hyperparameter_tuning_job';
  const errors: [string, string][] = [];
  if (job.studySpec) errors.push(...studySpecErrors(job.studySpec as Json, `${at}.study_spec`));
  if (Number(job.maxTrialCount ?? 0) < 1) errors.push([`${at}.max_trial_count`, 'Must be at least 1.']);
  if (Number(job.parallelTrialCount ?? 0) < 1)
    errors.push([`${at}.parallel_trial_count`, 'Must be at least 1.']);
  if (job.trialJobSpec) {
    for (const [f, m] of customJobErrors({ displayName: 'trial', jobSpec: job.trialJobSpec }, at)) {
      errors.push([f.replace(`${at}.job_spec`, `${at}.trial_job_spec`), m]);
    }
  }
  return errors;
}

/** The tuning-job methods of `JobService`, merged into its handlers by the emulator. */
export function tuningJobHandlers(
  store: ResourceStore,
  studies: StudyRunner,
  ops: OperationStore,
  engine: SearchEngine,
): ServiceHandlers {
  const find = (name: string): Json => {
    const job = store.get(name);
    if (!job) throw notFound(`The HyperparameterTuningJob does not exist: ${name}`);
    return job;
  };
  return {
    CreateHyperparameterTuningJob: {
      validate: (req) =>
        req.hyperparameterTuningJob ? tuningJobErrors(req.hyperparameterTuningJob as Json) : [],
      handle: async (req) => {
        const spec = (req.hyperparameterTuningJob as Json).studySpec as Json;
        await checkWithEngine(engine, spec, 'hyperparameter_tuning_job.study_spec');
        const job = storeQueued(
          store,
          `${req.parent as string}/hyperparameterTuningJobs`,
          req.hyperparameterTuningJob as Json,
          ['trials', 'startTime', 'endTime', 'error'],
        );
        studies.start(job.name as string);
        return job;
      },
    },
    GetHyperparameterTuningJob: (req) => find(req.name as string),
    ListHyperparameterTuningJobs: (req) => {
      const all = store
        .list(`${req.parent as string}/hyperparameterTuningJobs/`)
        .filter((j) => matchesFilter(j, req.filter as string | undefined));
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next
        ? { hyperparameterTuningJobs: page, nextPageToken: next }
        : { hyperparameterTuningJobs: page };
    },
    CancelHyperparameterTuningJob: (req) => {
      const job = find(req.name as string);
      if (TERMINAL.has(job.state as string))
        throw failedPrecondition(`Cannot cancel ${job.name} in state ${job.state}: it has already ended.`);
      studies.cancel(job.name as string);
      return {};
    },
    DeleteHyperparameterTuningJob: (req) => {
      const job = find(req.name as string);
      if (!TERMINAL.has(job.state as string))
        throw failedPrecondition(`${job.name} is in state ${job.state}; cancel it before deleting it.`);
      store.delete(job.name as string);
      return ops.completed(job.name as string, 'google.cloud.aiplatform.v1.DeleteOperationMetadata', {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
  };
}
