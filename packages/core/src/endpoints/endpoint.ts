import type { protos } from '@google-cloud/aiplatform';
import { type ResolvedConfig, resolveConfig } from '../config.ts';
import { endpointServiceClient } from '../connection.ts';
import type { CostEstimate } from '../cost/estimate.ts';
import { checkCost } from '../cost/guard.ts';
import { deployRequestCost } from '../cost/request-cost.ts';
import { toApiError } from '../errors.ts';
import { Model } from '../models/model.ts';
import { toReadableJson } from '../resource-json.ts';
import { fullResourceName, locationPath, parseResourceName } from '../resource-names.ts';
import { validateDisplayName, validateResourceId } from '../validation.ts';
import {
  buildCreateEndpointRequest,
  type EndpointCreateOptions,
  locationOf,
  type Where,
  whereOf,
} from './create-request.ts';
import { type DeployOptions, planDeploy } from './deploy-request.ts';
import {
  awaitOperation,
  type DeployedModel,
  type StartedOperation,
  toDeployedModel,
} from './deployed-model.ts';
import { type ExplainOptions, type Explanation, sendExplain } from './explain.ts';
import { type Prediction, type RawPrediction, sendPredict, sendRawPredict } from './prediction.ts';
import {
  type TrafficSplit,
  unallocateTraffic,
  undeployTrafficSplit,
  validateTrafficSplit,
} from './traffic.ts';

type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;

/**
 * A Vertex AI endpoint: models deployed to it answer online predictions, requests shared between them by the
 * traffic split. Works the same against Vertex and the emulator (where deployed models run as local servers).
 *
 * @example
 * const endpoint = await Endpoint.create({ displayName: 'iris' });
 * await endpoint.deploy(model, { minReplicaCount: 1, maxReplicaCount: 2 });
 * const { predictions } = await endpoint.predict([[5.1, 3.5, 1.4, 0.2]]);
 */
export class Endpoint {
  private resource: IEndpoint = {};
  private configPromise!: Promise<ResolvedConfig>;
  /** False until the endpoint was fetched (the lazy constructor); true for resources from the server. */
  private fetched = false;
  private pending: Promise<unknown>[] = [];

  /** An endpoint by resource name or id, fetched only when needed (the Python SDK's lazy `Endpoint(name)`). */
  constructor(nameOrId: string, options: Where = {}) {
    if (nameOrId.startsWith('projects/')) parseResourceName(nameOrId, 'endpoints', 'endpoint');
    else validateResourceId(nameOrId, 'endpoint');
    this.resource = { name: nameOrId };
    this.configPromise = resolveConfig(locationOf(nameOrId, options)).then((config) => {
      this.resource.name = fullResourceName(
        nameOrId,
        'endpoints',
        config.project,
        config.location,
        'endpoint',
      );
      return config;
    });
    this.configPromise.catch(() => undefined); // reported by the first call that needs it
  }

  /** Creates an endpoint (the CreateEndpoint operation), as the Python SDK's `Endpoint.create()`. */
  static async create(options: EndpointCreateOptions = {}): Promise<Endpoint> {
    if (options.displayName !== undefined) validateDisplayName(options.displayName);
    const config = await resolveConfig(options);
    const request = buildCreateEndpointRequest(options, config);
    const client = await endpointServiceClient(config);
    try {
      const [op] = await client.createEndpoint(request);
      const [created] = await op.promise();
      return Endpoint.fromResource(created, config);
    } catch (err) {
      throw toApiError(err, `Creating endpoint ${request.endpoint?.displayName ?? ''}`);
    }
  }

  /** Finds an endpoint by resource name or id. */
  static async get(nameOrId: string, options: Where = {}): Promise<Endpoint> {
    const config = await resolveConfig(locationOf(nameOrId, options));
    const name = fullResourceName(nameOrId, 'endpoints', config.project, config.location, 'endpoint');
    return Endpoint.fromResource({ name }, config).refresh();
  }

  /** The public endpoints of a project and location (private ones are left out, as the Python SDK does). */
  static async list(options: Where & { filter?: string } = {}): Promise<Endpoint[]> {
    const config = await resolveConfig(options);
    const client = await endpointServiceClient(config);
    try {
      const [endpoints] = await client.listEndpoints({
        parent: locationPath(config.project, config.location),
        ...(options.filter ? { filter: options.filter } : {}),
      });
      return endpoints.filter((e) => !e.network).map((e) => Endpoint.fromResource(e, config));
    } catch (err) {
      throw toApiError(err, 'Listing endpoints');
    }
  }

