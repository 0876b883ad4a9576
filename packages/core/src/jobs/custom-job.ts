import { EventEmitter } from 'node:events';
import type { protos } from '@google-cloud/aiplatform';
import { type InitOptions, type ResolvedConfig, requireStagingBucket, resolveConfig } from '../config.ts';
import { jobServiceClient, storageClient } from '../connection.ts';
import type { CostEstimate } from '../cost/estimate.ts';
import { checkCost } from '../cost/guard.ts';
import { type CostOptions, customJobRequestCost } from '../cost/request-cost.ts';
import { JobFailedError, toApiError, ValidationError } from '../errors.ts';
import { LogCursor, type LogLine, readJobLogs } from '../logs.ts';
import { toReadableJson } from '../resource-json.ts';
import { fullResourceName, locationPath, parseResourceName } from '../resource-names.ts';
import { ensureBucket, parseGcsUri } from '../storage/gcs.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { pollStates } from './backoff.ts';
import { buildCustomJobRequest, type CustomJobRequest } from './custom-job-request.ts';
import { isTerminalState, type JobState, type ProgressEvent, type ProgressListener } from './job-state.ts';
import type { SchedulingOptions } from './scheduling.ts';
import { buildWorkerPoolSpecs, type WorkerPoolSpec } from './worker-pool.ts';

type ICustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

/** Options of a {@link CustomJob}, named like the Python SDK's constructor arguments. */
export interface CustomJobOptions
  extends Pick<InitOptions, 'project' | 'location' | 'stagingBucket' | 'emulator'> {
  /** Default: `CustomJob <ISO time>`, as the Python SDK does. */
  displayName?: string;
  workerPoolSpecs: WorkerPoolSpec[];
  /** `gs://…` under which Vertex sets AIP_MODEL_DIR etc. Default: `<staging>/aiplatform-custom-job-<time>`. */
  baseOutputDir?: string;
  labels?: Record<string, string>;
  encryptionSpecKeyName?: string;
  persistentResourceId?: string;
}

/** Options of {@link CustomJob.run}. */
export interface CustomJobRunOptions extends SchedulingOptions, CostOptions {
  serviceAccount?: string;
  network?: string;
  enableWebAccess?: boolean;
  /**
   * A tensorboard id or `projects/…/locations/…/tensorboards/…` in the job's location: what the trainer writes
   * to `AIP_TENSORBOARD_LOG_DIR` is streamed into it while the job runs. Vertex requires `serviceAccount` with it.
   */
  tensorboard?: string;
  /** `true` (default): resolve when the job has ended. `false`: resolve once it is created. */
  sync?: boolean;
  /** Called for every state change and, while waiting, every log line. */
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** Options of {@link CustomJob.wait}. */
export interface WaitOptions {
  onProgress?: ProgressListener;
  /** Stream log lines as `log` events while waiting (default: when there is a listener). */
  followLogs?: boolean;
  signal?: AbortSignal;
  /** Throw {@link JobFailedError} when the job fails or is cancelled (default true). */
  throwOnFailure?: boolean;
}

interface CustomJobEvents {
  progress: [ProgressEvent];
}

/**
 * A Vertex AI custom training job: one or more worker pools running a Python package or a container.
 *
 * @example
 * const job = new CustomJob({ displayName: 'train', workerPoolSpecs: [{ pythonPackageSpec: {
 *   executorImageUri: 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest',
 *   packageUris: ['gs://bucket/trainer-0.1.tar.gz'], pythonModule: 'trainer.task' } }] });
 * await job.run({ sync: false });
 * await job.wait({ onProgress: console.log });
 */
export class CustomJob extends EventEmitter<CustomJobEvents> {
  private readonly options?: CustomJobOptions;
  private configPromise?: Promise<ResolvedConfig>;
  private resource?: ICustomJob;

  constructor(options: CustomJobOptions) {
    super();
    if (options.displayName !== undefined) validateDisplayName(options.displayName);
    if (options.labels !== undefined) validateLabels(options.labels);
    if (options.baseOutputDir !== undefined) parseGcsUri(options.baseOutputDir, 'baseOutputDir');
    buildWorkerPoolSpecs(options.workerPoolSpecs);
    this.options = options;
  }

  /** Finds an existing job by resource name or id, e.g. after a notebook restart. */
  static async get(
    nameOrId: string,
    options: Pick<InitOptions, 'project' | 'location' | 'emulator'> = {},
  ): Promise<CustomJob> {
    const config = await resolveConfig(locationFromName(nameOrId, options));
    const name = fullResourceName(nameOrId, 'customJobs', config.project, config.location, 'customJob');
    const client = await jobServiceClient(config);
    try {
      const [resource] = await client.getCustomJob({ name });
      return CustomJob.fromResource(resource, config);
    } catch (err) {
      throw toApiError(err, `Getting custom job ${name}`);
    }
  }

