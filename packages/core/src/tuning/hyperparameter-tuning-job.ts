import { EventEmitter } from 'node:events';
import type { protos } from '@google-cloud/aiplatform';
import { type InitOptions, type ResolvedConfig, resolveConfig } from '../config.ts';
import { jobServiceClient } from '../connection.ts';
import type { CostEstimate } from '../cost/estimate.ts';
import { checkCost } from '../cost/guard.ts';
import { tuningRequestCost } from '../cost/request-cost.ts';
import { JobFailedError, toApiError, ValidationError } from '../errors.ts';
import { pollStates } from '../jobs/backoff.ts';
import type { CustomJob, CustomJobRunOptions } from '../jobs/custom-job.ts';
import {
  isTerminalState,
  type JobState,
  type ProgressEvent,
  type ProgressListener,
} from '../jobs/job-state.ts';
import { toReadableJson } from '../resource-json.ts';
import { fullResourceName, locationPath, parseResourceName } from '../resource-names.ts';
import { validateDisplayName, validateLabels, validatePositiveInt } from '../validation.ts';
import type { StudyReportInput } from './study-report.ts';
import { buildStudySpec, type StudySpecOptions } from './study-spec.ts';
import { studyReportInput } from './study-summary.ts';
import { type Trial, toTrial } from './trials.ts';

type IHptJob = protos.google.cloud.aiplatform.v1.IHyperparameterTuningJob;
/** Where a resource lives: explicit values, else `init()` and the environment. @inline */
type Where = Pick<InitOptions, 'project' | 'location' | 'emulator'>;

/** Options of {@link HyperparameterTuningJob}, named like the Python SDK's. */
export interface HyperparameterTuningJobOptions extends Where, StudySpecOptions {
  displayName: string;
  /** The trial job: every trial runs its spec with the trial's hyperparameters appended as flags. */
  customJob: CustomJob;
  maxTrialCount: number;
  parallelTrialCount: number;
  maxFailedTrialCount?: number;
  labels?: Record<string, string>;
  encryptionSpecKeyName?: string;
}

/**
 * A Vertex AI hyperparameter tuning job: a study over `parameterSpec` whose trials run `customJob` in
 * parallel. `bestTrial()` / `topTrials(n)` (not in the Python SDK) give the configurations to train in full.
 */
export class HyperparameterTuningJob extends EventEmitter<{ progress: [ProgressEvent] }> {
  private readonly options?: HyperparameterTuningJobOptions;
  private resource?: IHptJob;
  private configPromise?: Promise<ResolvedConfig>;

  constructor(options: HyperparameterTuningJobOptions) {
    super();
    validateDisplayName(options.displayName);
    if (options.labels) validateLabels(options.labels);
    buildStudySpec(options);
    validatePositiveInt(options.maxTrialCount, 'maxTrialCount');
    validatePositiveInt(options.parallelTrialCount, 'parallelTrialCount');
    validatePositiveInt(options.maxFailedTrialCount ?? 0, 'maxFailedTrialCount', { allowZero: true });
    this.options = options;
  }

  /** Finds a tuning job by resource name or id (e.g. after a notebook restart). */
  static async get(nameOrId: string, options: Where = {}): Promise<HyperparameterTuningJob> {
    let where = options;
    if (nameOrId.startsWith('projects/')) {
      const { project, location } = parseResourceName(
        nameOrId,
        'hyperparameterTuningJobs',
        'hyperparameterTuningJob',
      );
      where = { ...options, project: options.project ?? project, location: options.location ?? location };
    }
    const config = await resolveConfig(where);
    const job = Object.create(HyperparameterTuningJob.prototype) as HyperparameterTuningJob;
    EventEmitter.call(job);
    job.configPromise = Promise.resolve(config);
    job.resource = {
      name: fullResourceName(
        nameOrId,
        'hyperparameterTuningJobs',
        config.project,
        config.location,
        'hyperparameterTuningJob',
      ),
    };
    return job.refresh();
  }

