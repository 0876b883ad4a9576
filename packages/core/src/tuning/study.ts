import type { protos } from '@google-cloud/aiplatform';
import { type InitOptions, type ResolvedConfig, resolveConfig } from '../config.ts';
import { vizierServiceClient } from '../connection.ts';
import { StatusCode, toApiError, ValidationError } from '../errors.ts';
import { toReadableJson } from '../resource-json.ts';
import { fullResourceName, locationPath, parseResourceName } from '../resource-names.ts';
import { validateDisplayName } from '../validation.ts';
import type { StudyReportInput } from './study-report.ts';
import { buildStudySpec, type StudySpecOptions } from './study-spec.ts';
import { studyReportInput } from './study-summary.ts';
import { type MeasurementPosition, StudyTrial, toMeasurement } from './study-trial.ts';
import { enumName } from './trials.ts';

type IStudy = protos.google.cloud.aiplatform.v1.IStudy;
/** Where a resource lives: explicit values, else `init()` and the environment. @inline */
type Where = Pick<InitOptions, 'project' | 'location' | 'emulator'>;

/** Options of {@link Study.create} and {@link Study.createOrLoad}. */
export interface StudyOptions extends Where, StudySpecOptions {
  /** Unique within the project and region; `createOrLoad` finds the study by it. */
  displayName: string;
}

/** Options of {@link Study.suggest}. */
export interface SuggestOptions {
  /** How many trials (default 1): a batch for parallel workers. */
  count?: number;
  /** Who evaluates them; a client asking again gets its unfinished trials back first. Default `default`. */
  clientId?: string;
}

/**
 * A Vertex AI Vizier study driven from TypeScript: ask for trials, evaluate them anywhere (in the
 * notebook, on a cluster), report measurements, and let the study's search (the Bayesian GP bandit by
 * default, or grid or random) pick the next points. Works the same against Vertex and the emulator.
 *
 * @example
 * const study = await Study.createOrLoad({
 *   displayName: 'branin', metricSpec: { y: 'minimize' },
 *   parameterSpec: { x1: doubleParameter(-5, 10), x2: doubleParameter(0, 15) },
 * });
 * for (let i = 0; i < 30; i++) {
 *   const [trial] = await study.suggest();
 *   await trial!.complete({ y: branin(trial!.parameters) });
 * }
 * const [best] = await study.optimalTrials();
 */
export class Study {
  private resource: IStudy;
  private readonly config: ResolvedConfig;

  private constructor(resource: IStudy, config: ResolvedConfig) {
    this.resource = resource;
    this.config = config;
  }

  /** Creates a study; fails with ALREADY_EXISTS when one of that display name exists. */
  static async create(options: StudyOptions): Promise<Study> {
    const { config, study } = await Study.prepare(options);
    const client = await vizierServiceClient(config);
    try {
      const [created] = await client.createStudy({
        parent: locationPath(config.project, config.location),
        study,
      });
      return new Study(created, config);
    } catch (err) {
      throw toApiError(err, `Creating study ${options.displayName}`);
    }
  }

  /**
   * The study of this display name if it exists (e.g. after a kernel restart), else a new one. An existing
   * study must have the same metrics and parameter ids.
   */
  static async createOrLoad(options: StudyOptions): Promise<Study> {
    const { config, study } = await Study.prepare(options);
    const client = await vizierServiceClient(config);
    const parent = locationPath(config.project, config.location);
    try {
      const [found] = await client.lookupStudy({ parent, displayName: options.displayName });
      const ids = (s: IStudy | typeof study) =>
        JSON.stringify([
          (s.studySpec?.metrics ?? []).map((m) => m.metricId),
          (s.studySpec?.parameters ?? []).map((p) => p.parameterId),
        ]);
      if (ids(found) !== ids(study))
        throw new ValidationError(
          'displayName',
          `study ${JSON.stringify(options.displayName)} exists with other metrics or parameters (${ids(found)})`,
          'Use another displayName, or delete the old study first.',
        );
      return new Study(found, config);
    } catch (err) {
      if (err instanceof ValidationError) throw err;
      if ((err as { code?: number }).code !== StatusCode.NOT_FOUND)
        throw toApiError(err, `Looking up study ${options.displayName}`);
    }
    return Study.create(options);
  }

  /** Loads a study by resource name or id. */
  static async get(nameOrId: string, options: Where = {}): Promise<Study> {
    let where = options;
    if (nameOrId.startsWith('projects/')) {
      const { project, location } = parseResourceName(nameOrId, 'studies', 'study');
      where = { ...options, project: options.project ?? project, location: options.location ?? location };
    }
    const config = await resolveConfig(where);
    const name = fullResourceName(nameOrId, 'studies', config.project, config.location, 'study');
    return new Study({ name }, config).refresh();
  }

