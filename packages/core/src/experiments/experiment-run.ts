import { StatusCode, ValidationError } from '../errors.ts';
import type { JsonValue } from '../value.ts';
import {
  deleteTensorboardRun,
  ensureTensorboardRun,
  latestScalars,
  latestStep,
  tensorboardName,
  tensorboardRunArtifact,
  writeScalars,
} from './backing-tensorboard.ts';
import {
  type LoggableValue,
  METRIC_KEY,
  PARAM_KEY,
  type RunState,
  runContextId,
  SCHEMA_VERSION,
  STATE_KEY,
  SYSTEM_EXPERIMENT_RUN,
  SYSTEM_RUN,
  TB_RUN_ARTIFACT_SCHEMA,
  TB_RUN_ARTIFACT_SUFFIX,
  TRACKING_LABEL,
  validateLoggable,
  validateRunName,
  validateRunState,
  validateTimeSeries,
} from './constants.ts';
import { type Experiment, type ExperimentLocation, experimentFor } from './experiment.ts';
import type { MetadataApi, MetadataNode } from './metadata-api.ts';

/** Which experiment a run belongs to: an {@link Experiment}, its name, or (unset) `init({ experiment })`. */
export type ExperimentRunOptions = ExperimentLocation & { experiment?: Experiment | string };

/**
 * A run of a Vertex AI Experiment: a `system.ExperimentRun` context `{experiment}-{run}` whose metadata holds
 * `_params`, `_metrics` and `_state`, a child of the experiment's context.
 *
 * @example
 * const run = await ExperimentRun.create('lr-0-01', { experiment: 'pcam-resnet' });
 * await run.logParams({ learning_rate: 0.01, optimizer: 'adam' });
 * await run.logMetrics({ accuracy: 0.91 });
 * await run.end();                      // state COMPLETE
 */
export class ExperimentRun {
  readonly experiment: Experiment;
  /** The run name within its experiment. */
  readonly name: string;
  /** True for a run created by the Experiments preview (`system.Run` execution). */
  readonly legacy: boolean;
  private node: MetadataNode;
  private tensorboardRun: string | undefined;
  private largestStep: number | undefined;

  private constructor(experiment: Experiment, node: MetadataNode, legacy = false) {
    this.experiment = experiment;
    this.node = node;
    this.legacy = legacy;
    this.name =
      node.displayName ||
      node.name
        .split('/')
        .pop()!
        .slice(experiment.name.length + 1);
  }

  private get api(): MetadataApi {
    return this.experiment.api;
  }

  /** The run's context resource name. */
  get resourceName(): string {
    return this.node.name;
  }

  /** Creates a run (state RUNNING unless given); a run of that name must not exist yet. */
  static async create(
    run: string,
    options: ExperimentRunOptions & { tensorboard?: string; state?: RunState } = {},
  ): Promise<ExperimentRun> {
    const experiment = await experimentFor(options);
    validateRunName(experiment.name, run);
    const state = validateRunState(options.state ?? 'RUNNING');
    const id = runContextId(experiment.name, run);
    let node: MetadataNode;
    try {
      node = await experiment.api.create('contexts', id, {
        displayName: run,
        schemaTitle: SYSTEM_EXPERIMENT_RUN,
        schemaVersion: SCHEMA_VERSION,
        metadata: { [PARAM_KEY]: {}, [METRIC_KEY]: {}, [STATE_KEY]: state },
      });
    } catch (err) {
      if ((err as { code?: number }).code !== StatusCode.ALREADY_EXISTS) throw err;
      throw new ValidationError(
        'run',
        `Experiment Run with name ${run} in ${experiment.name} already exists`,
        `Resume it with startRun('${run}', { resume: true }) or ExperimentRun.get('${run}'), or choose another name.`,
      );
    }
    const created = new ExperimentRun(experiment, node);
    const tensorboard = options.tensorboard ?? (await experiment.refresh()).backingTensorboardResourceName;
    if (tensorboard) await created.assignBackingTensorboard(tensorboard);
    await experiment.api.addContextChildren(experiment.resourceName, [node.name]);
    return created;
  }

