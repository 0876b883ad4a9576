import type { protos } from '@google-cloud/aiplatform';
import { resolveConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { tensorboardResourceName, validateChildId, whereOf } from './names.ts';
import { readRunScalars } from './read-scalars.ts';
import { callTensorboardService, compact, TensorboardResourceBase, whereOfConfig, wrap } from './resource.ts';
import { batchRunWrites, type ScalarSeries, type ScalarValue, type ScalarWrite } from './scalars.ts';
import {
  type RunParents,
  runNameOf,
  TensorboardTimeSeries,
  type TensorboardTimeSeriesCreateOptions,
} from './tensorboard-time-series.ts';

type IRun = protos.google.cloud.aiplatform.v1.ITensorboardRun;

/** Options of {@link TensorboardRun.create}, as the Python SDK's arguments. */
export interface TensorboardRunCreateOptions extends Pick<RunParents, 'project' | 'location' | 'emulator'> {
  /** The run id: 1–128 characters of `[a-z0-9-]`. */
  tensorboardRunId: string;
  /** The experiment: its full name, or its id with `tensorboardId`. */
  tensorboardExperimentName: string;
  tensorboardId?: string;
  /** Default: the run id, as the Python SDK does. */
  displayName?: string;
  description?: string;
  labels?: Record<string, string>;
}

/** The `CreateTensorboardRun` request {@link TensorboardRun.create} sends. */
export function buildCreateRunRequest(
  o: TensorboardRunCreateOptions,
  config: { project: string; location: string },
): { parent: string; tensorboardRunId: string; tensorboardRun: IRun } {
  validateChildId(o.tensorboardRunId, 'tensorboardRunId');
  if (o.displayName !== undefined) validateDisplayName(o.displayName);
  if (o.labels !== undefined) validateLabels(o.labels);
  return {
    parent: tensorboardResourceName(
      o.tensorboardExperimentName,
      2,
      { tensorboard: o.tensorboardId },
      config.project,
      config.location,
      'tensorboardExperimentName',
    ),
    tensorboardRunId: o.tensorboardRunId,
    tensorboardRun: compact({
      displayName: o.displayName ?? o.tensorboardRunId,
      description: o.description,
      labels: o.labels && Object.keys(o.labels).length ? o.labels : undefined,
    }),
  };
}

/**
 * One run of an experiment (e.g. one log folder of a training job): a set of time series by tag.
 *
 * @example
 * const run = await TensorboardRun.create({ tensorboardRunId: 'baseline', tensorboardExperimentName: exp.resourceName });
 * await run.writeScalars([{ tag: 'loss', step: 1, value: 0.7 }, { tag: 'loss', step: 2, value: 0.4 }]);
 * const series = await run.readScalars(); // [{ run: 'baseline', tag: 'loss', points: [...] }]
 */
export class TensorboardRun extends TensorboardResourceBase<IRun> {
  /** Creates a run in an experiment. */
  static async create(options: TensorboardRunCreateOptions): Promise<TensorboardRun> {
    const config = await resolveConfig(whereOf(options.tensorboardExperimentName, options));
    const request = buildCreateRunRequest(options, config);
    const created = await callTensorboardService(
      config,
      `Creating tensorboard run ${options.tensorboardRunId} in ${request.parent}`,
      async (c) => {
        const [run] = await c.createTensorboardRun(request);
        return run;
      },
    );
    return wrap(TensorboardRun, created, config);
  }

  /** Finds a run by full name, or by id with `tensorboardId` and `tensorboardExperimentId`. */
  static async get(nameOrId: string, options: RunParents = {}): Promise<TensorboardRun> {
    const config = await resolveConfig(whereOf(nameOrId, whereOf(options.tensorboardId, options)));
    const name = runNameOf(nameOrId, options, config.project, config.location);
    const resource = await callTensorboardService(config, `Getting tensorboard run ${name}`, async (c) => {
      const [run] = await c.getTensorboardRun({ name });
      return run;
    });
    return wrap(TensorboardRun, resource, config);
  }

  /** The runs of an experiment (its full name, or its id with `tensorboardId`). */
  static async list(
    options: Pick<RunParents, 'project' | 'location' | 'emulator' | 'tensorboardId'> & {
      tensorboardExperimentName: string;
      filter?: string;
      orderBy?: string;
    },
  ): Promise<TensorboardRun[]> {
    const config = await resolveConfig(whereOf(options.tensorboardExperimentName, options));
    const parent = tensorboardResourceName(
      options.tensorboardExperimentName,
      2,
      { tensorboard: options.tensorboardId },
      config.project,
      config.location,
      'tensorboardExperimentName',
    );
    const found = await callTensorboardService(config, `Listing runs of ${parent}`, async (c) => {
      const [runs] = await c.listTensorboardRuns(
        compact({ parent, filter: options.filter, orderBy: options.orderBy }),
      );
      return runs;
    });
    return found.map((r) => wrap(TensorboardRun, r, config));
  }

  /** The full name of the experiment this run belongs to. */
  get tensorboardExperimentName(): string {
    return this.resourceName.replace(/\/runs\/[^/]+$/, '');
  }

  /** This run's time series. */
  timeSeries(options: { filter?: string } = {}): Promise<TensorboardTimeSeries[]> {
    return TensorboardTimeSeries.list({
      ...options,
      tensorboardRunName: this.resourceName,
      ...whereOfConfig(this.config),
    });
  }

  /** Creates a time series (a tag) in this run; SCALAR and plugin `scalars` unless told otherwise. */
  createTensorboardTimeSeries(
    displayName: string,
    options: Omit<TensorboardTimeSeriesCreateOptions, 'displayName' | 'tensorboardRunName'> = {},
  ): Promise<TensorboardTimeSeries> {
    return TensorboardTimeSeries.create({
      ...options,
      ...whereOfConfig(this.config),
      displayName,
      tensorboardRunName: this.resourceName,
    });
  }

  /**
   * Writes one value per tag at `step`, as the Python SDK's `write_tensorboard_scalar_data`: every tag
   * must already have a time series (see {@link createTensorboardTimeSeries}, or use {@link writeScalars}).
   * `wallTime` is a Date or seconds since the epoch (default now).
   *
   * @example
   * await run.writeTensorboardScalarData({ loss: 0.42, accuracy: 0.91 }, 3);
   */
  async writeTensorboardScalarData(
    timeSeriesData: Record<string, number>,
    step: number,
    wallTime: Date | number = new Date(),
  ): Promise<void> {
    const ids = await this.timeSeriesIds();
    const missing = Object.keys(timeSeriesData).filter((tag) => !ids.has(tag));
    if (missing.length)
      throw new ValidationError(
        'timeSeriesData',
        `no time series ${missing.map((t) => JSON.stringify(t)).join(', ')} in run ${this.resourceName}`,
        'Create them first with run.createTensorboardTimeSeries(tag), or use run.writeScalars(), which creates them.',
      );
    const seconds = wallTime instanceof Date ? wallTime.getTime() / 1000 : wallTime;
    await this.writePoints(
      Object.entries(timeSeriesData).map(([tag, value]) => ({ tag, step, value, wallTime: seconds })),
      ids,
    );
  }

  /**
   * Writes scalar points of any tags, creating the missing time series first; sent in batches under
   * Vertex's request size.
   *
   * @example
   * await run.writeScalars(history.map((h, step) => ({ tag: 'loss', step, value: h.loss })));
   */
  async writeScalars(points: readonly ScalarWrite[]): Promise<void> {
    for (const [i, p] of points.entries()) {
      if (!p.tag || !Number.isFinite(p.step) || typeof p.value !== 'number')
        throw new ValidationError(
          `points[${i}]`,
          `needs a tag, a finite step and a numeric value, got ${JSON.stringify(p)}`,
          'Pass e.g. { tag: "loss", step: 1, value: 0.5 }.',
        );
    }
    const ids = await this.timeSeriesIds();
    for (const tag of new Set(points.map((p) => p.tag))) {
      if (!ids.has(tag)) ids.set(tag, (await this.createTensorboardTimeSeries(tag)).id);
    }
    await this.writePoints(points, ids);
  }

  /** Scalar points by tag (the Python SDK's `read_time_series_data`, points sorted by step). */
  async readTimeSeriesData(): Promise<Record<string, ScalarValue[]>> {
    return Object.fromEntries((await this.readScalars()).map((s) => [s.tag, s.points]));
  }

  /** Every scalar series of this run, `run` being its display name. */
  readScalars(): Promise<ScalarSeries[]> {
    return readRunScalars(this.config, this.resourceName, this.displayName || this.id);
  }

  /** Deletes the run and its data. */
  async delete(): Promise<void> {
    await this.call(`Deleting tensorboard run ${this.resourceName}`, async (c) => {
      const [op] = await c.deleteTensorboardRun({ name: this.resourceName });
      await op.promise();
    });
  }

  private async timeSeriesIds(): Promise<Map<string, string>> {
    return new Map((await this.timeSeries()).map((ts) => [ts.displayName, ts.id]));
  }

  private async writePoints(points: readonly ScalarWrite[], ids: Map<string, string>): Promise<void> {
    const now = Date.now() / 1000;
    const byTag = new Map<string, { step: number; value: number; wallTime: number }[]>();
    for (const p of points) {
      const list = byTag.get(p.tag) ?? [];
      list.push({ step: p.step, value: p.value, wallTime: p.wallTime ?? now });
      byTag.set(p.tag, list);
    }
    const series = [...byTag].map(([tag, pts]) => ({ timeSeriesId: ids.get(tag)!, points: pts }));
    for (const batch of batchRunWrites([{ runName: this.resourceName, series }])) {
      for (const write of batch) {
        await this.call(`Writing scalars to ${this.resourceName}`, (c) =>
          c.writeTensorboardRunData(write as Parameters<typeof c.writeTensorboardRunData>[0]),
        );
      }
    }
  }
}