  /** Wraps a resource the server returned (internal: e.g. a created endpoint). */
  static fromResource(resource: IEndpoint, config: ResolvedConfig): Endpoint {
    const endpoint = Object.create(Endpoint.prototype) as Endpoint;
    endpoint.resource = resource;
    endpoint.configPromise = Promise.resolve(config);
    endpoint.fetched = true;
    endpoint.pending = [];
    return endpoint;
  }

  /** `projects/…/locations/…/endpoints/{id}` (the id as given until the lazy constructor's config resolved). */
  get resourceName(): string {
    return this.resource.name ?? '';
  }

  /** The last part of the resource name. */
  get id(): string {
    return this.resourceName.split('/').pop() ?? '';
  }

  /** The display name. */
  get displayName(): string {
    return this.resource.displayName ?? '';
  }

  /** Deployed model id → percentage of requests (a copy). */
  get trafficSplit(): TrafficSplit {
    return { ...((this.resource.trafficSplit as TrafficSplit | null | undefined) ?? {}) };
  }

  /** The models deployed to the endpoint, as of the last fetch. */
  get deployedModels(): DeployedModel[] {
    return (this.resource.deployedModels ?? []).map(toDeployedModel);
  }

  /** The VPC network of a private endpoint. */
  get network(): string | undefined {
    return this.resource.network || undefined;
  }

  /** The endpoint as the server last returned it. */
  get gcaResource(): IEndpoint {
    return this.resource;
  }

  /** Readable JSON: RFC 3339 times, no empty defaults (for display and `--json`). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource) as Record<string, unknown> | undefined) ?? {};
  }

  /** Fetches the endpoint again. */
  async refresh(): Promise<this> {
    const client = await endpointServiceClient(await this.configPromise);
    try {
      [this.resource] = await client.getEndpoint({ name: this.resourceName });
      this.fetched = true;
    } catch (err) {
      throw toApiError(err, `Getting endpoint ${this.resourceName}`);
    }
    return this;
  }

  /** The deployed models, fetched again (the Python SDK's `list_models()`). */
  async listModels(): Promise<DeployedModel[]> {
    await this.refresh();
    return this.deployedModels;
  }

  /**
   * Deploys a model (a `Model` or its resource name, `name@version` included), as the Python SDK's
   * `Endpoint.deploy()`: the request of {@link buildDeployRequest}, then waits for the model to serve and
   * fetches the endpoint again.
   */
  async deploy(
    model: Model | string,
    options: DeployOptions = {},
    /** @internal `Model.deploy()` checked the cost before creating the endpoint. */
    costChecked = false,
  ): Promise<DeployedModel> {
    const config = await this.configPromise;
    if (!this.fetched) await this.refresh();
    const m = typeof model === 'string' ? await Model.get(model, whereOf(config)) : model;
    const { request, notices } = planDeploy(this.resource, m.gcaResource, options, {
      serviceAccount: config.serviceAccount,
    });
    const resourceName = this.resourceName;
    const what = `deployment of model "${m.displayName}" to endpoint "${this.displayName || this.id}"`;
    if (!costChecked)
      checkCost(
        () => deployRequestCost(request, { expectedDuration: options.expectedDuration, what }, config),
        options,
        (e) => options.onProgress?.(e),
        resourceName,
      );
    for (const message of notices) options.onProgress?.({ type: 'notice', resourceName, message });
    const client = await endpointServiceClient(config);
    const context = `Deploying model ${request.deployedModel?.model ?? ''} to endpoint ${resourceName}`;
    let op: StartedOperation<protos.google.cloud.aiplatform.v1.IDeployModelResponse>;
    try {
      [op] = await client.deployModel(request);
    } catch (err) {
      throw toApiError(err, context);
    }
    const done = (async () => {
      try {
        const response = await awaitOperation(op, { resourceName, action: context }, options.onProgress);
        await this.refresh();
        const id = response.deployedModel?.id ?? '';
        const deployed =
          this.deployedModels.find((d) => d.id === id) ?? toDeployedModel(response.deployedModel ?? {});
        options.onProgress?.({ type: 'notice', resourceName, message: `Deployed as deployed model ${id}` });
        return deployed;
      } catch (err) {
        throw toApiError(err, context);
      }
    })();
    if (options.sync !== false) return done;
    this.track(done);
    return toDeployedModel(request.deployedModel ?? {});
  }