  /** Lists the custom jobs of a project and location, newest first. `filter` uses Vertex's list filter syntax. */
  static async list(
    options: Pick<InitOptions, 'project' | 'location' | 'emulator'> & {
      filter?: string;
      pageSize?: number;
    } = {},
  ): Promise<CustomJob[]> {
    const config = await resolveConfig(options);
    const client = await jobServiceClient(config);
    try {
      const req: Record<string, unknown> = { parent: locationPath(config.project, config.location) };
      if (options.filter) req.filter = options.filter;
      if (options.pageSize) req.pageSize = options.pageSize;
      const [jobs] = await client.listCustomJobs(req);
      return jobs.map((r) => CustomJob.fromResource(r, config));
    } catch (err) {
      throw toApiError(err, 'Listing custom jobs');
    }
  }

  private static fromResource(resource: ICustomJob, config: ResolvedConfig): CustomJob {
    const job = Object.create(CustomJob.prototype) as CustomJob;
    EventEmitter.call(job);
    job.resource = resource;
    job.configPromise = Promise.resolve(config);
    return job;
  }

  /** Full resource name, `projects/…/locations/…/customJobs/…` (after `run()`). */
  get resourceName(): string {
    return this.resource?.name ?? '';
  }

  /** The job id (last part of the resource name). */
  get id(): string {
    return this.resourceName.split('/').pop() ?? '';
  }

  /** The display name (the one given to the constructor until the job is created). */
  get displayName(): string {
    return this.resource?.displayName ?? this.options?.displayName ?? '';
  }

  /** The job's state as of the last fetch (`JOB_STATE_UNSPECIFIED` before it runs). */
  get state(): JobState {
    return (this.resource?.state as JobState | undefined) ?? 'JOB_STATE_UNSPECIFIED';
  }

  /** The server's error when the job failed. */
  get error(): { code: number; message: string } | undefined {
    const e = this.resource?.error;
    return e?.message || e?.code ? { code: e.code ?? 0, message: e.message ?? '' } : undefined;
  }

  /** The job as readable JSON: RFC 3339 times, `"3600s"` durations, no empty defaults (for display and `--json`). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource ?? {}) as Record<string, unknown> | undefined) ?? {};
  }

  /** The job as the server last reported it. */
  get gcaResource(): ICustomJob | undefined {
    return this.resource;
  }

  /** The request this job sends on `run()`, without sending it (`--dry-run`, conformance tests). */
  async buildRequest(run: CustomJobRunOptions = {}): Promise<CustomJobRequest> {
    return buildCustomJobRequest(this.requireOptions(), run, await this.config());
  }

  /**
   * What the job would cost on Vertex AI, priced from {@link buildRequest}'s worker pools for
   * `expectedDuration`, else the timeout, else Vertex's default of 7 days.
   */
  async estimateCost(run: CustomJobRunOptions = {}): Promise<CostEstimate> {
    return customJobRequestCost(await this.buildRequest(run), run, await this.config());
  }

  /**
   * Submits the job. With `sync` (default) it resolves when the job has ended and throws if it failed. A
   * `cost` event comes first; above `maxCost` it throws {@link CostLimitError} and sends nothing.
   */
  async run(options: CustomJobRunOptions = {}): Promise<this> {
    if (this.resource?.name)
      throw new ValidationError(
        'run',
        'this job was already submitted',
        'Create a new CustomJob to run again.',
      );
    const config = await this.config();
    const request = await this.buildRequest(options);
    checkCost(
      () => customJobRequestCost(request, options, config),
      options,
      (e) => this.emitProgress(e, options.onProgress),
    );
    if (config.emulator)
      await ensureBucket(
        await storageClient(config),
        parseGcsUri(requireStagingBucket(config, 'CustomJob')).bucket,
      );
    const client = await jobServiceClient(config);
    try {
      const [created] = await client.createCustomJob(request as Parameters<typeof client.createCustomJob>[0]);
      this.resource = created;
    } catch (err) {
      throw toApiError(err, 'Creating custom job');
    }
    this.emitProgress(
      { type: 'created', resourceName: this.resourceName, displayName: this.displayName },
      options.onProgress,
    );
    if (options.sync === false) return this;
    await this.wait({ onProgress: options.onProgress, signal: options.signal });
    return this;
  }

  /** Reads the job's current state from the server. */
  async refresh(): Promise<this> {
    const client = await jobServiceClient(await this.config());
    try {
      const [resource] = await client.getCustomJob({ name: this.requireName() });
      this.resource = resource;
    } catch (err) {
      throw toApiError(err, `Getting custom job ${this.resourceName}`);
    }
    return this;
  }

