/** `findBillableResources`: what keeps costing money in a project and location, with its cost per day. */
import type { protos } from '@google-cloud/aiplatform';
import { type ResolvedConfig, resolveConfig } from '../config.ts';
import { tensorboardServiceClient } from '../connection.ts';
import { costPerDay } from '../cost/estimate.ts';
import { estimateDeploymentCost, estimateTensorboardStorageCost } from '../cost/estimators.ts';
import { whereOf } from '../endpoints/create-request.ts';
import { DEFAULT_DEPLOY_MACHINE_TYPE } from '../endpoints/deploy-request.ts';
import { Endpoint } from '../endpoints/endpoint.ts';
import { toApiError, ValidationError } from '../errors.ts';
import { Tensorboard } from '../tensorboard/tensorboard.ts';
import { lastPredictionTimes } from './prediction-activity.ts';
import { findRunningJobs } from './running-jobs.ts';
import type {
  BillableDeployedModel,
  BillableEndpoint,
  BillableResources,
  BillableTensorboard,
  FindBillableOptions,
} from './types.ts';

type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;

/** The configuration each result was found with, for acting on it later on the same backend. */
export const configOfFound = new WeakMap<BillableResources, ResolvedConfig>();

/** Default `idleAfter`: an hour without predictions. */
export const DEFAULT_IDLE_AFTER_SECONDS = 3600;

/**
 * Lists what keeps costing money: endpoints with deployed models (per-day cost of their minimum replicas, and
 * whether they are idle by Cloud Monitoring's prediction count), TensorBoard instances (storage), and queued
 * or running jobs. Costs come from the price table (`estimateDeploymentCost`, `estimateTensorboardStorageCost`,
 * `estimateWorkerPoolsCost`), each with its explanation.
 *
 * @example
 * const found = await findBillableResources({ idleAfter: 1800 });
 * showBillableResources(found);
 * await cleanUp(found, { undeploy: true, deleteTensorboards: true, cancelJobs: true });
 */
export async function findBillableResources(options: FindBillableOptions = {}): Promise<BillableResources> {
  const idleAfter = validIdleAfter(options.idleAfter);
  const config = await resolveConfig(options);
  const where = whereOf(config);
  const checkedAt = new Date();
  const [allEndpoints, allTensorboards, running] = await Promise.all([
    Endpoint.list(where),
    Tensorboard.list(where),
    findRunningJobs(config),
  ]);
  const prefix = options.displayNamePrefix;
  const ours = (r: { displayName: string }) => !prefix || r.displayName.startsWith(prefix);
  const endpoints = allEndpoints.filter(ours);
  const tensorboards = allTensorboards.filter(ours);
  running.jobs = running.jobs.filter(ours);
  const withModels = endpoints.some((e) => e.gcaResource.deployedModels?.length);
  const notes = [...running.notes];
  let last: Map<string, Date> | undefined = new Map<string, Date>();
  if (withModels)
    last = await lastPredictionTimes(config, idleAfter, checkedAt).catch((err: Error) => {
      // Listing what costs money matters more than idleness: say why it is unknown instead of failing.
      notes.push(
        `Idle endpoints are not marked: ${err.message} (reading Cloud Monitoring needs monitoring.timeSeries.list, e.g. roles/monitoring.viewer).`,
      );
      return undefined;
    });
  const billableEndpoints = endpoints.map((e) =>
    billableEndpoint(e, last?.get(e.id), last ? idleAfter : Number.POSITIVE_INFINITY, checkedAt),
  );
  const billableTensorboards = await Promise.all(tensorboards.map((t) => billableTensorboard(config, t)));
  const totalPerDayUsd =
    billableEndpoints.reduce((s, e) => s + e.costPerDayUsd, 0) +
    billableTensorboards.reduce((s, t) => s + t.costPerDayUsd, 0) +
    running.jobs.reduce((s, j) => s + j.costPerDayUsd, 0);
  if (config.emulator)
    notes.unshift('The emulator itself is free: these are what the same resources would cost on Vertex AI.');
  const found: BillableResources = {
    project: config.project,
    location: config.location,
    idleAfter,
    checkedAt,
    endpoints: billableEndpoints,
    tensorboards: billableTensorboards,
    runningJobs: running.jobs,
    totalPerDayUsd,
    notes,
  };
  configOfFound.set(found, config);
  return found;
}

/**
 * The cost per day and idleness of given endpoints only (one Cloud Monitoring call, no other listing): what
 * `tvx endpoints list` uses to warn about idle endpoints.
 *
 * @example
 * const idle = (await endpointsActivity(await Endpoint.list(), { idleAfter: 3600 })).filter((e) => e.idle);
 */
