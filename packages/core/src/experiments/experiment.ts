import { type InitOptions, resolveConfig } from '../config.ts';
import { StatusCode, ValidationError } from '../errors.ts';
import type { JsonValue } from '../value.ts';
import { tensorboardName } from './backing-tensorboard.ts';
import {
  BACKING_TENSORBOARD_KEY,
  EXPERIMENT_METADATA,
  SCHEMA_VERSION,
  SYSTEM_EXPERIMENT,
  SYSTEM_EXPERIMENT_RUN,
  SYSTEM_RUN,
  TENSORBOARD_LINK_KEY,
  validateExperimentName,
} from './constants.ts';
import { ExperimentRun } from './experiment-run.ts';
import { MetadataApi, type MetadataNode } from './metadata-api.ts';
import { sortColumns } from './table.ts';

/** Where an experiment lives (defaults from {@link init}). */
export type ExperimentLocation = Pick<InitOptions, 'project' | 'location' | 'emulator'>;

/**
 * One row of {@link Experiment.getDataFrame}: a run with its parameters and metrics, under the column names
 * of the Python SDK's `get_experiment_df()` (`param.lr`, `metric.accuracy`, `time_series_metric.loss`).
 */
export type ExperimentRow = {
  experiment_name: string;
  run_name: string;
  run_type: string;
  state: string;
} & Record<string, JsonValue | undefined>;

/**
 * A Vertex AI Experiment: a `system.Experiment` context in the `default` metadata store, whose child
 * contexts are its runs.
 *
 * @example
 * const exp = await Experiment.getOrCreate('pcam-resnet', { description: 'PCam baselines' });
 * const rows = await exp.getDataFrame();   // one row per run: run_name, state, param.*, metric.*
 * await exp.delete();
 */
export class Experiment {
  /** The experiment name (its context id). */
  readonly name: string;
  /** `projects/…/locations/…/metadataStores/default/contexts/{name}` */
  readonly resourceName: string;
  /** @internal */
  readonly api: MetadataApi;
  private node: MetadataNode;

  private constructor(api: MetadataApi, node: MetadataNode) {
    this.api = api;
    this.node = node;
    this.resourceName = node.name;
    this.name = node.name.split('/').pop()!;
  }

  /** The experiment's description (empty when it has none). */
  get description(): string {
    return this.node.description;
  }

  /** The TensorBoard storing this experiment's time-series metrics, if one is assigned. */
  get backingTensorboardResourceName(): string | undefined {
    return this.node.metadata[BACKING_TENSORBOARD_KEY] as string | undefined;
  }

  /** Creates an experiment; fails with ALREADY_EXISTS if the name is taken. */
  static async create(
    name: string,
    options: ExperimentLocation & { description?: string } = {},
  ): Promise<Experiment> {
    validateExperimentName(name, 'name');
    const api = await MetadataApi.for(await resolveConfig(options));
    await api.ensureDefaultStore();
    const node = await api.create('contexts', name, {
      displayName: name,
      schemaTitle: SYSTEM_EXPERIMENT,
      schemaVersion: SCHEMA_VERSION,
      metadata: { ...EXPERIMENT_METADATA },
      ...(options.description ? { description: options.description } : {}),
    });
    return new Experiment(api, node);
  }

  /** The experiment with this name (or context resource name), or undefined if there is none. */
  static async get(name: string, options: ExperimentLocation = {}): Promise<Experiment | undefined> {
    const api = await MetadataApi.for(await resolveConfig(options));
    const node = await api.get('contexts', name);
    return node ? Experiment.checked(api, node) : undefined;
  }

  /** Gets the experiment, creating it if needed; a new description replaces the old one. */
  static async getOrCreate(
    name: string,
    options: ExperimentLocation & { description?: string } = {},
  ): Promise<Experiment> {
    validateExperimentName(name, 'name');
    const api = await MetadataApi.for(await resolveConfig(options));
    await api.ensureDefaultStore();
    const found = await api.get('contexts', name);
    if (!found) {
      try {
        return await Experiment.create(name, options);
      } catch (err) {
        // Another process created it in between: use theirs.
        if ((err as { code?: number }).code !== StatusCode.ALREADY_EXISTS) throw err;
        return (await Experiment.get(name, options))!;
      }
    }
    const exp = Experiment.checked(api, found);
    if (options.description && options.description !== found.description)
      exp.node = await api.merge('contexts', found.name, {}, options.description);
    return exp;
  }

  /** Every Vertex AI Experiment of the project and location (TensorBoard-only experiments excluded). */
  static async list(options: ExperimentLocation = {}): Promise<Experiment[]> {
    const api = await MetadataApi.for(await resolveConfig(options));
    const nodes = await api.list('contexts', `schema_title="${SYSTEM_EXPERIMENT}"`);
    return nodes.filter((n) => !(TENSORBOARD_LINK_KEY in n.metadata)).map((n) => new Experiment(api, n));
  }