  /**
   * Polls until the job ends, with backoff, emitting a `state` event on every change and `log` events
   * for new log lines. Throws {@link JobFailedError} when it fails or is cancelled.
   */
  async wait(options: WaitOptions = {}): Promise<this> {
    const config = await this.config();
    let follow =
      options.followLogs ?? (options.onProgress !== undefined || this.listenerCount('progress') > 0);
    const cursor = new LogCursor();
    await pollStates({
      resourceName: () => this.resourceName,
      refresh: () => this.refresh(),
      afterRefresh: async () => {
        if (follow) follow = await this.pumpLogs(config, cursor, options.onProgress);
      },
      state: () => this.state,
      isDone: isTerminalState,
      emit: (e) => this.emitProgress(e, options.onProgress),
      emulator: Boolean(config.emulator),
      signal: options.signal,
    });
    if (follow) await this.pumpLogs(config, cursor, options.onProgress);
    if (
      (options.throwOnFailure ?? true) &&
      (this.state === 'JOB_STATE_FAILED' || this.state === 'JOB_STATE_CANCELLED')
    ) {
      throw new JobFailedError(this.resourceName, this.state, this.error?.message || 'no error message');
    }
    return this;
  }

  /** Asks the server to cancel the job; `wait()` then ends with `JOB_STATE_CANCELLED`. */
  async cancel(): Promise<void> {
    const client = await jobServiceClient(await this.config());
    try {
      await client.cancelCustomJob({ name: this.requireName() });
    } catch (err) {
      throw toApiError(err, `Cancelling custom job ${this.resourceName}`);
    }
  }

  /** Deletes the job (it must have ended). */
  async delete(): Promise<void> {
    const client = await jobServiceClient(await this.config());
    try {
      const [op] = await client.deleteCustomJob({ name: this.requireName() });
      await op.promise();
    } catch (err) {
      throw toApiError(err, `Deleting custom job ${this.resourceName}`);
    }
  }

  /** The job's log lines so far (all replicas), oldest first. */
  async logs(options: { after?: string; tail?: number } = {}): Promise<LogLine[]> {
    const config = await this.config();
    const { project } = parseResourceName(this.requireName(), 'customJobs');
    return readJobLogs(config, project, this.id, { after: options.after, maxLines: options.tail });
  }

  /**
   * Emits new log lines. Returns false when logs cannot be read (e.g. no permission on Cloud Logging): the
   * reason is emitted as a `notice` and waiting goes on without logs, since the job itself is unaffected.
   */
  private async pumpLogs(
    config: ResolvedConfig,
    cursor: LogCursor,
    listener?: ProgressListener,
  ): Promise<boolean> {
    const { project } = parseResourceName(this.requireName(), 'customJobs');
    let lines: LogLine[];
    try {
      lines = cursor.take(await readJobLogs(config, project, this.id, { after: cursor.after }));
    } catch (err) {
      const message = `Not following logs any more: ${(err as Error).message}`;
      this.emitProgress({ type: 'notice', resourceName: this.resourceName, message }, listener);
      return false;
    }
    for (const l of lines) {
      this.emitProgress(
        {
          type: 'log',
          resourceName: this.resourceName,
          task: l.task,
          line: l.text,
          timestamp: l.timestamp,
          severity: l.severity,
        },
        listener,
      );
    }
    return true;
  }

  private emitProgress(event: ProgressEvent, listener?: ProgressListener): void {
    listener?.(event);
    this.emit('progress', event);
  }

  private config(): Promise<ResolvedConfig> {
    this.configPromise ??= resolveConfig({
      project: this.options?.project,
      location: this.options?.location,
      stagingBucket: this.options?.stagingBucket,
      emulator: this.options?.emulator,
    });
    return this.configPromise;
  }

  private requireOptions(): CustomJobOptions {
    if (!this.options)
      throw new ValidationError(
        'CustomJob',
        'this job was loaded from the server',
        'Its spec cannot be rebuilt; read gcaResource instead.',
      );
    return this.options;
  }

  private requireName(): string {
    if (!this.resource?.name)
      throw new ValidationError('CustomJob', 'the job has not been submitted', 'Call run() first.');
    return this.resource.name;
  }
}

function locationFromName<T extends { location?: string; project?: string }>(
  nameOrId: string,
  options: T,
): T {
  if (!nameOrId.startsWith('projects/')) return options;
  const { project, location } = parseResourceName(nameOrId, 'customJobs', 'customJob');
  return { ...options, project: options.project ?? project, location: options.location ?? location };
}
