/**
 * The DeployModel request exactly as the Python SDK's `Endpoint.deploy` / `Model.deploy` build it
 * (`_validate_deploy_args` and `_deploy_call`), without sending anything.
 */
import type { protos } from '@google-cloud/aiplatform';
import { ValidationError } from '../errors.ts';
import type { ProgressListener } from '../jobs/job-state.ts';
import { ACCELERATOR_TYPES, type AcceleratorType } from '../jobs/worker-pool.ts';
import { validateDisplayName } from '../validation.ts';
import { deployTrafficSplit, type TrafficSplit } from './traffic.ts';

type IModel = protos.google.cloud.aiplatform.v1.IModel;
type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;
type IDeployModelRequest = protos.google.cloud.aiplatform.v1.IDeployModelRequest;

/** The machine type of dedicated resources when none is given (the SDK's `_DEFAULT_MACHINE_TYPE`). */
export const DEFAULT_DEPLOY_MACHINE_TYPE = 'n1-standard-2';

/** Options of `Endpoint.deploy` and `Model.deploy`: the Python SDK's arguments in camelCase. */
export interface DeployOptions {
  /** Default: the model's display name (chosen by the service). */
  deployedModelDisplayName?: string;
  /**
   * Share of requests for the new model, 0–100 (default 0, which becomes 100 on an empty endpoint). The
   * models already there are scaled down to make room. Ignored when `trafficSplit` is given.
   */
  trafficPercentage?: number;
  /** The whole split after the deploy, adding up to 100; `"0"` is the model being deployed. */
  trafficSplit?: TrafficSplit;
  /** Default `n1-standard-2` when dedicated resources are used. */
  machineType?: string;
  /** Default 1. */
  minReplicaCount?: number;
  /** Default 1; raised to `minReplicaCount` when lower. */
  maxReplicaCount?: number;
  /** Give both the type and the count, or neither. */
  acceleratorType?: AcceleratorType;
  acceleratorCount?: number;
  /** Default: `init({ serviceAccount })`. */
  serviceAccount?: string;
  explanationSpec?: protos.google.cloud.aiplatform.v1.IExplanationSpec;
  /**
   * `true` (default): resolve when the model serves. `false`: resolve once Vertex accepted the deployment
   * (the returned model has no id yet); `endpoint.wait()` then waits for it.
   */
  sync?: boolean;
  /** `cost` first, then `notice` events while the deployment runs. */
  onProgress?: ProgressListener;
  /** Refuse to deploy when the estimate (at `maxReplicaCount` for `expectedDuration`) is above this many USD. */
  maxCost?: number;
  /** How long the model is expected to stay deployed, in seconds, for the estimate (default 24 hours). */
  expectedDuration?: number;
}

/** Settings from `init()` the request falls back to. */
export interface DeployDefaults {
  serviceAccount?: string;
}

/** A request and what the SDK would log about it. */
export interface DeployPlan {
  request: IDeployModelRequest;
  notices: string[];
}

/** `projects/…/models/{id}@{versionId}` when the model has a version id, else its name (the SDK's `versioned_resource_name`). */
export function versionedModelName(model: IModel): string {
  const name = model.name ?? '';
  return model.versionId && !name.includes('@') ? `${name}@${model.versionId}` : name;
}

/** The DeployModel request `Endpoint.deploy(model, options)` sends for these resources. */
export function buildDeployRequest(
  endpoint: IEndpoint,
  model: IModel,
  options: DeployOptions = {},
  defaults: DeployDefaults = {},
): IDeployModelRequest {
  return planDeploy(endpoint, model, options, defaults).request;
}

