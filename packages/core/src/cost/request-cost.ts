/**
 * Estimates computed from the requests `buildRequest()` produces, so that a dry run and a real run price the
 * same thing. Used by `estimateCost()` / `estimateDeployCost()` and before every `run()` / `deploy()`.
 */
import type { protos } from '@google-cloud/aiplatform';
import type { ResolvedConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { fromProtoValue, type ProtoValue } from '../value.ts';
import type { CostEstimate } from './estimate.ts';
import {
  estimateAutoMlImageTrainingCost,
  estimateDeploymentCost,
  estimateWorkerPoolsCost,
} from './estimators.ts';
import { PRICE_TABLE } from './price-table.ts';

/** A JSON object (a request or one of its parts). @inline */
type Json = Record<string, unknown>;

/** Vertex's default `scheduling.timeout` of custom jobs: 7 days. */
export const VERTEX_DEFAULT_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** Options every `estimateCost()` takes besides the run options. */
export interface CostOptions {
  /** How long the job is expected to run, in seconds (tuning: per trial). Default: the timeout. */
  expectedDuration?: number;
  /** Refuse to submit when the estimate is above this many USD. */
  maxCost?: number;
}

/** `90 s`, `30 min`, `2 h`, `7 days`. */
export function formatDuration(seconds: number): string {
  const n = (v: number) => String(Number(v.toFixed(2)));
  if (seconds < 120) return `${n(seconds)} s`;
  if (seconds < 2 * 3600) return `${n(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${n(seconds / 3600)} h`;
  return `${n(seconds / 86400)} days`;
}

/** Checks `expectedDuration` (seconds > 0). */
export function validateExpectedDuration(seconds: number | undefined, field = 'expectedDuration'): void {
  if (seconds === undefined) return;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
    throw new ValidationError(
      field,
      `must be a positive number of seconds, got ${JSON.stringify(seconds)}`,
      'Pass e.g. 1800 for 30 minutes.',
    );
}

/** The hours to price and why: `expectedDuration`, else the request's timeout, else Vertex's default. */
export function durationBasis(
  expectedDuration: number | undefined,
  timeoutSeconds: number | undefined,
): { hours: number; basis: string } {
  validateExpectedDuration(expectedDuration);
  if (expectedDuration !== undefined)
    return { hours: expectedDuration / 3600, basis: `expectedDuration ${formatDuration(expectedDuration)}` };
  if (timeoutSeconds)
    return { hours: timeoutSeconds / 3600, basis: `timeout ${formatDuration(timeoutSeconds)}` };
  return {
    hours: VERTEX_DEFAULT_TIMEOUT_SECONDS / 3600,
    basis: "Vertex's default timeout (7 days): set expectedDuration or timeout for a closer estimate",
  };
}

/** `{ seconds: '3600' }` (client JSON) or `'3600s'` (struct) → 3600. */
function seconds(d: unknown): number | undefined {
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'string') return Number.parseFloat(d);
  if (typeof d === 'number') return d;
  const s = (d as { seconds?: unknown }).seconds;
  return s === undefined || s === null ? undefined : Number(s);
}

/** Notes for where the work runs: the emulator is free, prices are for one region. */
export function placeNotes(config: Pick<ResolvedConfig, 'emulator' | 'location'>): string[] {
  const notes: string[] = [];
  if (config.emulator)
    notes.push(
      'This runs on the local emulator, which is free: the estimate is what it would cost on Vertex AI.',
    );
  if (config.location && config.location !== PRICE_TABLE.region)
    notes.push(`Prices are ${PRICE_TABLE.region} list prices; ${config.location} may differ.`);
  return notes;
}

function withNotes(e: CostEstimate, notes: string[]): CostEstimate {
  return { ...e, notes: [...e.notes, ...notes] };
}

/** The estimate of a `CreateCustomJob` request. */
export function customJobRequestCost(
  request: { customJob: Json },
  o: CostOptions,
  config: Pick<ResolvedConfig, 'emulator' | 'location'>,
): CostEstimate {
  const spec = (request.customJob.jobSpec ?? {}) as Json;
  const { hours, basis } = durationBasis(
    o.expectedDuration,
    seconds((spec.scheduling as Json | undefined)?.timeout),
  );
  const what = `custom job "${String(request.customJob.displayName ?? '')}"`;
  const e = estimateWorkerPoolsCost((spec.workerPoolSpecs ?? []) as Json[], hours, what, basis);
  return withNotes(e, placeNotes(config));
}