  /** The studies of the project and region. */
  static async list(options: Where = {}): Promise<Study[]> {
    const config = await resolveConfig(options);
    const client = await vizierServiceClient(config);
    try {
      const [studies] = await client.listStudies({ parent: locationPath(config.project, config.location) });
      return studies.map((s) => new Study(s, config));
    } catch (err) {
      throw toApiError(err, 'Listing studies');
    }
  }

  /** The full resource name (`projects/…/locations/…/…`). */
  get resourceName(): string {
    return this.resource.name ?? '';
  }

  /** The display name. */
  get displayName(): string {
    return this.resource.displayName ?? '';
  }

  /** `ACTIVE`, `INACTIVE` or `COMPLETED` (a grid study that ran out of points). */
  get state(): string {
    return enumName(this.resource.state, ['STATE_UNSPECIFIED', 'ACTIVE', 'INACTIVE', 'COMPLETED']);
  }

  /** The study as the server last returned it. */
  get gcaResource(): IStudy {
    return this.resource;
  }

  /** Readable JSON: RFC 3339 times, no empty defaults (for display and `--json`). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource) as Record<string, unknown> | undefined) ?? {};
  }

  /** New trials to evaluate (a long-running operation on the service). Fewer come back when a grid is used up. */
  async suggest(options: SuggestOptions = {}): Promise<StudyTrial[]> {
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new ValidationError('count', `${count} is not a positive integer`, 'Ask for 1 or more trials.');
    const client = await vizierServiceClient(this.config);
    try {
      const [op] = await client.suggestTrials({
        parent: this.resourceName,
        suggestionCount: count,
        clientId: options.clientId ?? 'default',
      });
      const [response] = await op.promise();
      if (response.studyState) this.resource = { ...this.resource, state: response.studyState };
      return (response.trials ?? []).map((t) => new StudyTrial(t, this.config));
    } catch (err) {
      throw toApiError(err, `Suggesting trials of study ${this.resourceName}`);
    }
  }

  /** Adds a trial of your own: a point to evaluate next (REQUESTED), or one already evaluated. */
  async addTrial(
    parameters: Record<string, number | string>,
    result?: { metrics: Record<string, number> } & MeasurementPosition,
  ): Promise<StudyTrial> {
    const client = await vizierServiceClient(this.config);
    const trial = {
      parameters: Object.entries(parameters).map(([parameterId, v]) => ({
        parameterId,
        value: typeof v === 'number' ? { numberValue: v } : { stringValue: v },
      })),
      ...(result ? { finalMeasurement: toMeasurement(result.metrics, result) } : {}),
    };
    try {
      const [created] = await client.createTrial({ parent: this.resourceName, trial });
      return new StudyTrial(created, this.config);
    } catch (err) {
      throw toApiError(err, `Adding a trial to study ${this.resourceName}`);
    }
  }

  /** Every trial of the study, in id order. */
  async trials(): Promise<StudyTrial[]> {
    const client = await vizierServiceClient(this.config);
    try {
      const [trials] = await client.listTrials({ parent: this.resourceName });
      return trials.map((t) => new StudyTrial(t, this.config));
    } catch (err) {
      throw toApiError(err, `Listing trials of study ${this.resourceName}`);
    }
  }

  /** The best trials: with one metric those tied for the best value, with several the Pareto front. */
  async optimalTrials(): Promise<StudyTrial[]> {
    const client = await vizierServiceClient(this.config);
    try {
      const [response] = await client.listOptimalTrials({ parent: this.resourceName });
      return (response.optimalTrials ?? []).map((t) => new StudyTrial(t, this.config));
    } catch (err) {
      throw toApiError(err, `Listing optimal trials of study ${this.resourceName}`);
    }
  }

  /** Title, state, metric, scales and the current trials for `studyReportHtml()` / `showStudyCharts()`. */
  async reportInput(): Promise<StudyReportInput> {
    return studyReportInput({
      title: this.displayName,
      state: this.state,
      studySpec: this.resource.studySpec,
      trials: await this.trials(),
    });
  }

  /** Reads the study again from the server. */
  async refresh(): Promise<this> {
    const client = await vizierServiceClient(this.config);
    try {
      [this.resource] = await client.getStudy({ name: this.resourceName });
    } catch (err) {
      throw toApiError(err, `Getting study ${this.resourceName}`);
    }
    return this;
  }

  /** Deletes the study and its trials. */
  async delete(): Promise<void> {
    const client = await vizierServiceClient(this.config);
    try {
      await client.deleteStudy({ name: this.resourceName });
    } catch (err) {
      throw toApiError(err, `Deleting study ${this.resourceName}`);
    }
  }

  private static async prepare(options: StudyOptions) {
    validateDisplayName(options.displayName);
    const studySpec = buildStudySpec(options);
    const config = await resolveConfig(options);
    return { config, study: { displayName: options.displayName, studySpec } as IStudy };
  }
}