  /** The tuning jobs of the project and region, newest first; `filter` is Vertex's list filter. */
  static async list(options: Where & { filter?: string } = {}): Promise<HyperparameterTuningJob[]> {
    const config = await resolveConfig(options);
    const client = await jobServiceClient(config);
    try {
      const [jobs] = await client.listHyperparameterTuningJobs({
        parent: locationPath(config.project, config.location),
        filter: options.filter,
      });
      return jobs.map((resource) => {
        const job = Object.create(HyperparameterTuningJob.prototype) as HyperparameterTuningJob;
        EventEmitter.call(job);
        job.configPromise = Promise.resolve(config);
        job.resource = resource;
        return job;
      });
    } catch (err) {
      throw toApiError(err, 'Listing hyperparameter tuning jobs');
    }
  }

  /** The display name (the one given to the constructor until the job is created). */
  get displayName(): string {
    return this.resource?.displayName ?? this.options?.displayName ?? '';
  }

  /** Title, state, metric, scales and trials for `studyReportHtml()` / `showStudyCharts()`. */
  reportInput(): StudyReportInput {
    return studyReportInput({
      title: this.displayName,
      state: this.state,
      studySpec: this.resource?.studySpec,
      trials: this.trials(),
    });
  }

  /** The full resource name; empty until the job is created. */
  get resourceName(): string {
    return this.resource?.name ?? '';
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

  /** The job as the server last returned it (`undefined` before it is created). */
  get gcaResource(): IHptJob | undefined {
    return this.resource;
  }

  /** Readable JSON: RFC 3339 times, no empty defaults (for display and `--json`). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource ?? {}) as Record<string, unknown> | undefined) ?? {};
  }

  /** The request `run()` sends (run options go onto `trialJobSpec`, as in the Python SDK). */
  async buildRequest(
    run: CustomJobRunOptions = {},
  ): Promise<{ parent: string; hyperparameterTuningJob: Record<string, unknown> }> {
    const o = this.requireOptions();
    const config = await this.config();
    const { customJob } = await o.customJob.buildRequest(run);
    // The Python SDK always sends a selection, `best` unless told otherwise.
    const studySpec = buildStudySpec({ ...o, measurementSelection: o.measurementSelection ?? 'best' });
    const job: Record<string, unknown> = {
      displayName: o.displayName,
      studySpec,
      maxTrialCount: o.maxTrialCount,
      parallelTrialCount: o.parallelTrialCount,
      trialJobSpec: structuredClone(customJob.jobSpec),
    };
    if (o.maxFailedTrialCount) job.maxFailedTrialCount = o.maxFailedTrialCount;
    if (o.labels && Object.keys(o.labels).length) job.labels = o.labels;
    const kms = o.encryptionSpecKeyName ?? config.encryptionSpecKeyName;
    if (kms) job.encryptionSpec = { kmsKeyName: kms };
    return { parent: locationPath(config.project, config.location), hyperparameterTuningJob: job };
  }

  /**
   * What the study would cost on Vertex AI: the trial job's pools for `expectedDuration` (per trial), else
   * the timeout, else Vertex's default of 7 days, times `maxTrialCount` (parallelism does not change it).
   */
  async estimateCost(run: CustomJobRunOptions = {}): Promise<CostEstimate> {
    return tuningRequestCost(await this.buildRequest(run), run, await this.config());
  }

  /**
   * Submits the study; with `sync` (default) resolves when it ends, throwing if it failed. A `cost` event
   * comes first; above `maxCost` it throws {@link CostLimitError} and sends nothing.
   */
  async run(options: CustomJobRunOptions = {}): Promise<this> {
    if (this.resource?.name)
      throw new ValidationError(
        'run',
        'this tuning job was already submitted',
        'Create a new HyperparameterTuningJob to tune again.',
      );
    const request = await this.buildRequest(options);
    const config = await this.config();
    checkCost(
      () => tuningRequestCost(request, options, config),
      options,
      (e) => this.emitProgress(e, options.onProgress),
    );
    const client = await jobServiceClient(await this.config());
    try {
      const [created] = await client.createHyperparameterTuningJob(
        request as Parameters<typeof client.createHyperparameterTuningJob>[0],
      );
      this.resource = created;
    } catch (err) {
      throw toApiError(err, 'Creating the hyperparameter tuning job');
    }
    this.emitProgress(
      { type: 'created', resourceName: this.resourceName, displayName: this.options!.displayName },
      options.onProgress,
    );
    if (options.sync === false) return this;
    return this.wait({ onProgress: options.onProgress, signal: options.signal });
  }

  /** Polls until the study ends, emitting a `state` event per change and a `notice` per finished trial. */
  async wait(
    options: { onProgress?: ProgressListener; signal?: AbortSignal; throwOnFailure?: boolean } = {},
  ): Promise<this> {
    const config = await this.config();
    const reported = new Set<string>();
    const reportTrials = () => {
      for (const t of this.trials()) {
        if (t.endTime && !reported.has(t.id)) {
          reported.add(t.id);
          const value = t.finalMeasurement
            ? ` ${Object.entries(t.finalMeasurement.metrics)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}`
            : '';
          this.emitProgress(
            {
              type: 'notice',
              resourceName: this.resourceName,
              message: `trial ${t.id} ${t.state}${value} ${JSON.stringify(t.parameters)}${t.infeasibleReason ? `: ${t.infeasibleReason}` : ''}`,
            },
            options.onProgress,
          );
        }
      }
    };
    await pollStates({
      resourceName: () => this.resourceName,
      refresh: () => this.refresh(),
      afterRefresh: reportTrials,
      state: () => this.state,
      isDone: isTerminalState,
      emit: (e) => this.emitProgress(e, options.onProgress),
      emulator: Boolean(config.emulator),
      signal: options.signal,
      cloudDelays: [5000, 60_000],
    });
    if (
      (options.throwOnFailure ?? true) &&
      (this.state === 'JOB_STATE_FAILED' || this.state === 'JOB_STATE_CANCELLED')
    ) {
      throw new JobFailedError(this.resourceName, this.state, this.error?.message ?? 'no error message');
    }
    return this;
  }

  /** Reads the job again from the server. */
  async refresh(): Promise<this> {
    const client = await jobServiceClient(await this.config());
    try {
      const [resource] = await client.getHyperparameterTuningJob({ name: this.resourceName });
      this.resource = resource;
    } catch (err) {
      throw toApiError(err, `Getting hyperparameter tuning job ${this.resourceName}`);
    }
    return this;
  }

  /** Asks Vertex AI to cancel the running job. */
  async cancel(): Promise<void> {
    const client = await jobServiceClient(await this.config());
    try {
      await client.cancelHyperparameterTuningJob({ name: this.resourceName });
    } catch (err) {
      throw toApiError(err, `Cancelling hyperparameter tuning job ${this.resourceName}`);
    }
  }

  /** The trials as of the last refresh. */
  trials(): Trial[] {
    return (this.resource?.trials ?? []).map(toTrial);
  }

  /**
   * The best `n` succeeded trials by the study's first metric and goal (an extension: the Python SDK has no
   * best-trial helper). Their `parameters` can be passed as flags to a full training run.
   */
  topTrials(n = 1): Trial[] {
    const metric = this.resource?.studySpec?.metrics?.[0];
    if (!metric?.metricId) return [];
    const sign = metric.goal === 'MINIMIZE' ? 1 : -1;
    return this.trials()
      .filter((t) => t.state === 'SUCCEEDED' && t.finalMeasurement?.metrics[metric.metricId!] !== undefined)
      .sort(
        (a, b) =>
          sign *
          (a.finalMeasurement!.metrics[metric.metricId!]! - b.finalMeasurement!.metrics[metric.metricId!]!),
      )
      .slice(0, n);
  }

  /** The best succeeded trial, or undefined when none succeeded. */
  bestTrial(): Trial | undefined {
    return this.topTrials(1)[0];
  }

  private config(): Promise<ResolvedConfig> {
    this.configPromise ??= resolveConfig({
      project: this.options?.project,
      location: this.options?.location,
      emulator: this.options?.emulator,
    });
    return this.configPromise;
  }

  private requireOptions(): HyperparameterTuningJobOptions {
    if (!this.options)
      throw new ValidationError(
        'HyperparameterTuningJob',
        'this job was loaded from the server',
        'Read gcaResource or trials() instead.',
      );
    return this.options;
  }

  private emitProgress(event: ProgressEvent, listener?: ProgressListener): void {
    listener?.(event);
    this.emit('progress', event);
  }
}