export async function endpointsActivity(
  endpoints: readonly Endpoint[],
  options: FindBillableOptions = {},
): Promise<BillableEndpoint[]> {
  const idleAfter = validIdleAfter(options.idleAfter);
  const withModels = endpoints.filter((e) => e.gcaResource.deployedModels?.length);
  if (withModels.length === 0)
    return endpoints.map((e) => billableEndpoint(e, undefined, idleAfter, new Date()));
  const config = await resolveConfig(options);
  const now = new Date();
  const last = await lastPredictionTimes(config, idleAfter, now);
  return endpoints.map((e) => billableEndpoint(e, last.get(e.id), idleAfter, now));
}

function validIdleAfter(idleAfter: number = DEFAULT_IDLE_AFTER_SECONDS): number {
  if (typeof idleAfter !== 'number' || !Number.isFinite(idleAfter) || idleAfter < 0)
    throw new ValidationError(
      'idleAfter',
      `must be a non-negative number of seconds, got ${JSON.stringify(idleAfter)}`,
      'Pass e.g. 3600 for an hour.',
    );
  return idleAfter;
}

function billableEndpoint(
  endpoint: Endpoint,
  lastPredictionTime: Date | undefined,
  idleAfter: number,
  now: Date,
): BillableEndpoint {
  const deployed = (endpoint.gcaResource.deployedModels ?? []).map(billableDeployedModel);
  // The idle clock starts at the last prediction, or at the latest deployment when there was none since.
  const since = [lastPredictionTime, ...deployed.map((d) => d.deployTime)]
    .filter((t): t is Date => t !== undefined)
    .reduce<Date | undefined>((a, b) => (a && a > b ? a : b), undefined);
  const idle =
    deployed.length > 0 &&
    Number.isFinite(idleAfter) &&
    (!since || now.getTime() - since.getTime() >= idleAfter * 1000);
  return {
    endpoint,
    deployedModels: deployed,
    costPerDayUsd: deployed.reduce((s, d) => s + d.costPerDayUsd, 0),
    ...(lastPredictionTime ? { lastPredictionTime } : {}),
    idle,
  };
}

function timeOf(t: protos.google.protobuf.ITimestamp | null | undefined): Date | undefined {
  if (!t?.seconds) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
}

function billableDeployedModel(d: IDeployedModel): BillableDeployedModel {
  const dedicated = d.dedicatedResources;
  const automl = !dedicated && Boolean(d.automaticResources);
  const spec = dedicated?.machineSpec;
  const machineType = automl ? 'automatic (AutoML)' : spec?.machineType || DEFAULT_DEPLOY_MACHINE_TYPE;
  const acceleratorType =
    spec?.acceleratorType && spec.acceleratorType !== 'ACCELERATOR_TYPE_UNSPECIFIED'
      ? String(spec.acceleratorType)
      : undefined;
  const acceleratorCount = acceleratorType ? Number(spec?.acceleratorCount ?? 1) : undefined;
  const resources = dedicated ?? d.automaticResources ?? {};
  const minReplicaCount = Number(resources.minReplicaCount ?? 1);
  const maxReplicaCount = Math.max(minReplicaCount, Number(resources.maxReplicaCount ?? minReplicaCount));
  let costPerDayUsd = 0;
  let explanation: string;
  try {
    const e = estimateDeploymentCost({
      ...(automl ? { automl: true } : { machineType }),
      ...(acceleratorType ? { acceleratorType, acceleratorCount } : {}),
      minReplicaCount,
      maxReplicaCount,
      hours: 24,
      what: `deployed model ${d.id ?? ''}`,
    });
    costPerDayUsd = costPerDay(e);
    explanation = e.lines.map((l) => l.explanation).join('; ');
    if (maxReplicaCount > minReplicaCount) explanation += `; up to ${maxReplicaCount} replicas when busy`;
  } catch (err) {
    explanation = `not priced: ${(err as Error).message}`;
  }
  const deployTime = timeOf(d.createTime);
  return {
    id: d.id ?? '',
    displayName: d.displayName ?? '',
    model: d.model ?? '',
    machineType,
    ...(acceleratorType ? { acceleratorType, acceleratorCount } : {}),
    minReplicaCount,
    maxReplicaCount,
    automl,
    costPerDayUsd,
    explanation,
    ...(deployTime ? { deployTime } : {}),
  };
}

async function billableTensorboard(
  config: ResolvedConfig,
  tensorboard: Tensorboard,
): Promise<BillableTensorboard> {
  const client = await tensorboardServiceClient(config);
  let bytes: number;
  try {
    const [size] = await client.readTensorboardSize({ tensorboard: tensorboard.resourceName });
    bytes = Number(size.storageSizeByte ?? 0);
  } catch (err) {
    throw toApiError(err, `Reading the size of tensorboard ${tensorboard.resourceName}`);
  }
  const e = estimateTensorboardStorageCost(bytes, 1, `tensorboard ${tensorboard.resourceName}`);
  return {
    tensorboard,
    bytes,
    costPerDayUsd: e.totalUsd,
    explanation: e.lines.map((l) => l.explanation).join('; '),
  };
}
