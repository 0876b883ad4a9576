import type { protos } from '@google-cloud/aiplatform';
import { type ResolvedConfig, resolveConfig } from '../config.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import { locationPath } from '../resource-names.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { tensorboardResourceName, type Where, whereOf } from './names.ts';
import { callTensorboardService, compact, TensorboardResourceBase, wrap } from './resource.ts';

type ITensorboard = protos.google.cloud.aiplatform.v1.ITensorboard;

/** Options of {@link Tensorboard.create}, as the Python SDK's `Tensorboard.create()` arguments. */
export interface TensorboardCreateOptions extends Where {
  /** Default: `Tensorboard <local time>`, as the Python SDK generates it. */
  displayName?: string;
  description?: string;
  labels?: Record<string, string>;
  /** Cloud KMS key for the tensorboard and everything in it (default: the one given to `init()`). */
  encryptionSpecKeyName?: string;
  /** Make it the project's default tensorboard (used by experiments that name none). */
  isDefault?: boolean;
}

/** Options of {@link Tensorboard.list}. */
export interface TensorboardListOptions extends Where {
  /** Vertex list filter, e.g. `is_default=true` or `display_name="lab"`. */
  filter?: string;
  /** e.g. `create_time desc`. */
  orderBy?: string;
}

/** The `CreateTensorboard` request {@link Tensorboard.create} sends (without sending it). */
export function buildCreateTensorboardRequest(
  options: TensorboardCreateOptions,
  config: ResolvedConfig,
): { parent: string; tensorboard: ITensorboard } {
  const displayName = options.displayName ?? `Tensorboard ${localTimestamp(' ')}`;
  validateDisplayName(displayName);
  if (options.labels !== undefined) validateLabels(options.labels);
  const kms = options.encryptionSpecKeyName ?? config.encryptionSpecKeyName;
  const tensorboard: ITensorboard = compact({
    displayName,
    description: options.description,
    labels: options.labels && Object.keys(options.labels).length ? options.labels : undefined,
    // proto3 drops `false`; the Python SDK sends the field only when true, in effect.
    isDefault: options.isDefault ? true : undefined,
    encryptionSpec: kms ? { kmsKeyName: kms } : undefined,
  });
  return { parent: locationPath(config.project, config.location), tensorboard };
}

/**
 * A Vertex AI TensorBoard instance: it holds experiments (one per training job or upload), their runs and
 * scalar time series.
 *
 * @example
 * const tb = await Tensorboard.create({ displayName: 'lab' });
 * await new CustomJob({ … }).run({ tensorboard: tb.resourceName, serviceAccount: 'trainer@p.iam.gserviceaccount.com' });
 */
export class Tensorboard extends TensorboardResourceBase<ITensorboard> {
  /**
   * Creates a tensorboard (a long-running operation), then reads it back, as the Python SDK does.
   *
   * @example
   * const tb = await Tensorboard.create({ displayName: 'my tensorboard', labels: { team: 'genomics' } });
   */
  static async create(options: TensorboardCreateOptions = {}): Promise<Tensorboard> {
    const config = await resolveConfig(options);
    const request = buildCreateTensorboardRequest(options, config);
    const created = await callTensorboardService(
      config,
      `Creating tensorboard ${request.tensorboard.displayName}`,
      async (client) => {
        const [op] = await client.createTensorboard(request);
        const [tb] = await op.promise();
        return tb;
      },
    );
    return Tensorboard.get(created.name ?? '', {
      ...options,
      project: config.project,
      location: config.location,
    });
  }

  /**
   * Finds a tensorboard by full name or id.
   *
   * @example
   * const tb = await Tensorboard.get('1234567890');
   */
  static async get(nameOrId: string, options: Where = {}): Promise<Tensorboard> {
    const config = await resolveConfig(whereOf(nameOrId, options));
    const name = tensorboardResourceName(nameOrId, 1, {}, config.project, config.location, 'tensorboard');
    const resource = await callTensorboardService(config, `Getting tensorboard ${name}`, async (c) => {
      const [tb] = await c.getTensorboard({ name });
      return tb;
    });
    return wrap(Tensorboard, resource, config);
  }

  /**
   * The tensorboards of a project and location.
   *
   * @example
   * const [defaultTb] = await Tensorboard.list({ filter: 'is_default=true' });
   */
  static async list(options: TensorboardListOptions = {}): Promise<Tensorboard[]> {
    const config = await resolveConfig(options);
    const request = compact({
      parent: locationPath(config.project, config.location),
      filter: options.filter,
      orderBy: options.orderBy,
    });
    const found = await callTensorboardService(config, 'Listing tensorboards', async (c) => {
      const [tbs] = await c.listTensorboards(request);
      return tbs;
    });
    return found.map((r) => wrap(Tensorboard, r, config));
  }

  /** Whether experiments that name no tensorboard use this one. */
  get isDefault(): boolean {
    return Boolean(this.resource.isDefault);
  }

  /** The Cloud KMS key that protects this tensorboard, if any. */
  get encryptionSpecKeyName(): string | undefined {
    return this.resource.encryptionSpec?.kmsKeyName ?? undefined;
  }

  /** Number of runs stored in this tensorboard. */
  get runCount(): number {
    return Number(this.resource.runCount ?? 0);
  }

  /** `bucket/folder` where Vertex keeps blob data (images, profiles) of this tensorboard. */
  get blobStoragePathPrefix(): string {
    return this.resource.blobStoragePathPrefix ?? '';
  }

  /** Reads the tensorboard again from the server. */
  async refresh(): Promise<this> {
    this.resource = await this.call(`Getting tensorboard ${this.resourceName}`, async (c) => {
      const [tb] = await c.getTensorboard({ name: this.resourceName });
      return tb;
    });
    return this;
  }

  /** Deletes the tensorboard with all its experiments, runs and data. */
  async delete(): Promise<void> {
    await this.call(`Deleting tensorboard ${this.resourceName}`, async (c) => {
      const [op] = await c.deleteTensorboard({ name: this.resourceName });
      await op.promise();
    });
  }
}