/** {@link buildDeployRequest} with the SDK's informational messages. */
export function planDeploy(
  endpoint: IEndpoint,
  model: IModel,
  options: DeployOptions = {},
  defaults: DeployDefaults = {},
): DeployPlan {
  const o = options;
  const min = replicaCount(o.minReplicaCount ?? 1, 'minReplicaCount', 'min');
  const max = Math.max(min, replicaCount(o.maxReplicaCount ?? 1, 'maxReplicaCount', 'max'));
  if (o.deployedModelDisplayName !== undefined)
    validateDisplayName(o.deployedModelDisplayName, 'deployedModelDisplayName');
  if (o.acceleratorType && !isAcceleratorType(o.acceleratorType))
    throw new ValidationError(
      'acceleratorType',
      `given accelerator_type \`${o.acceleratorType}\` invalid`,
      `Choose one of [${ACCELERATOR_TYPES.join(', ')}].`,
    );
  if (o.acceleratorCount !== undefined && (!Number.isInteger(o.acceleratorCount) || o.acceleratorCount < 0))
    throw new ValidationError(
      'acceleratorCount',
      `must be a non-negative whole number, got ${JSON.stringify(o.acceleratorCount)}`,
      'Pass e.g. 1.',
    );
  if (Boolean(o.acceleratorType) !== Boolean(o.acceleratorCount))
    throw new ValidationError(
      o.acceleratorType ? 'acceleratorCount' : 'acceleratorType',
      'both `accelerator_type` and `accelerator_count` should be specified or None',
      "Give both (e.g. acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1) or neither.",
    );
  const trafficSplit = deployTrafficSplit({
    current: (endpoint.trafficSplit as TrafficSplit | null | undefined) ?? {},
    trafficPercentage: o.trafficPercentage,
    trafficSplit: o.trafficSplit,
    network: endpoint.network,
  });

  const notices: string[] = [];
  const deployedModel: IDeployedModel = { model: versionedModelName(model) };
  if (o.deployedModelDisplayName) deployedModel.displayName = o.deployedModelDisplayName;
  const serviceAccount = o.serviceAccount || defaults.serviceAccount;
  if (serviceAccount) deployedModel.serviceAccount = serviceAccount;

  const types = new Set((model.supportedDeploymentResourcesTypes ?? []).map(resourceTypeName));
  const automatic = types.has('AUTOMATIC_RESOURCES');
  const dedicated = types.has('DEDICATED_RESOURCES');
  const customMachine = Boolean(o.machineType || o.acceleratorType || o.acceleratorCount);
  const useDedicated = dedicated && (!automatic || customMachine);
  if (customMachine && !useDedicated)
    notices.push(
      'Model does not support dedicated deployment resources. The machine_type, accelerator_type and accelerator_count parameters are ignored.',
    );
  if (useDedicated) {
    const machineSpec: protos.google.cloud.aiplatform.v1.IMachineSpec = {
      machineType: o.machineType || DEFAULT_DEPLOY_MACHINE_TYPE,
    };
    if (o.acceleratorType && o.acceleratorCount) {
      machineSpec.acceleratorType = o.acceleratorType;
      machineSpec.acceleratorCount = o.acceleratorCount;
    }
    deployedModel.dedicatedResources = { machineSpec, minReplicaCount: min, maxReplicaCount: max };
  } else if (automatic) {
    deployedModel.automaticResources = { minReplicaCount: min, maxReplicaCount: max };
  } else {
    notices.push(
      `Model ${model.name ?? ''} does not support deployment (its supportedDeploymentResourcesTypes is empty): the request carries no resources.`,
    );
  }
  if (o.explanationSpec) deployedModel.explanationSpec = o.explanationSpec;

  const request: IDeployModelRequest = { endpoint: endpoint.name ?? '', deployedModel };
  if (trafficSplit !== undefined) request.trafficSplit = trafficSplit;
  return { request, notices };
}

const RESOURCE_TYPES = [
  'DEPLOYMENT_RESOURCES_TYPE_UNSPECIFIED',
  'DEDICATED_RESOURCES',
  'AUTOMATIC_RESOURCES',
  'SHARED_RESOURCES',
];

/** Enum values arrive as names from the clients, as numbers from hand-built resources. */
function resourceTypeName(t: unknown): string {
  return typeof t === 'number' ? (RESOURCE_TYPES[t] ?? String(t)) : String(t);
}

function isAcceleratorType(t: string): boolean {
  return t === 'ACCELERATOR_TYPE_UNSPECIFIED' || (ACCELERATOR_TYPES as readonly string[]).includes(t);
}

function replicaCount(n: number, field: string, which: 'min' | 'max'): number {
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new ValidationError(field, `must be a whole number, got ${JSON.stringify(n)}`, 'Pass e.g. 1.');
  if (n < 0)
    throw new ValidationError(
      field,
      `${which === 'min' ? 'Min' : 'Max'} replica cannot be negative (got ${n})`,
      'Give 1 or more replicas.',
    );
  return n;
}
