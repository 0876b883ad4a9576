import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { protos } from '@google-cloud/aiplatform';
import type { ModelEvaluation } from '../automl/model-evaluation.ts';
import { type InitOptions, type ResolvedConfig, requireStagingBucket, resolveConfig } from '../config.ts';
import { modelServiceClient, storageClient } from '../connection.ts';
import type { CostEstimate } from '../cost/estimate.ts';
import type { Endpoint } from '../endpoints/endpoint.ts';
import type { ModelDeployOptions } from '../endpoints/model-deploy.ts';
import { toApiError, ValidationError } from '../errors.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import { toReadableJson } from '../resource-json.ts';
import { fullResourceName, locationPath, parseResourceName } from '../resource-names.ts';
import { ensureBucket, parseGcsUri, uploadFile } from '../storage/gcs.ts';
import { buildModelSpec, type ModelSpecOptions } from './model-spec.ts';

type IModel = protos.google.cloud.aiplatform.v1.IModel;
/** Where a resource lives: explicit values, else `init()` and the environment. @inline */
type Where = Pick<InitOptions, 'project' | 'location' | 'emulator'>;

/** Options of {@link Model.upload}: the Python SDK's arguments in camelCase. */
export interface ModelUploadOptions extends ModelSpecOptions, Where {
  /** Upload as a new version of this model (resource name or id). */
  parentModel?: string;
  /** Id for a new model (default: generated). */
  modelId?: string;
  stagingBucket?: string;
}

const PREBUILT_PREDICTION = /^(us|europe|asia)-docker\.pkg\.dev\/vertex-ai\/prediction\//;
const PREBUILT_FILES = [
  'model.pkl',
  'model.joblib',
  'model.bst',
  'model.mar',
  'saved_model.pb',
  'saved_model.pbtxt',
];

/** A model version in the Vertex AI Model Registry. */
export class Model {
  private resource: IModel;
  private readonly config: ResolvedConfig;

  private constructor(resource: IModel, config: ResolvedConfig) {
    this.resource = resource;
    this.config = config;
  }

  /**
   * Registers a model (or a new version of `parentModel`) like the Python SDK's `Model.upload()`. A local
   * `artifactUri` folder is uploaded to the staging bucket first.
   */
  static async upload(options: ModelUploadOptions): Promise<Model> {
    const config = await resolveConfig(options);
    if (options.artifactUri && !options.servingContainerImageUri) {
      throw new ValidationError(
        'servingContainerImageUri',
        'is required with an artifactUri',
        'Give the serving image, e.g. us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest.',
      );
    }
    const artifactUri =
      options.artifactUri && !options.artifactUri.startsWith('gs://')
        ? await stageLocalArtifacts(config, options)
        : options.artifactUri;
    const model = buildModelSpec(
      { ...options, artifactUri, displayName: options.displayName ?? `Model ${localTimestamp(' ')}` },
      config.encryptionSpecKeyName,
    );
    const request: protos.google.cloud.aiplatform.v1.IUploadModelRequest = {
      parent: locationPath(config.project, config.location),
      model,
    };
    if (options.parentModel)
      request.parentModel = fullResourceName(
        options.parentModel,
        'models',
        config.project,
        config.location,
        'parentModel',
      );
    if (options.modelId) request.modelId = options.modelId;
    const client = await modelServiceClient(config);
    try {
      const [op] = await client.uploadModel(request);
      const [response] = await op.promise();
      const [resource] = await client.getModel({ name: `${response.model}@${response.modelVersionId}` });
      return new Model(resource, config);
    } catch (err) {
      throw toApiError(err, 'Uploading the model');
    }
  }

  /** Finds a model by resource name or id; `name@version` or `name@alias` picks a version (default: `default`). */
  static async get(nameOrId: string, options: Where = {}): Promise<Model> {
    const [base, version] = nameOrId.split('@') as [string, string?];
    const config = await resolveConfig(locationOf(base, options));
    const name =
      fullResourceName(base, 'models', config.project, config.location, 'model') +
      (version ? `@${version}` : '');
    const client = await modelServiceClient(config);
    try {
      const [resource] = await client.getModel({ name });
      return new Model(resource, config);
    } catch (err) {
      throw toApiError(err, `Getting model ${name}`);
    }
  }

  /** Lists the models of a project and location (each as its default version). */
  static async list(options: Where & { filter?: string } = {}): Promise<Model[]> {
    const config = await resolveConfig(options);
    const client = await modelServiceClient(config);
    try {
      const [models] = await client.listModels({
        parent: locationPath(config.project, config.location),
        ...(options.filter ? { filter: options.filter } : {}),
      });
      return models.map((m) => new Model(m, config));
    } catch (err) {
      throw toApiError(err, 'Listing models');
    }
  }

  /** `projects/…/locations/…/models/{id}` (without the version). */
  get resourceName(): string {
    return this.resource.name ?? '';
  }

  /** `projects/…/models/{id}@{versionId}`. */
  get versionedResourceName(): string {
    return `${this.resourceName}@${this.versionId}`;
  }

  /** The last part of the resource name. */
  get id(): string {
    return this.resourceName.split('/').pop() ?? '';
  }