  private static checked(api: MetadataApi, node: MetadataNode): Experiment {
    if (node.schemaTitle !== SYSTEM_EXPERIMENT)
      throw new ValidationError(
        'experiment',
        `Experiment name ${node.name.split('/').pop()} is of type (${node.schemaTitle}) in this MetadataStore. It must of type ${SYSTEM_EXPERIMENT}`,
        'Choose another experiment name.',
      );
    if (TENSORBOARD_LINK_KEY in node.metadata)
      throw new ValidationError(
        'experiment',
        `Experiment name ${node.name.split('/').pop()} is a TensorboardExperiment context and cannot be used as a Vertex AI Experiment`,
        'Choose another experiment name.',
      );
    return new Experiment(api, node);
  }

  /** Reads the experiment again (description, backing TensorBoard). */
  async refresh(): Promise<this> {
    const node = await this.api.get('contexts', this.resourceName);
    if (!node)
      throw new ValidationError(
        'experiment',
        `${this.name} no longer exists`,
        'It was deleted; create it again.',
      );
    this.node = node;
    return this;
  }

  /** Assigns the TensorBoard (name or id) that stores time-series metrics; an experiment keeps its first one. */
  async assignBackingTensorboard(tensorboard: string): Promise<void> {
    const name = tensorboardName(this.api.config, tensorboard);
    await this.refresh();
    const current = this.backingTensorboardResourceName;
    if (current && current !== name)
      throw new ValidationError(
        'tensorboard',
        `Experiment ${this.name} already associated to tensorboard resource ${current}`,
        'An experiment keeps one backing TensorBoard: use it, or another experiment.',
      );
    const prefix = `projects/${this.api.config.project}/locations/${this.api.config.location}/`;
    if (!name.startsWith(prefix))
      throw new ValidationError(
        'tensorboard',
        `${name} is not in ${prefix.slice(0, -1)}`,
        'Use a TensorBoard in the experiment’s project and location.',
      );
    if (!current)
      this.node = await this.api.merge('contexts', this.resourceName, { [BACKING_TENSORBOARD_KEY]: name });
  }

  /** Every run of this experiment (`system.ExperimentRun` children, and preview-era `system.Run` executions). */
  listRuns(): Promise<ExperimentRun[]> {
    return ExperimentRun.list({ experiment: this });
  }

  /**
   * Parameters, metrics and the latest time-series metrics of every run, one row per run, as the Python
   * SDK's `Experiment.get_data_frame()`: columns `experiment_name`, `run_name`, `run_type`, `state`, then
   * `param.*`, `metric.*`, `time_series_metric.*`. Show it with {@link experimentTableHtml} or
   * {@link showExperimentTable}.
   */
  async getDataFrame(): Promise<ExperimentRow[]> {
    const runs = await this.listRuns();
    const rows: ExperimentRow[] = [];
    for (const run of runs) {
      const row: ExperimentRow = {
        experiment_name: this.name,
        run_name: run.name,
        run_type: run.legacy ? SYSTEM_RUN : SYSTEM_EXPERIMENT_RUN,
        state: run.cachedState(),
      };
      for (const [k, v] of Object.entries(run.cachedParams())) row[`param.${k}`] = v;
      for (const [k, v] of Object.entries(await run.getMetrics())) row[`metric.${k}`] = v;
      for (const [k, v] of Object.entries(await run.latestTimeSeriesMetrics()))
        row[`time_series_metric.${k}`] = v;
      rows.push(row);
    }
    const columns = sortColumns(rows);
    return rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])) as ExperimentRow);
  }

  /**
   * Deletes every run, then the experiment. Executions, artifacts and pipeline runs logged to it stay.
   * With `deleteBackingTensorboardRuns`, the runs' TensorBoard runs go too.
   */
  async delete(options: { deleteBackingTensorboardRuns?: boolean } = {}): Promise<void> {
    for (const run of await this.listRuns())
      await run.delete({ deleteBackingTensorboardRun: options.deleteBackingTensorboardRuns ?? false });
    await this.api.delete('contexts', this.resourceName);
  }
}

/** The experiment named by the options, or by `init({ experiment })`. */
export async function experimentFor(
  options: ExperimentLocation & { experiment?: Experiment | string },
): Promise<Experiment> {
  if (options.experiment && typeof options.experiment !== 'string') return options.experiment;
  const { experiment: _, ...where } = options;
  const config = await resolveConfig(where);
  const name = options.experiment ?? config.experiment;
  if (!name)
    throw new ValidationError(
      'experiment',
      'experiment must be provided or experiment should be set using init',
      "Pass { experiment: 'my-experiment' } or call init({ experiment: 'my-experiment' }) first.",
    );
  const found = await Experiment.get(name, where);
  if (!found)
    throw new ValidationError(
      'experiment',
      `Experiment ${name} does not exist`,
      'Create it with Experiment.create(…) or init({ experiment }) + startRun(…).',
    );
  return found;
}