  /** The run of that name, or undefined if there is none. */
  static async get(run: string, options: ExperimentRunOptions = {}): Promise<ExperimentRun | undefined> {
    const experiment = await experimentFor(options);
    const id = runContextId(experiment.name, run);
    const node = await experiment.api.get('contexts', id);
    if (node) {
      if (node.schemaTitle !== SYSTEM_EXPERIMENT_RUN)
        throw new ValidationError(
          'run',
          `Run ${run} must be of type ${SYSTEM_EXPERIMENT_RUN} but is of type ${node.schemaTitle}`,
          'Choose another run name.',
        );
      return new ExperimentRun(experiment, node);
    }
    const execution = await experiment.api.get('executions', id);
    return execution?.schemaTitle === SYSTEM_RUN ? new ExperimentRun(experiment, execution, true) : undefined;
  }

  /** Every run of an experiment, oldest first. */
  static async list(options: ExperimentRunOptions = {}): Promise<ExperimentRun[]> {
    const experiment = await experimentFor(options);
    const api = experiment.api;
    const contexts = await api.list(
      'contexts',
      `schema_title="${SYSTEM_EXPERIMENT_RUN}" AND parent_contexts:"${experiment.resourceName}"`,
    );
    const executions = await api.list(
      'executions',
      `schema_title="${SYSTEM_RUN}" AND in_context("${experiment.resourceName}")`,
    );
    const byTime = (a: MetadataNode, b: MetadataNode) =>
      (a.createTime?.getTime() ?? 0) - (b.createTime?.getTime() ?? 0);
    return [
      ...contexts.sort(byTime).map((n) => new ExperimentRun(experiment, n)),
      ...executions.sort(byTime).map((n) => new ExperimentRun(experiment, n, true)),
    ];
  }

  /** Logs parameters (numbers or strings); a key logged again is overwritten. */
  async logParams(params: Record<string, LoggableValue>): Promise<void> {
    const values = validateLoggable(params, 'params');
    this.node = this.legacy
      ? await this.api.merge('executions', this.node.name, values)
      : await this.api.merge('contexts', this.node.name, { [PARAM_KEY]: values });
  }

  /** Logs summary metrics (numbers or strings); a key logged again is overwritten. */
  async logMetrics(metrics: Record<string, LoggableValue>): Promise<void> {
    const values = validateLoggable(metrics, 'metrics');
    if (this.legacy) await this.api.merge('artifacts', `${this.node.name.split('/').pop()}-metrics`, values);
    else this.node = await this.api.merge('contexts', this.node.name, { [METRIC_KEY]: values });
  }

  /** Sets the run's state. */
  async updateState(state: RunState): Promise<void> {
    validateRunState(state);
    if (this.legacy)
      throw new ValidationError(
        'run',
        `${this.name} is a preview-era run whose state cannot change`,
        'Create a new run.',
      );
    this.node = await this.api.merge('contexts', this.node.name, { [STATE_KEY]: state });
  }

  /** Ends the run: state COMPLETE unless given (Python `end_run`). */
  end(state: RunState = 'COMPLETE'): Promise<void> {
    return this.updateState(state);
  }

  /** The parameters as logged (read from the service). */
  async getParams(): Promise<Record<string, JsonValue>> {
    await this.refresh();
    return this.cachedParams();
  }

  /** The summary metrics as logged (read from the service). */
  async getMetrics(): Promise<Record<string, JsonValue>> {
    if (this.legacy)
      return (await this.api.get('artifacts', `${this.node.name.split('/').pop()}-metrics`))?.metadata ?? {};
    await this.refresh();
    return { ...((this.node.metadata[METRIC_KEY] as Record<string, JsonValue>) ?? {}) };
  }

  /** The run's state (read from the service). */
  async getState(): Promise<RunState> {
    await this.refresh();
    return this.cachedState() as RunState;
  }

  /** @internal Parameters from the last read. */
  cachedParams(): Record<string, JsonValue> {
    return {
      ...((this.legacy ? this.node.metadata : this.node.metadata[PARAM_KEY]) as Record<string, JsonValue>),
    };
  }

  /** @internal State from the last read. */
  cachedState(): string {
    return this.legacy
      ? (this.node.state ?? 'STATE_UNSPECIFIED')
      : String(this.node.metadata[STATE_KEY] ?? '');
  }

