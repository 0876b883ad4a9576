/** `Model.deploy()`: deploy a model version to an endpoint, creating `<model>_endpoint` when none is given. */
import type { ResolvedConfig } from '../config.ts';
import type { CostEstimate } from '../cost/estimate.ts';
import { checkCost } from '../cost/guard.ts';
import { deployRequestCost } from '../cost/request-cost.ts';
import type { Model } from '../models/model.ts';
import { refusePrivateLocally, whereOf } from './create-request.ts';
import { type DeployOptions, planDeploy } from './deploy-request.ts';
import { Endpoint } from './endpoint.ts';

/** Options of `Model.deploy`: those of `Endpoint.deploy`, plus where to deploy. */
export interface ModelDeployOptions extends DeployOptions {
  /** Default: a new endpoint named `<model display name, 118 characters at most>_endpoint`. */
  endpoint?: Endpoint;
  /** For a new endpoint: make it private, peered to this VPC (Vertex AI only). */
  network?: string;
  /** For a new endpoint: its Cloud KMS key (default `init({ encryptionSpecKeyName })`). */
  encryptionSpecKeyName?: string;
}

/** The name the Python SDK gives the endpoint `Model.deploy()` creates. */
export function defaultEndpointName(modelDisplayName: string): string {
  return `${[...modelDisplayName].slice(0, 118).join('')}_endpoint`;
}

/** Deploys `model` as the Python SDK's `Model.deploy()`; resolves with the endpoint (fetched again). */
export async function deployModel(
  model: Model,
  config: ResolvedConfig,
  options: ModelDeployOptions = {},
): Promise<Endpoint> {
  const { endpoint: given, network, encryptionSpecKeyName, ...deploy } = options;
  let endpoint = given;
  if (!endpoint && network) refusePrivateLocally(config);
  // The deploy arguments and the cost are checked before an endpoint is created for them.
  checkCost(
    () => modelDeployCost(model, config, options),
    options,
    (e) => deploy.onProgress?.(e),
  );
  if (!endpoint) {
    endpoint = await Endpoint.create({
      ...whereOf(config),
      displayName: defaultEndpointName(model.displayName),
      encryptionSpecKeyName,
      network,
    });
    deploy.onProgress?.({
      type: 'created',
      resourceName: endpoint.resourceName,
      displayName: endpoint.displayName,
    });
  }
  await endpoint.deploy(model, deploy, true);
  return endpoint;
}

/** What `Model.deploy(options)` would cost on Vertex AI for `expectedDuration` (default 24 h). */
export function modelDeployCost(
  model: Model,
  config: ResolvedConfig,
  options: ModelDeployOptions = {},
): CostEstimate {
  const { endpoint, network, encryptionSpecKeyName: _, ...deploy } = options;
  const target = endpoint?.gcaResource ?? { name: '', trafficSplit: {}, network };
  const { request } = planDeploy(target, model.gcaResource, deploy, {
    serviceAccount: config.serviceAccount,
  });
  const where = endpoint
    ? `endpoint "${endpoint.displayName || endpoint.id}"`
    : `a new endpoint "${defaultEndpointName(model.displayName)}"`;
  const what = `deployment of model "${model.displayName}" to ${where}`;
  return deployRequestCost(request, { expectedDuration: options.expectedDuration, what }, config);
}
