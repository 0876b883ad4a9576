import type { protos } from '@google-cloud/aiplatform';
import { resolveConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { tensorboardResourceName, type Where, whereOf } from './names.ts';
import { callTensorboardService, compact, TensorboardResourceBase, wrap } from './resource.ts';
import { type ScalarValue, scalarValuesOf } from './scalars.ts';

type ITimeSeries = protos.google.cloud.aiplatform.v1.ITensorboardTimeSeries;

/** `TensorboardTimeSeries.ValueType` names. */
export type TimeSeriesValueType = 'SCALAR' | 'TENSOR' | 'BLOB_SEQUENCE';
const VALUE_TYPES: readonly TimeSeriesValueType[] = ['SCALAR', 'TENSOR', 'BLOB_SEQUENCE'];

/** Parents of a time series or run given by id (each an id, or the full name of the parent). */
export interface RunParents extends Where {
  tensorboardId?: string;
  tensorboardExperimentId?: string;
}

/** Options of {@link TensorboardTimeSeries.create}, as the Python SDK's arguments. */
export interface TensorboardTimeSeriesCreateOptions extends RunParents {
  /** The tag, unique within the run. */
  displayName: string;
  /** The run: its full name, or its id with `tensorboardId` and `tensorboardExperimentId`. */
  tensorboardRunName: string;
  /** Default `SCALAR`. */
  valueType?: TimeSeriesValueType;
  /** Default `scalars`. */
  pluginName?: string;
  pluginData?: Uint8Array;
  description?: string;
}

/** The full name of a run given by name or id with its parents. */
export function runNameOf(nameOrId: string, o: RunParents, project: string, location: string): string {
  return tensorboardResourceName(
    nameOrId,
    3,
    { tensorboard: o.tensorboardId, experiment: o.tensorboardExperimentId },
    project,
    location,
    'tensorboardRunName',
  );
}

/** The `CreateTensorboardTimeSeries` request {@link TensorboardTimeSeries.create} sends. */
export function buildCreateTimeSeriesRequest(
  o: TensorboardTimeSeriesCreateOptions,
  config: { project: string; location: string },
): { parent: string; tensorboardTimeSeries: ITimeSeries } {
  if (!o.displayName)
    throw new ValidationError('displayName', 'must not be empty', 'Give the tag, e.g. "loss".');
  const valueType = o.valueType ?? 'SCALAR';
  if (!VALUE_TYPES.includes(valueType))
    throw new ValidationError(
      'valueType',
      `${JSON.stringify(valueType)} is not a time series value type`,
      `Use one of ${VALUE_TYPES.join(', ')}.`,
    );
  return {
    parent: runNameOf(o.tensorboardRunName, o, config.project, config.location),
    tensorboardTimeSeries: compact({
      displayName: o.displayName,
      description: o.description,
      valueType,
      pluginName: o.pluginName ?? 'scalars',
      pluginData: o.pluginData,
    }),
  };
}

/**
 * One tag of one run: a series of values by step (scalars here).
 *
 * @example
 * const [loss] = await TensorboardTimeSeries.list({ tensorboardRunName: run.resourceName, filter: 'display_name = "loss"' });
 * const points = await loss.read();
 */
export class TensorboardTimeSeries extends TensorboardResourceBase<ITimeSeries> {
  /** Creates a time series in a run. */
  static async create(options: TensorboardTimeSeriesCreateOptions): Promise<TensorboardTimeSeries> {
    const config = await resolveConfig(whereOf(options.tensorboardRunName, options));
    const request = buildCreateTimeSeriesRequest(options, config);
    const created = await callTensorboardService(
      config,
      `Creating time series ${options.displayName} in ${request.parent}`,
      async (c) => {
        const [ts] = await c.createTensorboardTimeSeries(request);
        return ts;
      },
    );
    return wrap(TensorboardTimeSeries, created, config);
  }

  /** Finds a time series by full name, or by id with the ids of its tensorboard, experiment and run. */
  static async get(
    nameOrId: string,
    options: RunParents & { tensorboardRunId?: string } = {},
  ): Promise<TensorboardTimeSeries> {
    const config = await resolveConfig(whereOf(nameOrId, whereOf(options.tensorboardId, options)));
    const name = tensorboardResourceName(
      nameOrId,
      4,
      {
        tensorboard: options.tensorboardId,
        experiment: options.tensorboardExperimentId,
        run: options.tensorboardRunId,
      },
      config.project,
      config.location,
      'tensorboardTimeSeriesName',
    );
    const resource = await callTensorboardService(config, `Getting time series ${name}`, async (c) => {
      const [ts] = await c.getTensorboardTimeSeries({ name });
      return ts;
    });
    return wrap(TensorboardTimeSeries, resource, config);
  }

  /** The time series of a run. */
  static async list(
    options: RunParents & { tensorboardRunName: string; filter?: string; orderBy?: string },
  ): Promise<TensorboardTimeSeries[]> {
    const config = await resolveConfig(whereOf(options.tensorboardRunName, options));
    const parent = runNameOf(options.tensorboardRunName, options, config.project, config.location);
    const found = await callTensorboardService(config, `Listing time series of ${parent}`, async (c) => {
      const [list] = await c.listTensorboardTimeSeries(
        compact({ parent, filter: options.filter, orderBy: options.orderBy }),
      );
      return list;
    });
    return found.map((r) => wrap(TensorboardTimeSeries, r, config));
  }

  /** `SCALAR`, `TENSOR` or `BLOB_SEQUENCE`. */
  get valueType(): TimeSeriesValueType | undefined {
    const v = this.resource.valueType;
    return typeof v === 'number' ? VALUE_TYPES[v - 1] : ((v as TimeSeriesValueType | null) ?? undefined);
  }

  /** The TensorBoard plugin that reads the series (`scalars` for scalar metrics). */
  get pluginName(): string {
    return this.resource.pluginName ?? '';
  }

  /** The largest step written so far (from the server's metadata). */
  get maxStep(): number | undefined {
    const s = this.resource.metadata?.maxStep;
    return s === null || s === undefined ? undefined : Number(s);
  }

  /**
   * The scalar points, sorted by step (ReadTensorboardTimeSeriesData; Vertex samples beyond `maxDataPoints`,
   * default 1000, at most 10 000).
   */
  async read(options: { maxDataPoints?: number; filter?: string } = {}): Promise<ScalarValue[]> {
    const response = await this.call(`Reading time series ${this.resourceName}`, async (c) => {
      const [r] = await c.readTensorboardTimeSeriesData(
        compact({
          tensorboardTimeSeries: this.resourceName,
          maxDataPoints: options.maxDataPoints,
          filter: options.filter,
        }),
      );
      return r;
    });
    return scalarValuesOf(response.timeSeriesData);
  }

  /** Deletes the time series and its data. */
  async delete(): Promise<void> {
    await this.call(`Deleting time series ${this.resourceName}`, async (c) => {
      const [op] = await c.deleteTensorboardTimeSeries({ name: this.resourceName });
      await op.promise();
    });
  }
}