/** The estimate of a custom `CreateTrainingPipeline` request (worker pools in its task inputs). */
export function trainingPipelineRequestCost(
  request: { trainingPipeline: protos.google.cloud.aiplatform.v1.ITrainingPipeline },
  o: CostOptions,
  config: Pick<ResolvedConfig, 'emulator' | 'location'>,
): CostEstimate {
  const p = request.trainingPipeline;
  const inputs = (fromProtoValue(p.trainingTaskInputs as ProtoValue) ?? {}) as Json;
  const { hours, basis } = durationBasis(
    o.expectedDuration,
    seconds((inputs.scheduling as Json | undefined)?.timeout),
  );
  const pools = (inputs.worker_pool_specs ?? inputs.workerPoolSpecs ?? []) as Json[];
  const e = estimateWorkerPoolsCost(pools, hours, `training pipeline "${p.displayName ?? ''}"`, basis);
  return withNotes(e, placeNotes(config));
}

/** The estimate of a `CreateHyperparameterTuningJob` request: per-trial duration × `maxTrialCount`. */
export function tuningRequestCost(
  request: { hyperparameterTuningJob: Json },
  o: CostOptions,
  config: Pick<ResolvedConfig, 'emulator' | 'location'>,
): CostEstimate {
  const job = request.hyperparameterTuningJob;
  const spec = (job.trialJobSpec ?? {}) as Json;
  const trials = Number(job.maxTrialCount ?? 1);
  const parallel = Number(job.parallelTrialCount ?? 1);
  const per = durationBasis(o.expectedDuration, seconds((spec.scheduling as Json | undefined)?.timeout));
  const basis = `${per.basis} per trial × ${trials} trial${trials === 1 ? '' : 's'} (maxTrialCount)`;
  const e = estimateWorkerPoolsCost(
    (spec.workerPoolSpecs ?? []) as Json[],
    per.hours * trials,
    `hyperparameter tuning job "${String(job.displayName ?? '')}"`,
    basis,
  );
  return {
    ...withNotes(e, [
      `${parallel} trial${parallel === 1 ? '' : 's'} run at a time: that changes how long the study takes, not its total.`,
      ...placeNotes(config),
    ]),
    ...(e.hourlyUsd !== undefined ? { hourlyUsd: e.hourlyUsd * parallel } : {}),
  };
}

/** The estimate of an AutoML image `CreateTrainingPipeline` request: its budget (or the service default). */
export function automlImageRequestCost(
  request: { trainingPipeline: protos.google.cloud.aiplatform.v1.ITrainingPipeline },
  config: Pick<ResolvedConfig, 'emulator' | 'location'>,
): CostEstimate {
  const p = request.trainingPipeline;
  const inputs = (fromProtoValue(p.trainingTaskInputs as ProtoValue) ?? {}) as Json;
  const given = inputs.budgetMilliNodeHours;
  const mobile = String(inputs.modelType ?? '').startsWith('MOBILE');
  const budget = given === undefined || given === null ? (mobile ? 24_000 : 192_000) : Number(given);
  const e = estimateAutoMlImageTrainingCost(budget, `AutoML image training "${p.displayName ?? ''}"`);
  const basis =
    given === undefined || given === null
      ? `Vertex's default budget (${budget.toLocaleString('en-US')} milli node hours for ${mobile ? 'mobile' : 'cloud'} models): set budgetMilliNodeHours`
      : e.basis;
  return withNotes({ ...e, basis }, placeNotes(config));
}

/** The estimate of a `DeployModel` request: dedicated resources by machine, AutoML (automatic) per node. */
export function deployRequestCost(
  request: protos.google.cloud.aiplatform.v1.IDeployModelRequest,
  o: { expectedDuration?: number; what?: string },
  config: Pick<ResolvedConfig, 'emulator' | 'location'>,
): CostEstimate {
  validateExpectedDuration(o.expectedDuration);
  const hours = (o.expectedDuration ?? 24 * 3600) / 3600;
  const d = request.deployedModel ?? {};
  const what = o.what ?? `deployment of ${d.model ?? 'a model'} to ${request.endpoint || 'a new endpoint'}`;
  const dedicated = d.dedicatedResources;
  const automatic = d.automaticResources;
  const e = dedicated
    ? estimateDeploymentCost({
        machineType: dedicated.machineSpec?.machineType ?? undefined,
        acceleratorType: (dedicated.machineSpec?.acceleratorType as string | undefined) ?? undefined,
        acceleratorCount: dedicated.machineSpec?.acceleratorCount ?? undefined,
        minReplicaCount: Number(dedicated.minReplicaCount ?? 1),
        maxReplicaCount: Number(dedicated.maxReplicaCount ?? dedicated.minReplicaCount ?? 1),
        hours,
        what,
      })
    : estimateDeploymentCost({
        automl: true,
        minReplicaCount: Number(automatic?.minReplicaCount || 1),
        maxReplicaCount: Number(automatic?.maxReplicaCount || automatic?.minReplicaCount || 1),
        hours,
        what,
      });
  const basis =
    o.expectedDuration === undefined
      ? 'expectedDuration 24 h (the default): set expectedDuration for how long it stays deployed'
      : `expectedDuration ${formatDuration(o.expectedDuration)}`;
  return withNotes({ ...e, basis }, placeNotes(config));
}