  private async refresh(): Promise<void> {
    const node = await this.api.get(this.legacy ? 'executions' : 'contexts', this.node.name);
    if (!node)
      throw new ValidationError(
        'run',
        `${this.name} no longer exists in experiment ${this.experiment.name}`,
        'It was deleted; start a new run.',
      );
    this.node = node;
  }

  /** The TensorBoard run behind this run's time-series metrics (from its `-tb-run` artifact), if any. */
  async backingTensorboardRun(): Promise<string | undefined> {
    if (this.tensorboardRun || this.legacy) return this.tensorboardRun;
    const artifact = await this.api.get(
      'artifacts',
      `${this.node.name.split('/').pop()}${TB_RUN_ARTIFACT_SUFFIX}`,
    );
    if (artifact?.schemaTitle === TB_RUN_ARTIFACT_SCHEMA && artifact.metadata[TRACKING_LABEL])
      this.tensorboardRun = artifact.metadata.resourceName as string;
    return this.tensorboardRun;
  }

  /** Backs this run with a TensorboardRun in `tensorboard` (name or id) and records it as a `-tb-run` artifact. */
  async assignBackingTensorboard(tensorboard: string): Promise<void> {
    if (await this.backingTensorboardRun())
      throw new ValidationError(
        'tensorboard',
        `Experiment run ${this.name} already associated to tensorboard resource ${this.tensorboardRun}`,
        'A run keeps one TensorBoard run.',
      );
    const config = this.api.config;
    const tbRun = await ensureTensorboardRun(
      config,
      tensorboardName(config, tensorboard),
      this.experiment.name,
      this.name,
    );
    const artifact = await this.api.create(
      'artifacts',
      `${this.node.name.split('/').pop()}${TB_RUN_ARTIFACT_SUFFIX}`,
      tensorboardRunArtifact(config, tbRun),
    );
    await this.api.addArtifacts(this.node.name, [artifact.name]);
    this.tensorboardRun = tbRun;
  }

  /**
   * Logs scalar time series (e.g. a loss per epoch) to the backing TensorBoard run; without `step`, the
   * last step logged + 1. Needs a backing TensorBoard: `init({ experimentTensorboard })` or
   * {@link ExperimentRun.assignBackingTensorboard}.
   */
  async logTimeSeriesMetrics(
    metrics: Record<string, number>,
    step?: number,
    wallTime = new Date(),
  ): Promise<void> {
    validateTimeSeries(metrics, step);
    let tbRun = await this.backingTensorboardRun();
    if (!tbRun) {
      const tensorboard = (await this.experiment.refresh()).backingTensorboardResourceName;
      if (tensorboard) await this.assignBackingTensorboard(tensorboard);
      tbRun = this.tensorboardRun;
    }
    if (!tbRun)
      throw new ValidationError(
        'tensorboard',
        'Please set this experiment run with backing tensorboard resource to use log_time_series_metrics',
        "Pass init({ experiment, experimentTensorboard: 'projects/…/tensorboards/…' }) (or true for the default TensorBoard), or call run.assignBackingTensorboard(…).",
      );
    const at = step ?? (this.largestStep ?? (await latestStep(this.api.config, tbRun))) + 1;
    await writeScalars(this.api.config, tbRun, metrics, at, wallTime);
    this.largestStep = Math.max(this.largestStep ?? 0, at);
  }

  /** The last value of each time series (empty without a backing TensorBoard). */
  async latestTimeSeriesMetrics(): Promise<Record<string, number>> {
    const tbRun = await this.backingTensorboardRun();
    return tbRun ? latestScalars(this.api.config, tbRun) : {};
  }

  /** Deletes the run (and, if asked, its TensorBoard run); artifacts and executions logged to it stay. */
  async delete(options: { deleteBackingTensorboardRun?: boolean } = {}): Promise<void> {
    if (options.deleteBackingTensorboardRun && !this.legacy) {
      const tbRun = await this.backingTensorboardRun();
      if (tbRun) {
        await deleteTensorboardRun(this.api.config, tbRun);
        await this.api.delete('artifacts', `${this.node.name.split('/').pop()}${TB_RUN_ARTIFACT_SUFFIX}`);
      }
    }
    await this.api.delete(this.legacy ? 'executions' : 'contexts', this.node.name);
    if (this.legacy) await this.api.delete('artifacts', `${this.node.name.split('/').pop()}-metrics`);
  }
}