  /**
   * What deploying `model` with these options would cost on Vertex AI for `expectedDuration` (default 24 h):
   * priced from the DeployModel request `deploy()` sends.
   */
  async estimateDeployCost(model: Model | string, options: DeployOptions = {}): Promise<CostEstimate> {
    const config = await this.configPromise;
    if (!this.fetched) await this.refresh();
    const m = typeof model === 'string' ? await Model.get(model, whereOf(config)) : model;
    const { request } = planDeploy(this.resource, m.gcaResource, options, {
      serviceAccount: config.serviceAccount,
    });
    const what = `deployment of model "${m.displayName}" to endpoint "${this.displayName || this.id}"`;
    return deployRequestCost(request, { expectedDuration: options.expectedDuration, what }, config);
  }

  /** Waits for deployments started with `sync: false`; rejects with the first failure. */
  async wait(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }

  /**
   * Undeploys a model, as the Python SDK: the id always leaves the split; without `trafficSplit` the others
   * are scaled up to 100%, refused when this model has 100% and others are deployed.
   */
  async undeploy(deployedModelId: string, options: { trafficSplit?: TrafficSplit } = {}): Promise<void> {
    await this.refresh();
    const split = undeployTrafficSplit(this.trafficSplit, deployedModelId, options.trafficSplit);
    await this.sendUndeploy(deployedModelId, split);
  }

  /** Undeploys every model: those without traffic first, then by ascending traffic. */
  async undeployAll(): Promise<this> {
    await this.refresh();
    const split = this.trafficSplit;
    const inSplit = Object.keys(split).sort((a, b) => (split[a] ?? 0) - (split[b] ?? 0));
    const notInSplit = this.deployedModels.map((d) => d.id).filter((id) => !(id in split));
    for (const id of [...notInSplit, ...inSplit])
      await this.sendUndeploy(id, unallocateTraffic(this.trafficSplit, id));
    return this;
  }

  /** Sets the traffic split (UpdateEndpoint with update_mask `traffic_split`); `{}` stops all traffic. */
  async updateTrafficSplit(trafficSplit: TrafficSplit): Promise<this> {
    validateTrafficSplit(trafficSplit, { allowEmpty: true });
    const config = await this.configPromise;
    if (!this.fetched) await this.refresh();
    const client = await endpointServiceClient(config);
    try {
      [this.resource] = await client.updateEndpoint({
        endpoint: { ...this.resource, trafficSplit },
        updateMask: { paths: ['traffic_split'] },
      });
    } catch (err) {
      throw toApiError(err, `Updating the traffic split of endpoint ${this.resourceName}`);
    }
    return this;
  }

  /** Deletes the endpoint; `force` undeploys its models first (else the service refuses while any is deployed). */
  async delete(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) await this.undeployAll();
    const client = await endpointServiceClient(await this.configPromise);
    try {
      const [op] = await client.deleteEndpoint({ name: this.resourceName });
      await op.promise();
    } catch (err) {
      throw toApiError(err, `Deleting endpoint ${this.resourceName}`);
    }
  }

  /** Online prediction: `instances` (and `parameters`, sent only when given) as JSON. */
  async predict(instances: unknown[], parameters?: unknown): Promise<Prediction> {
    return sendPredict(await this.configPromise, this.resourceName, instances, parameters);
  }

  /** Online explanation (PredictionService.Explain): predictions plus feature attributions per instance. */
  async explain(instances: unknown[], options: ExplainOptions = {}): Promise<Explanation> {
    return sendExplain(await this.configPromise, this.resourceName, instances, options);
  }

  /** Sends a body as it is to the model server (RawPredict) and returns its answer as it is. */
  async rawPredict(
    body: string | Uint8Array | object,
    contentType = 'application/json',
  ): Promise<RawPrediction> {
    return sendRawPredict(await this.configPromise, this.resourceName, body, contentType);
  }

  private async sendUndeploy(deployedModelId: string, trafficSplit: TrafficSplit): Promise<void> {
    const client = await endpointServiceClient(await this.configPromise);
    try {
      const [op] = await client.undeployModel({ endpoint: this.resourceName, deployedModelId, trafficSplit });
      await op.promise();
    } catch (err) {
      throw toApiError(
        err,
        `Undeploying deployed model ${deployedModelId} from endpoint ${this.resourceName}`,
      );
    }
    await this.refresh();
  }

  private track(work: Promise<unknown>): void {
    work.catch(() => undefined); // awaited (and reported) by wait()
    this.pending.push(work);
  }
}
