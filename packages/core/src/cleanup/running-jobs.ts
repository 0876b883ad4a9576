/** Queued and running jobs of a project and location, priced per day, and cancelling them. */
import type { ResolvedConfig } from '../config.ts';
import { jobServiceClient, pipelineServiceClient } from '../connection.ts';
import { type CostEstimate, costPerDay } from '../cost/estimate.ts';
import {
  estimateAutoMlImageTrainingCost,
  estimateDeploymentCost,
  estimateWorkerPoolsCost,
} from '../cost/estimators.ts';
import { StatusCode, toApiError } from '../errors.ts';
import { locationPath } from '../resource-names.ts';
import { fromProtoValue, type ProtoValue } from '../value.ts';
import type { BillableRunningJob, RunningJobKind } from './types.ts';

/** A JSON object (a REST response or one of its parts). @inline */
type Json = Record<string, unknown>;

/** States in which Vertex keeps (or is about to keep) machines for a job. */
const ACTIVE = new Set([
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_UPDATING',
  'PIPELINE_STATE_QUEUED',
  'PIPELINE_STATE_PENDING',
  'PIPELINE_STATE_RUNNING',
  'PIPELINE_STATE_CANCELLING',
]);

interface Listed {
  name?: string | null;
  displayName?: string | null;
  state?: string | number | null;
}

/** Every queued or running custom job, training pipeline, tuning job and batch prediction job. */
export async function findRunningJobs(
  config: ResolvedConfig,
): Promise<{ jobs: BillableRunningJob[]; notes: string[] }> {
  const parent = locationPath(config.project, config.location);
  const jobs = await jobServiceClient(config);
  const pipelines = await pipelineServiceClient(config);
  const notes: string[] = [];
  const list = async <T extends Listed>(what: string, call: () => Promise<[T[], ...unknown[]]>) => {
    try {
      const [items] = await call();
      return items.filter((i) => ACTIVE.has(String(i.state)));
    } catch (err) {
      const e = toApiError(err, `Listing ${what}`);
      // The emulator has no batch prediction; say so rather than fail the whole search.
      if ((e as { code?: number }).code === StatusCode.UNIMPLEMENTED) {
        notes.push(`${what} were not listed: this backend does not serve them (UNIMPLEMENTED).`);
        return [];
      }
      throw e;
    }
  };
  const out: BillableRunningJob[] = [];
  const add = (kind: RunningJobKind, item: Listed, estimate: () => CostEstimate) => {
    let costPerDayUsd = 0;
    let explanation: string;
    try {
      const e = estimate();
      costPerDayUsd = costPerDay(e) || e.totalUsd;
      explanation = e.lines.map((l) => l.explanation).join('; ') + (e.basis ? ` (${e.basis})` : '');
    } catch (err) {
      explanation = `not priced: ${(err as Error).message}`;
    }
    out.push({
      kind,
      resourceName: item.name ?? '',
      displayName: item.displayName ?? '',
      state: String(item.state ?? ''),
      costPerDayUsd,
      explanation,
    });
  };

  const opts = { autoPaginate: true } as never;
  for (const j of await list('custom jobs', () => jobs.listCustomJobs({ parent }, opts))) {
    const pools = (j.jobSpec?.workerPoolSpecs ?? []) as Json[];
    add('custom job', j, () => estimateWorkerPoolsCost(pools, 24, `custom job ${j.name}`, 'one day'));
  }
  for (const j of await list('tuning jobs', () => jobs.listHyperparameterTuningJobs({ parent }, opts))) {
    const pools = (j.trialJobSpec?.workerPoolSpecs ?? []) as Json[];
    const parallel = Number(j.parallelTrialCount ?? 1) || 1;
    add('tuning job', j, () => {
      const e = estimateWorkerPoolsCost(
        pools,
        24 * parallel,
        `tuning job ${j.name}`,
        `${parallel} parallel trial(s) for one day`,
      );
      return { ...e, hourlyUsd: (e.hourlyUsd ?? 0) * parallel };
    });
  }
  for (const p of await list('training pipelines', () => pipelines.listTrainingPipelines({ parent }, opts))) {
    const inputs = (p.trainingTaskInputs ? fromProtoValue(p.trainingTaskInputs as ProtoValue) : {}) as Json;
    const pools = (inputs.worker_pool_specs ?? inputs.workerPoolSpecs) as Json[] | undefined;
    const budget = Number(inputs.budgetMilliNodeHours ?? inputs.budget_milli_node_hours ?? 0);
    add('training pipeline', p, () => {
      if (pools) return estimateWorkerPoolsCost(pools, 24, `training pipeline ${p.name}`, 'one day');
      if (budget > 0) return estimateAutoMlImageTrainingCost(budget, `training pipeline ${p.name}`);
      throw new Error('no worker pools or AutoML budget in its training task inputs');
    });
  }
  for (const b of await list('batch prediction jobs', () => jobs.listBatchPredictionJobs({ parent }, opts))) {
    const r = b.dedicatedResources;
    add('batch prediction', b, () =>
      estimateDeploymentCost({
        machineType: r?.machineSpec?.machineType ?? undefined,
        acceleratorType: (r?.machineSpec?.acceleratorType as string | undefined) ?? undefined,
        acceleratorCount: r?.machineSpec?.acceleratorCount ?? undefined,
        minReplicaCount: Number(r?.startingReplicaCount || r?.maxReplicaCount || 1),
        what: `batch prediction ${b.name}`,
      }),
    );
  }
  return { jobs: out, notes };
}

/** Cancels a job found by {@link findRunningJobs}. */
export async function cancelRunningJob(config: ResolvedConfig, job: BillableRunningJob): Promise<void> {
  const name = job.resourceName;
  try {
    if (job.kind === 'training pipeline') {
      await (await pipelineServiceClient(config)).cancelTrainingPipeline({ name });
      return;
    }
    const client = await jobServiceClient(config);
    if (job.kind === 'custom job') await client.cancelCustomJob({ name });
    else if (job.kind === 'tuning job') await client.cancelHyperparameterTuningJob({ name });
    else await client.cancelBatchPredictionJob({ name });
  } catch (err) {
    throw toApiError(err, `Cancelling ${job.kind} ${name}`);
  }
}
