import { EventEmitter } from 'node:events';
import type { protos } from '@google-cloud/aiplatform';
import { type InitOptions, type ResolvedConfig, requireStagingBucket, resolveConfig } from '../config.ts';
import { modelServiceClient, pipelineServiceClient } from '../connection.ts';
import { TvxError, toApiError, ValidationError } from '../errors.ts';
import { backoff, sleep } from '../jobs/backoff.ts';
import { CustomJob } from '../jobs/custom-job.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import type { PipelineState, ProgressEvent, ProgressListener } from '../jobs/job-state.ts';
import { Model } from '../models/model.ts';
import { buildModelSpec, type ServingContainerOptions } from '../models/model-spec.ts';
import { toReadableJson } from '../resource-json.ts';
import { fullResourceName, locationPath, parseResourceName } from '../resource-names.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { toProtoValue } from '../value.ts';
import {
  CUSTOM_TASK_DEFINITION,
  envStruct,
  type PoolTask,
  schedulingStruct,
  type TrainingRunResources,
  workerPoolStructs,
} from './task-inputs.ts';

type IPipeline = protos.google.cloud.aiplatform.v1.ITrainingPipeline;

/** Constructor options shared by the three custom training classes (Python SDK names, camelCase). */
/** The serving options with the Python training classes' `model_` prefix (`modelServingContainerImageUri` …). */
export type ModelServingOptions = {
  [K in keyof ServingContainerOptions as `model${Capitalize<K>}`]?: ServingContainerOptions[K];
};

/** `modelServingContainerImageUri` → `servingContainerImageUri` … */
function servingOptions(o: ModelServingOptions): ServingContainerOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('modelServingContainer') && v !== undefined) out[`s${k.slice('modelS'.length)}`] = v;
  }
  return out as ServingContainerOptions;
}

export interface TrainingJobOptions
  extends ModelServingOptions,
    Pick<InitOptions, 'project' | 'location' | 'stagingBucket' | 'emulator'> {
  displayName: string;
  /** Prebuilt or custom training image. */
  containerUri?: string;
  modelDescription?: string;
  modelInstanceSchemaUri?: string;
  modelParametersSchemaUri?: string;
  modelPredictionSchemaUri?: string;
  labels?: Record<string, string>;
  trainingEncryptionSpecKeyName?: string;
  modelEncryptionSpecKeyName?: string;
}

/** Options of `run()`. Datasets and data splits are not supported yet. */
export interface TrainingRunOptions extends TrainingRunResources {
  /** Trainer arguments, passed as given. */
  args?: string[];
  environmentVariables?: Record<string, string>;
  baseOutputDir?: string;
  serviceAccount?: string;
  network?: string;
  tensorboard?: string;
  enableWebAccess?: boolean;
  enableDashboardAccess?: boolean;
  persistentResourceId?: string;
  modelDisplayName?: string;
  modelLabels?: Record<string, string>;
  modelId?: string;
  parentModel?: string;
  isDefaultVersion?: boolean;
  modelVersionAliases?: string[];
  modelVersionDescription?: string;
  /** Not supported yet: managed datasets come with a later release. */
  dataset?: unknown;
  trainingFractionSplit?: number;
  validationFractionSplit?: number;
  testFractionSplit?: number;
  trainingFilterSplit?: string;
  validationFilterSplit?: string;
  testFilterSplit?: string;
  predefinedSplitColumnName?: string;
  timestampSplitColumnName?: string;
  /** `true` (default): resolve with the Model when done. `false`: resolve once created. */
  sync?: boolean;
  onProgress?: ProgressListener;
}

const SPLITS = [
  'trainingFractionSplit',
  'validationFractionSplit',
  'testFractionSplit',
  'trainingFilterSplit',
  'validationFilterSplit',
  'testFilterSplit',
  'predefinedSplitColumnName',
  'timestampSplitColumnName',
] as const;
const TERMINAL = new Set([
  'PIPELINE_STATE_SUCCEEDED',
  'PIPELINE_STATE_FAILED',
  'PIPELINE_STATE_CANCELLED',
  'PIPELINE_STATE_PAUSED',
]);

/** A training pipeline ended FAILED or CANCELLED. */
export class TrainingFailedError extends TvxError {
  override name = 'TrainingFailedError';
}

/**
 * Base of `CustomTrainingJob`, `CustomPythonPackageTrainingJob` and `CustomContainerTrainingJob`: one
 * `TrainingPipeline` running the custom task; on success Vertex registers the model the trainer saved
 * under `AIP_MODEL_DIR`, and `run()` returns it.
 */
export abstract class TrainingJob extends EventEmitter<{ progress: [ProgressEvent] }> {
  protected readonly options: TrainingJobOptions;
  private resource?: IPipeline;
  private configPromise?: Promise<ResolvedConfig>;

