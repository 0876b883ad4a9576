import type { protos } from '@google-cloud/aiplatform';
import { type ResolvedConfig, resolveConfig } from '../config.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { tensorboardResourceName, validateChildId, type Where, whereOf } from './names.ts';
import { readExperimentScalars } from './read-scalars.ts';
import { callTensorboardService, compact, TensorboardResourceBase, whereOfConfig, wrap } from './resource.ts';
import type { ScalarSeries } from './scalars.ts';
import { TensorboardRun } from './tensorboard-run.ts';

type IExperiment = protos.google.cloud.aiplatform.v1.ITensorboardExperiment;

/** Options of {@link TensorboardExperiment.create}, as the Python SDK's arguments. */
export interface TensorboardExperimentCreateOptions extends Where {
  /** The experiment id: 1–128 characters of `[a-z0-9-]`. */
  tensorboardExperimentId: string;
  /** The tensorboard: its id or full name. */
  tensorboardName: string;
  displayName?: string;
  description?: string;
  labels?: Record<string, string>;
}

/** The `CreateTensorboardExperiment` request {@link TensorboardExperiment.create} sends. */
export function buildCreateExperimentRequest(
  o: Omit<TensorboardExperimentCreateOptions, keyof Where>,
  config: Pick<ResolvedConfig, 'project' | 'location'>,
): { parent: string; tensorboardExperimentId: string; tensorboardExperiment: IExperiment } {
  validateChildId(o.tensorboardExperimentId, 'tensorboardExperimentId');
  if (o.displayName !== undefined) validateDisplayName(o.displayName);
  if (o.labels !== undefined) validateLabels(o.labels);
  return {
    parent: tensorboardResourceName(
      o.tensorboardName,
      1,
      {},
      config.project,
      config.location,
      'tensorboardName',
    ),
    tensorboardExperimentId: o.tensorboardExperimentId,
    tensorboardExperiment: compact({
      displayName: o.displayName,
      description: o.description,
      labels: o.labels && Object.keys(o.labels).length ? o.labels : undefined,
    }),
  };
}

/**
 * An experiment in a tensorboard: the runs of one training job (Vertex names it after the job id) or of
 * one log upload.
 *
 * @example
 * const exp = await TensorboardExperiment.get('my-experiment', { tensorboardId: '123' });
 * for (const s of await exp.readScalars()) console.log(s.run, s.tag, s.points.at(-1)?.value);
 */
export class TensorboardExperiment extends TensorboardResourceBase<IExperiment> {
  /**
   * Creates an experiment in a tensorboard.
   *
   * @example
   * const exp = await TensorboardExperiment.create({ tensorboardExperimentId: 'lr-sweep', tensorboardName: tb.resourceName });
   */
  static async create(options: TensorboardExperimentCreateOptions): Promise<TensorboardExperiment> {
    const config = await resolveConfig(whereOf(options.tensorboardName, options));
    const request = buildCreateExperimentRequest(options, config);
    const created = await callTensorboardService(
      config,
      `Creating tensorboard experiment ${options.tensorboardExperimentId}`,
      async (c) => {
        const [exp] = await c.createTensorboardExperiment(request);
        return exp;
      },
    );
    return wrap(TensorboardExperiment, created, config);
  }

  /**
   * Finds an experiment by full name, or by id with `tensorboardId` (an id or full name).
   *
   * @example
   * await TensorboardExperiment.get('projects/p/locations/us-central1/tensorboards/123/experiments/my-exp');
   */
  static async get(
    nameOrId: string,
    options: Where & { tensorboardId?: string } = {},
  ): Promise<TensorboardExperiment> {
    const config = await resolveConfig(whereOf(nameOrId, whereOf(options.tensorboardId, options)));
    const name = tensorboardResourceName(
      nameOrId,
      2,
      { tensorboard: options.tensorboardId },
      config.project,
      config.location,
      'tensorboardExperimentName',
    );
    const resource = await callTensorboardService(
      config,
      `Getting tensorboard experiment ${name}`,
      async (c) => {
        const [exp] = await c.getTensorboardExperiment({ name });
        return exp;
      },
    );
    return wrap(TensorboardExperiment, resource, config);
  }

  /**
   * The experiments of a tensorboard.
   *
   * @example
   * const exps = await TensorboardExperiment.list({ tensorboardName: '123', orderBy: 'create_time desc' });
   */
  static async list(
    options: Where & { tensorboardName: string; filter?: string; orderBy?: string },
  ): Promise<TensorboardExperiment[]> {
    const config = await resolveConfig(whereOf(options.tensorboardName, options));
    const parent = tensorboardResourceName(
      options.tensorboardName,
      1,
      {},
      config.project,
      config.location,
      'tensorboardName',
    );
    const found = await callTensorboardService(config, `Listing experiments of ${parent}`, async (c) => {
      const [exps] = await c.listTensorboardExperiments(
        compact({ parent, filter: options.filter, orderBy: options.orderBy }),
      );
      return exps;
    });
    return found.map((r) => wrap(TensorboardExperiment, r, config));
  }

  /** The full name of the tensorboard this experiment belongs to. */
  get tensorboardName(): string {
    return this.resourceName.replace(/\/experiments\/[^/]+$/, '');
  }

  /** This experiment's runs. */
  runs(options: { filter?: string; orderBy?: string } = {}): Promise<TensorboardRun[]> {
    return TensorboardRun.list({
      ...options,
      tensorboardExperimentName: this.resourceName,
      ...whereOfConfig(this.config),
    });
  }

  /**
   * Every scalar of every run, one entry per run and tag, points sorted by step. Reads each run's time
   * series with BatchReadTensorboardTimeSeriesData (20 at a time, as the Python SDK does).
   *
   * @example
   * const series = await experiment.readScalars();
   * const loss = series.filter((s) => s.tag === 'loss');
   */
  async readScalars(): Promise<ScalarSeries[]> {
    return readExperimentScalars(this.config, this.resourceName);
  }

  /** Deletes the experiment with its runs and data. */
  async delete(): Promise<void> {
    await this.call(`Deleting tensorboard experiment ${this.resourceName}`, async (c) => {
      const [op] = await c.deleteTensorboardExperiment({ name: this.resourceName });
      await op.promise();
    });
  }
}
