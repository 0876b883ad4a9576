import type { CostEstimate } from '../cost/estimate.ts';
import { automlImageRequestCost } from '../cost/request-cost.ts';
import { ValidationError } from '../errors.ts';
import { pollStates } from '../jobs/backoff.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import type { ProgressEvent, ProgressListener } from '../jobs/job-state.ts';
import { LogCursor, readJobLogs } from '../logs.ts';
import type { Model } from '../models/model.ts';
import { parseResourceName } from '../resource-names.ts';
import type { PipelineRequest } from '../training/pipeline-request.ts';
import type { PoolTask } from '../training/task-inputs.ts';
import { TrainingFailedError, TrainingJob } from '../training/training-job.ts';
import type { TrainingRunOptions } from '../training/training-options.ts';
import { fromProtoValue } from '../value.ts';
import {
  type AutoMLImageRunOptions,
  type AutoMLImageTrainingJobOptions,
  buildAutoMLImageRequest,
  validateAutoMLImageOptions,
} from './automl-image-request.ts';

const TERMINAL = new Set([
  'PIPELINE_STATE_SUCCEEDED',
  'PIPELINE_STATE_FAILED',
  'PIPELINE_STATE_CANCELLED',
  'PIPELINE_STATE_PAUSED',
]);

/**
 * AutoML image classification (the Python SDK's `AutoMLImageTrainingJob`): Vertex trains a model on an
 * `ImageDataset` within a budget of node hours and registers it with its evaluation. On the emulator the
 * training really runs on the local CPU (a small CNN in PyTorch; the budget becomes a local time budget) and
 * `run()` reports the trainer's lines as progress.
 *
 * @example
 * const job = new AutoMLImageTrainingJob({ displayName: 'digits', modelType: 'CLOUD' });
 * const model = await job.run({ dataset, budgetMilliNodeHours: 8000 });
 * const [evaluation] = await model!.evaluations();
 * console.log(evaluation.metrics.auPrc, evaluation.accuracy());
 */
export class AutoMLImageTrainingJob extends TrainingJob {
  private readonly automl: AutoMLImageTrainingJobOptions & { displayName: string };

  constructor(options: AutoMLImageTrainingJobOptions = {}) {
    validateAutoMLImageOptions(options);
    const displayName = options.displayName ?? `AutoMLImageTrainingJob ${localTimestamp(' ')}`;
    super({
      displayName,
      labels: options.labels,
      project: options.project,
      location: options.location,
      stagingBucket: options.stagingBucket,
      emulator: options.emulator,
    });
    this.automl = { ...options, displayName };
  }

  protected task(): Promise<PoolTask> {
    throw new ValidationError('task', 'AutoML jobs have no worker pools', 'Use run() with a dataset.');
  }

  /** The `CreateTrainingPipeline` request `run()` sends. */
  override async buildRequest(run: AutoMLImageRunOptions): Promise<PipelineRequest> {
    return buildAutoMLImageRequest(this.automl, run, await this.config());
  }

  /** What the training would cost on Vertex AI: its budget (the most Vertex bills) at the node-hour price. */
  override async estimateCost(run: AutoMLImageRunOptions): Promise<CostEstimate> {
    return automlImageRequestCost(await this.buildRequest(run), await this.config());
  }

  /**
   * Trains on `options.dataset`; with `sync` (default) waits and returns the registered Model, whose
   * `evaluations()` hold the test-split metrics.
   */
  override async run(options: AutoMLImageRunOptions): Promise<Model | undefined> {
    if (this.resourceName)
      throw new ValidationError(
        'run',
        'AutoML Image Training has already run',
        'Create a new job object to train again.',
      );
    return super.run(options as TrainingRunOptions);
  }

  /** Polls until the pipeline ends (following the trainer's log lines on the emulator); returns the Model. */
  override async wait(
    options: { onProgress?: ProgressListener; signal?: AbortSignal } = {},
  ): Promise<Model | undefined> {
    const config = await this.config();
    const emit = (e: ProgressEvent) => {
      options.onProgress?.(e);
      this.emit('progress', e);
    };
    const follow = config.emulator && (options.onProgress || this.listenerCount('progress'));
    const cursor = new LogCursor();
    const readLogs = async () => {
      if (!follow || !this.resourceName) return;
      const { project } = parseResourceName(this.resourceName, 'trainingPipelines');
      const id = this.resourceName.split('/').pop()!;
      try {
        const lines = await readJobLogs(config, project, id, { after: cursor.after });
        for (const l of cursor.take(lines))
          emit({
            type: 'log',
            resourceName: this.resourceName,
            task: l.task,
            line: l.text,
            timestamp: l.timestamp,
            severity: l.severity,
          });
      } catch (err) {
        emit({
          type: 'notice',
          resourceName: this.resourceName,
          message: `Could not read the trainer's logs: ${(err as Error).message}`,
        });
      }
    };
    await pollStates({
      resourceName: () => this.resourceName,
      refresh: () => this.refresh(),
      afterRefresh: readLogs,
      state: () => this.state,
      isDone: (state) => TERMINAL.has(state),
      emit,
      emulator: Boolean(config.emulator),
      signal: options.signal,
    });
    await readLogs();
    if (this.state !== 'PIPELINE_STATE_SUCCEEDED')
      throw new TrainingFailedError(`Training failed with:\n${this.error?.message ?? this.state}`);
    return this.model();
  }

  /** `trainingTaskMetadata.costMilliNodeHours` once the training ended (never above the budget). */
  get costMilliNodeHours(): number | undefined {
    const cost = this.metadata().costMilliNodeHours;
    return cost === undefined ? undefined : Number(cost);
  }

  /** `BUDGET_REACHED` or `MODEL_CONVERGED` (early stopping) once the training succeeded. */
  get successfulStopReason(): string | undefined {
    return this.metadata().successfulStopReason as string | undefined;
  }

  private metadata(): Record<string, unknown> {
    const meta = this.gcaResource?.trainingTaskMetadata;
    return ((meta ? fromProtoValue(meta as never) : null) ?? {}) as Record<string, unknown>;
  }
}
