import type { TensorboardServiceClient } from '@google-cloud/aiplatform/build/src/v1/tensorboard_service_client.js';
import type { ResolvedConfig } from '../config.ts';
import { tensorboardServiceClient } from '../connection.ts';
import { toApiError } from '../errors.ts';
import { toReadableJson } from '../resource-json.ts';
import { fromTimestamp } from './scalars.ts';

/** The fields every TensorboardService resource has. */
export interface TensorboardServiceResource {
  name?: string | null;
  displayName?: string | null;
  description?: string | null;
  labels?: Record<string, string> | null;
  createTime?: { seconds?: unknown; nanos?: number | null } | null;
  updateTime?: { seconds?: unknown; nanos?: number | null } | null;
}

function dateOf(t: TensorboardServiceResource['createTime']): Date | undefined {
  if (!t?.seconds && !t?.nanos) return undefined;
  return new Date(fromTimestamp(t as { seconds: number; nanos: number }) * 1000);
}

/** What the four TensorBoard resource classes share: the server's resource, names, times and deletion. */
export abstract class TensorboardResourceBase<R extends TensorboardServiceResource> {
  protected resource!: R;
  protected config!: ResolvedConfig;

  /** Full resource name. */
  get resourceName(): string {
    return this.resource.name ?? '';
  }

  /** The last part of the resource name. */
  get id(): string {
    return this.resourceName.split('/').pop() ?? '';
  }

  /** The display name. */
  get displayName(): string {
    return this.resource.displayName ?? '';
  }

  /** The description (empty when it has none). */
  get description(): string {
    return this.resource.description ?? '';
  }

  /** The resource's labels (a copy). */
  get labels(): Record<string, string> {
    return { ...(this.resource.labels ?? {}) };
  }

  /** When the resource was created. */
  get createTime(): Date | undefined {
    return dateOf(this.resource.createTime);
  }

  /** When the resource was last updated. */
  get updateTime(): Date | undefined {
    return dateOf(this.resource.updateTime);
  }

  /** The resource as the server last returned it. */
  get gcaResource(): R {
    return this.resource;
  }

  /** Readable JSON: RFC 3339 times, no empty defaults (for display and `--json`). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource) as Record<string, unknown> | undefined) ?? {};
  }

  /** The configuration this resource was found or created with. */
  get resolvedConfig(): ResolvedConfig {
    return this.config;
  }

  protected client(): Promise<TensorboardServiceClient> {
    return tensorboardServiceClient(this.config);
  }

  /** Runs a client call, turning its failure into an {@link ApiError} that says what was being done. */
  protected async call<T>(context: string, fn: (client: TensorboardServiceClient) => Promise<T>): Promise<T> {
    return callTensorboardService(this.config, context, fn);
  }
}

/** Runs a TensorboardService call for `config`, turning its failure into an {@link ApiError} naming `context`. */
export async function callTensorboardService<T>(
  config: ResolvedConfig,
  context: string,
  fn: (client: TensorboardServiceClient) => Promise<T>,
): Promise<T> {
  const client = await tensorboardServiceClient(config);
  try {
    return await fn(client);
  } catch (err) {
    throw toApiError(err, context);
  }
}

/** Wraps a server resource in an instance of `cls` without running its constructor. */
export function wrap<T extends TensorboardResourceBase<R>, R extends TensorboardServiceResource>(
  cls: abstract new (...args: never[]) => T,
  resource: R,
  config: ResolvedConfig,
): T {
  const instance = Object.create(cls.prototype) as T;
  Object.assign(instance, { resource, config });
  return instance;
}

/** Drops undefined values (the clients would send them as defaults). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** Options that resolve to the same project, location and backend as `config`. */
export function whereOfConfig(config: ResolvedConfig): {
  project: string;
  location: string;
  emulator: ResolvedConfig['emulator'] | false;
} {
  return { project: config.project, location: config.location, emulator: config.emulator ?? false };
}