  constructor(options: TrainingJobOptions) {
    super();
    validateDisplayName(options.displayName);
    if (options.labels) validateLabels(options.labels);
    this.options = options;
  }

  /** The task the pools run (snake_case struct entries). */
  protected abstract task(
    config: ResolvedConfig,
    run: TrainingRunOptions,
    dryRun?: boolean,
  ): Promise<PoolTask>;

  get resourceName(): string {
    return this.resource?.name ?? '';
  }

  get state(): string {
    return (this.resource?.state as string | undefined) ?? 'PIPELINE_STATE_UNSPECIFIED';
  }

  get error(): { code: number; message: string } | undefined {
    const e = this.resource?.error;
    return e?.message || e?.code ? { code: e.code ?? 0, message: e.message ?? '' } : undefined;
  }

  get gcaResource(): IPipeline | undefined {
    return this.resource;
  }

  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource ?? {}) as Record<string, unknown> | undefined) ?? {};
  }

  /** The `CreateTrainingPipeline` request as `run()` sends it; with `dryRun` a script is packaged but not uploaded. */
  async buildRequest(
    run: TrainingRunOptions = {},
    options: { dryRun?: boolean } = {},
  ): Promise<{ parent: string; trainingPipeline: IPipeline }> {
    const config = await this.config();
    if (run.dataset !== undefined) {
      throw new ValidationError(
        'dataset',
        'managed datasets are not supported yet',
        'Pass the data location to your trainer as an argument (e.g. args: ["--data", "gs://…/train.csv"]).',
      );
    }
    const ignored = SPLITS.filter((k) => run[k] !== undefined);
    if (ignored.length) {
      process.emitWarning(
        `${ignored.join(', ')} ignored: data splits apply only with a dataset (as in the Python SDK).`,
        { type: 'TerraVertexNotice' },
      );
    }
    const staging = requireStagingBucket(config, 'TrainingJob constructor');
    const inputs: Record<string, unknown> = {
      worker_pool_specs: workerPoolStructs(await this.task(config, run, options.dryRun), run),
      base_output_directory: {
        output_uri_prefix: run.baseOutputDir ?? `${staging}/aiplatform-custom-training-${localTimestamp()}`,
      },
    };
    const serviceAccount = run.serviceAccount ?? config.serviceAccount;
    if (serviceAccount) inputs.service_account = serviceAccount;
    const network = run.network ?? config.network;
    if (network) inputs.network = network;
    if (run.tensorboard)
      inputs.tensorboard = fullResourceName(
        run.tensorboard,
        'tensorboards',
        config.project,
        config.location,
        'tensorboard',
      );
    if (run.enableWebAccess) inputs.enable_web_access = true;
    if (run.enableDashboardAccess) inputs.enable_dashboard_access = true;
    if (run.persistentResourceId) inputs.persistent_resource_id = run.persistentResourceId;
    const scheduling = schedulingStruct(run);
    if (scheduling) inputs.scheduling = scheduling;

    const o = this.options;
    const pipeline: IPipeline = {
      displayName: o.displayName,
      trainingTaskDefinition: CUSTOM_TASK_DEFINITION,
      trainingTaskInputs: toProtoValue(inputs) as protos.google.protobuf.IValue,
    };
    if (o.modelServingContainerImageUri) {
      pipeline.modelToUpload = buildModelSpec(
        {
          ...servingOptions(o),
          displayName: run.modelDisplayName ?? `${o.displayName}-model`,
          description: o.modelDescription,
          instanceSchemaUri: o.modelInstanceSchemaUri,
          parametersSchemaUri: o.modelParametersSchemaUri,
          predictionSchemaUri: o.modelPredictionSchemaUri,
          labels: run.modelLabels ?? o.labels,
          versionAliases: run.modelVersionAliases,
          versionDescription: run.modelVersionDescription,
          isDefaultVersion: run.isDefaultVersion,
          encryptionSpecKeyName: o.modelEncryptionSpecKeyName,
        },
        config.encryptionSpecKeyName,
      );
    } else if (run.modelDisplayName) {
      throw new ValidationError(
        'modelDisplayName',
        'was given but modelServingContainerImageUri was not given to the constructor',
        'Give servingContainerImageUri so the trained model can be registered.',
      );
    }
    if (run.modelId) pipeline.modelId = run.modelId;
    if (run.parentModel)
      pipeline.parentModel = fullResourceName(
        run.parentModel,
        'models',
        config.project,
        config.location,
        'parentModel',
      );
    if (o.labels && Object.keys(o.labels).length) pipeline.labels = o.labels;
    const kms = o.trainingEncryptionSpecKeyName ?? config.encryptionSpecKeyName;
    if (kms) pipeline.encryptionSpec = { kmsKeyName: kms };
    return { parent: locationPath(config.project, config.location), trainingPipeline: pipeline };
  }

  /** Creates the pipeline; with `sync` (default) waits and returns the registered Model (or undefined). */
  async run(options: TrainingRunOptions = {}): Promise<Model | undefined> {
    if (this.resource?.name)
      throw new ValidationError(
        'run',
        'Custom Training has already run',
        'Create a new job object to train again.',
      );
    const request = await this.buildRequest(options);
    const client = await pipelineServiceClient(await this.config());
    try {
      const [created] = await client.createTrainingPipeline(request);
      this.resource = created;
    } catch (err) {
      throw toApiError(err, 'Creating the training pipeline');
    }
    this.emitProgress(
      { type: 'created', resourceName: this.resourceName, displayName: this.options.displayName },
      options.onProgress,
    );
    if (options.sync === false) return undefined;
    return this.wait({ onProgress: options.onProgress });
  }

  /** Polls until the pipeline ends, forwarding the backing CustomJob's log lines; returns the Model. */
  async wait(
    options: { onProgress?: ProgressListener; signal?: AbortSignal } = {},
  ): Promise<Model | undefined> {
    const config = await this.config();
    const delays = backoff(config.emulator ? 200 : 2000, config.emulator ? 2000 : 30_000);
    let previous: string | undefined;
    let backing: CustomJob | undefined;
    for (;;) {
      await this.refresh();
      if (this.state !== previous) {
        this.emitProgress(
          {
            type: 'state',
            resourceName: this.resourceName,
            state: this.state as PipelineState,
            previous: previous as PipelineState | undefined,
            at: new Date(),
          },
          options.onProgress,
        );
        previous = this.state;
      }
      const jobName = this.backingCustomJob;
      if (jobName && !backing && (options.onProgress || this.listenerCount('progress'))) {
        backing = await CustomJob.get(jobName, { emulator: this.options.emulator });
        backing.on('progress', (e) => e.type === 'log' && this.emitProgress(e, options.onProgress));
        void backing
          .wait({ throwOnFailure: false, followLogs: true, signal: options.signal })
          .catch((err: Error) =>
            this.emitProgress(
              {
                type: 'notice',
                resourceName: jobName,
                message: `Stopped following the backing job: ${err.message}`,
              },
              options.onProgress,
            ),
          );
      }
      if (TERMINAL.has(this.state)) break;
      await sleep(delays.next().value as number, options.signal);
    }
    if (this.state !== 'PIPELINE_STATE_SUCCEEDED') {
      throw new TrainingFailedError(`Training failed with:\n${this.error?.message ?? this.state}`);
    }
    return this.model();
  }

  /** The backing CustomJob's resource name, once Vertex created it. */
  get backingCustomJob(): string | undefined {
    const meta = this.resource?.trainingTaskMetadata;
    return (meta?.structValue?.fields?.backingCustomJob?.stringValue ?? undefined) || undefined;
  }

  /** The model the pipeline registered (after it succeeded). */
  async model(): Promise<Model | undefined> {
    const uploaded = this.resource?.modelToUpload;
    if (!uploaded?.name) return undefined;
    const config = await this.config();
    const client = await modelServiceClient(config);
    try {
      const [m] = await client.getModel({ name: `${uploaded.name}@${uploaded.versionId}` });
      return Model.fromResource(m, config);
    } catch (err) {
      throw toApiError(err, `Getting the trained model ${uploaded.name}`);
    }
  }

  async refresh(): Promise<this> {
    const client = await pipelineServiceClient(await this.config());
    try {
      const [resource] = await client.getTrainingPipeline({ name: this.resourceName });
      this.resource = resource;
    } catch (err) {
      throw toApiError(err, `Getting training pipeline ${this.resourceName}`);
    }
    return this;
  }

  async cancel(): Promise<void> {
    if (!this.resource?.name) {
      throw new ValidationError(
        'cancel',
        'this TrainingJob has not been launched',
        'Use the `run()` method to start; `cancel()` can only be called on a job that is running.',
      );
    }
    const client = await pipelineServiceClient(await this.config());
    try {
      await client.cancelTrainingPipeline({ name: this.resourceName });
    } catch (err) {
      throw toApiError(err, `Cancelling training pipeline ${this.resourceName}`);
    }
  }

  /** Reattaches to an existing pipeline (e.g. after a notebook restart); `run()` is then not available. */
  protected async attach(name: string): Promise<this> {
    const { project, location } = parseResourceName(name, 'trainingPipelines', 'trainingPipeline');
    this.configPromise = resolveConfig({ project, location, emulator: this.options.emulator });
    this.resource = { name };
    return this.refresh();
  }

  protected config(): Promise<ResolvedConfig> {
    this.configPromise ??= resolveConfig({
      project: this.options.project,
      location: this.options.location,
      stagingBucket: this.options.stagingBucket,
      emulator: this.options.emulator,
    });
    return this.configPromise;
  }

  private emitProgress(event: ProgressEvent, listener?: ProgressListener): void {
    listener?.(event);
    this.emit('progress', event);
  }
}
