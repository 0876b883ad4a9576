import { EventEmitter } from 'node:events';
import type { protos } from '@google-cloud/aiplatform';
import { type ResolvedConfig, resolveConfig } from '../config.ts';
import { modelServiceClient, pipelineServiceClient } from '../connection.ts';
import type { CostEstimate } from '../cost/estimate.ts';
import { checkCost } from '../cost/guard.ts';
import { trainingPipelineRequestCost } from '../cost/request-cost.ts';
import { TvxError, toApiError, ValidationError } from '../errors.ts';
import { pollStates } from '../jobs/backoff.ts';
import { CustomJob } from '../jobs/custom-job.ts';
import type { ProgressEvent, ProgressListener } from '../jobs/job-state.ts';
import { Model } from '../models/model.ts';
import { toReadableJson } from '../resource-json.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { buildPipelineRequest, type PipelineRequest } from './pipeline-request.ts';
import type { PoolTask } from './task-inputs.ts';
import type { TrainingJobOptions, TrainingRunOptions } from './training-options.ts';

type IPipeline = protos.google.cloud.aiplatform.v1.ITrainingPipeline;

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

  /** The pipeline's full resource name; empty until the job is launched. */
  get resourceName(): string {
    return this.resource?.name ?? '';
  }

  /** The pipeline's state as of the last fetch (`PIPELINE_STATE_UNSPECIFIED` before it runs). */
  get state(): string {
    return (this.resource?.state as string | undefined) ?? 'PIPELINE_STATE_UNSPECIFIED';
  }

  /** The server's error when the pipeline failed. */
  get error(): { code: number; message: string } | undefined {
    const e = this.resource?.error;
    return e?.message || e?.code ? { code: e.code ?? 0, message: e.message ?? '' } : undefined;
  }

  /** The pipeline as the server last returned it (`undefined` before it is launched). */
  get gcaResource(): IPipeline | undefined {
    return this.resource;
  }

  /** Readable JSON: RFC 3339 times, no empty defaults (for display and `--json`). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource ?? {}) as Record<string, unknown> | undefined) ?? {};
  }

  /** The `CreateTrainingPipeline` request as `run()` sends it; with `dryRun` a script is packaged but not uploaded. */
  async buildRequest(
    run: TrainingRunOptions = {},
    options: { dryRun?: boolean } = {},
  ): Promise<PipelineRequest> {
    const config = await this.config();
    return buildPipelineRequest(this.options, run, config, () => this.task(config, run, options.dryRun));
  }

  /**
   * What the training would cost on Vertex AI: the worker pools of {@link buildRequest} for
   * `expectedDuration`, else the timeout, else Vertex's default of 7 days. The request is built by the same
   * function with the pools' task left out (it has no bearing on the price), so nothing is packaged or uploaded.
   */
  async estimateCost(run: TrainingRunOptions = {}): Promise<CostEstimate> {
    const config = await this.config();
    const request = await buildPipelineRequest(this.options, run, config, async () => ({}));
    return trainingPipelineRequestCost(request, run, config);
  }

  /**
   * Creates the pipeline; with `sync` (default) waits and returns the registered Model (or undefined). A
   * `cost` event comes first; above `maxCost` it throws {@link CostLimitError} before anything is uploaded.
   */
  async run(options: TrainingRunOptions = {}): Promise<Model | undefined> {
    if (this.resource?.name)
      throw new ValidationError(
        'run',
        'Custom Training has already run',
        'Create a new job object to train again.',
      );
    const estimate = await this.estimateCost(options).catch((err: unknown) => err as Error);
    checkCost(
      () => {
        if (estimate instanceof Error) throw estimate;
        return estimate;
      },
      options,
      (e) => this.emitProgress(e, options.onProgress),
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
    let backing: CustomJob | undefined;
    let following: Promise<unknown> | undefined;
    const followBackingJob = async () => {
      const jobName = this.backingCustomJob;
      if (jobName && !backing && (options.onProgress || this.listenerCount('progress'))) {
        backing = await CustomJob.get(jobName, { emulator: this.options.emulator });
        backing.on('progress', (e) => e.type === 'log' && this.emitProgress(e, options.onProgress));
        following = backing
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
    };
    await pollStates({
      resourceName: () => this.resourceName,
      refresh: () => this.refresh(),
      afterRefresh: followBackingJob,
      state: () => this.state,
      isDone: (state) => TERMINAL.has(state),
      emit: (e) => this.emitProgress(e, options.onProgress),
      emulator: Boolean(config.emulator),
      signal: options.signal,
    });
    // The backing job ends with the pipeline: let its last log lines arrive before returning.
    await following;
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

  /** Reads the pipeline again from the server. */
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

  /** Asks Vertex AI to cancel the running pipeline; fails if it has not been launched. */
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

  /** Points this object at an existing pipeline and reads it (used by {@link getTrainingJob}). */
  protected async attach(name: string, config: ResolvedConfig): Promise<this> {
    this.configPromise = Promise.resolve(config);
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