  /** The display name. */
  get displayName(): string {
    return this.resource.displayName ?? '';
  }

  /** The version id (`1`, `2`, …). */
  get versionId(): string {
    return this.resource.versionId ?? '';
  }

  /** The version's aliases (`default` marks the default version). */
  get versionAliases(): string[] {
    return this.resource.versionAliases ?? [];
  }

  /** Where the model's files are (`gs://…`). */
  get artifactUri(): string {
    return this.resource.artifactUri ?? '';
  }

  /** The model as the server last returned it. */
  get gcaResource(): IModel {
    return this.resource;
  }

  /** The model as readable JSON (RFC 3339 times, no empty defaults). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource) as Record<string, unknown> | undefined) ?? {};
  }

  /** Every version of this model, oldest first. */
  async versions(): Promise<Model[]> {
    const client = await modelServiceClient(this.config);
    try {
      const [versions] = await client.listModelVersions({ name: this.resourceName });
      return versions
        .map((v) => new Model(v, this.config))
        .sort((a, b) => Number(a.versionId) - Number(b.versionId));
    } catch (err) {
      throw toApiError(err, `Listing versions of ${this.resourceName}`);
    }
  }

  /** Adds aliases to this version; `-alias` removes one. */
  async mergeVersionAliases(aliases: string[]): Promise<this> {
    const client = await modelServiceClient(this.config);
    try {
      const [resource] = await client.mergeVersionAliases({
        name: this.versionedResourceName,
        versionAliases: aliases,
      });
      this.resource = resource;
    } catch (err) {
      throw toApiError(err, `Changing the aliases of ${this.versionedResourceName}`);
    }
    return this;
  }

  /**
   * Deploys this version to `options.endpoint`, or to a new endpoint named `<displayName>_endpoint` (the
   * Python SDK's `Model.deploy()`); resolves with the endpoint once the model serves.
   */
  async deploy(options: ModelDeployOptions = {}): Promise<Endpoint> {
    const { deployModel } = await import('../endpoints/model-deploy.ts');
    return deployModel(this, this.config, options);
  }

  /** What {@link deploy} with these options would cost on Vertex AI for `expectedDuration` (default 24 h). */
  async estimateDeployCost(options: ModelDeployOptions = {}): Promise<CostEstimate> {
    const { modelDeployCost } = await import('../endpoints/model-deploy.ts');
    return modelDeployCost(this, this.config, options);
  }

  /** This version's evaluations (`ListModelEvaluations`), e.g. the test-split metrics of an AutoML model. */
  async evaluations(): Promise<ModelEvaluation[]> {
    const { listModelEvaluations } = await import('../automl/model-evaluation.ts');
    return listModelEvaluations(this.versionedResourceName, this.config);
  }

  /** One evaluation by id, or the first without one (the Python SDK's `get_model_evaluation`). */
  async getModelEvaluation(evaluationId?: string): Promise<ModelEvaluation> {
    const { getModelEvaluation } = await import('../automl/model-evaluation.ts');
    return getModelEvaluation(this.versionedResourceName, this.config, evaluationId);
  }

  /** Deletes the whole model (every version). */
  async delete(): Promise<void> {
    const client = await modelServiceClient(this.config);
    try {
      const [op] = await client.deleteModel({ name: this.resourceName });
      await op.promise();
    } catch (err) {
      throw toApiError(err, `Deleting model ${this.resourceName}`);
    }
  }

  /** Wraps a resource the server returned (e.g. a training pipeline's uploaded model). */
  static fromResource(resource: IModel, config: ResolvedConfig): Model {
    return new Model(resource, config);
  }
}

function locationOf(base: string, options: Where): Where {
  if (!base.startsWith('projects/')) return options;
  const { project, location } = parseResourceName(base, 'models', 'model');
  return { ...options, project: options.project ?? project, location: options.location ?? location };
}

/** Uploads a local model folder to the staging bucket, checking prebuilt images find their file. */
async function stageLocalArtifacts(config: ResolvedConfig, o: ModelUploadOptions): Promise<string> {
  const dir = o.artifactUri!;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ValidationError(
      'artifactUri',
      `${dir} is neither a gs:// URI nor a local folder`,
      'Give the folder holding the model files, or its gs:// location.',
    );
  }
  const files = readdirSync(dir, { recursive: true }) as string[];
  if (
    o.servingContainerImageUri &&
    PREBUILT_PREDICTION.test(o.servingContainerImageUri) &&
    !files.some((f) => PREBUILT_FILES.includes(basename(f)))
  ) {
    throw new ValidationError(
      'artifactUri',
      `${dir} holds none of ${PREBUILT_FILES.join(', ')}`,
      'Prebuilt prediction images load one of these files: save the model in that format.',
    );
  }
  const staging = requireStagingBucket(config, 'Model.upload with a local artifactUri');
  const storage = await storageClient(config);
  if (config.emulator) await ensureBucket(storage, parseGcsUri(staging).bucket);
  const target = `${staging}/vertex_ai_auto_staging/${localTimestamp().replace(/[: ]/g, '-')}`;
  for (const f of files) {
    const path = join(dir, f);
    if (statSync(path).isFile()) await uploadFile(storage, path, `${target}/${f}`);
  }
  return target;
}
