import type { MetadataServiceClient } from '@google-cloud/aiplatform/build/src/v1/metadata_service_client.js';
import type { ResolvedConfig } from '../config.ts';
import { metadataServiceClient } from '../connection.ts';
import { StatusCode, toApiError } from '../errors.ts';
import { fromProtoValue, type JsonValue, toProtoValue } from '../value.ts';

/** A context, execution or artifact as this module reads it: metadata as plain JSON. */
export interface MetadataNode {
  name: string;
  displayName: string;
  schemaTitle: string;
  description: string;
  metadata: Record<string, JsonValue>;
  etag?: string;
  state?: string;
  createTime?: Date;
  parentContexts: string[];
}

/** What a create call sets. */
export interface NodeBody {
  displayName?: string;
  schemaTitle: string;
  schemaVersion: string;
  description?: string;
  metadata: Record<string, JsonValue>;
  uri?: string;
  state?: string;
}

type Noun = 'contexts' | 'artifacts' | 'executions';
type Proto = Record<string, unknown>;

/**
 * The MetadataService calls Vertex AI Experiments makes, as the Python SDK makes them (resource.py,
 * context.py, metadata_store.py): everything lives in the `default` metadata store, updates merge metadata
 * one level deep on a fresh read and send the whole node back with its etag.
 */
export class MetadataApi {
  readonly config: ResolvedConfig;
  readonly client: MetadataServiceClient;
  /** `projects/{p}/locations/{l}/metadataStores/default` */
  readonly store: string;

  private constructor(config: ResolvedConfig, client: MetadataServiceClient) {
    this.config = config;
    this.client = client;
    this.store = `projects/${config.project}/locations/${config.location}/metadataStores/default`;
  }

  static async for(config: ResolvedConfig): Promise<MetadataApi> {
    return new MetadataApi(config, await metadataServiceClient(config));
  }

  name(noun: Noun, id: string): string {
    return id.includes('/') ? id : `${this.store}/${noun}/${id}`;
  }

  /** `_MetadataStore.ensure_default_metadata_store_exists`: GetMetadataStore, else CreateMetadataStore. */
  async ensureDefaultStore(): Promise<void> {
    try {
      await this.client.getMetadataStore({ name: this.store });
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== StatusCode.NOT_FOUND)
        throw toApiError(err, 'Getting the default metadata store');
    }
    try {
      const [op] = await this.client.createMetadataStore({
        parent: `projects/${this.config.project}/locations/${this.config.location}`,
        metadataStoreId: 'default',
        metadataStore: {},
      });
      await op.promise();
    } catch (err) {
      if ((err as { code?: number }).code !== StatusCode.ALREADY_EXISTS)
        throw toApiError(err, 'Creating the default metadata store');
    }
  }

  /** A node, or undefined when it does not exist. */
  async get(noun: Noun, id: string): Promise<MetadataNode | undefined> {
    const name = this.name(noun, id);
    try {
      const [node] = await this.call(noun, 'get', { name });
      return fromNode(node as Proto);
    } catch (err) {
      if ((err as { code?: number }).code === StatusCode.NOT_FOUND) return undefined;
      throw toApiError(err, `Getting ${name}`);
    }
  }

  /** Creates a node with a chosen id; an existing one answers ALREADY_EXISTS (as an ApiError). */
  async create(noun: Noun, id: string, body: NodeBody): Promise<MetadataNode> {
    const key = { contexts: 'context', artifacts: 'artifact', executions: 'execution' }[noun];
    const node: Proto = { ...body, metadata: toStruct(body.metadata) };
    try {
      const [created] = await this.call(noun, 'create', {
        parent: this.store,
        [`${key}Id`]: id,
        [key]: node,
      });
      return fromNode(created as Proto);
    } catch (err) {
      throw toApiError(err, `Creating ${this.name(noun, id)}`);
    }
  }

  /**
   * Merges `patch` into a node's metadata one level deep (`resource.py _nested_update_metadata`) on a fresh
   * read, and sends the node back with its etag; a concurrent writer's etag mismatch is retried once.
   */
  async merge(
    noun: Noun,
    id: string,
    patch: Record<string, JsonValue>,
    description?: string,
  ): Promise<MetadataNode> {
    const name = this.name(noun, id);
    const key = { contexts: 'context', artifacts: 'artifact', executions: 'execution' }[noun];
    for (let attempt = 0; ; attempt++) {
      try {
        const [current] = (await this.call(noun, 'get', { name })) as [Proto];
        const metadata = (fromStruct(current.metadata) ?? {}) as Record<string, JsonValue>;
        for (const [k, v] of Object.entries(patch)) {
          const old = metadata[k];
          metadata[k] = isObject(v) && isObject(old) ? { ...old, ...v } : v;
        }
        const body: Proto = { ...current, metadata: toStruct(metadata) };
        if (description) body.description = description;
        const [updated] = await this.call(noun, 'update', { [key]: body });
        return fromNode(updated as Proto);
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (attempt === 0 && (code === StatusCode.FAILED_PRECONDITION || code === StatusCode.ABORTED))
          continue;
        throw toApiError(err, `Updating ${name}`);
      }
    }
  }

  /** Every node matching an AIP-160 filter (all pages). */
  async list(noun: Noun, filter: string): Promise<MetadataNode[]> {
    try {
      const [nodes] = await this.call(noun, 'list', { parent: this.store, filter });
      return (nodes as Proto[]).map(fromNode);
    } catch (err) {
      throw toApiError(err, `Listing ${noun} (${filter})`);
    }
  }

  /** Deletes a node and waits for the operation. */
  async delete(noun: Noun, id: string): Promise<void> {
    const name = this.name(noun, id);
    try {
      const [op] = (await this.call(noun, 'delete', { name })) as [{ promise(): Promise<unknown> }];
      await op.promise();
    } catch (err) {
      throw toApiError(err, `Deleting ${name}`);
    }
  }

  async addContextChildren(context: string, children: string[]): Promise<void> {
    try {
      await this.client.addContextChildren({ context, childContexts: children });
    } catch (err) {
      throw toApiError(err, `Adding ${children.join(', ')} to ${context}`);
    }
  }

  async addArtifacts(context: string, artifacts: string[]): Promise<void> {
    try {
      await this.client.addContextArtifactsAndExecutions({ context, artifacts });
    } catch (err) {
      throw toApiError(err, `Adding ${artifacts.join(', ')} to ${context}`);
    }
  }

  private call(
    noun: Noun,
    verb: 'get' | 'create' | 'update' | 'list' | 'delete',
    req: Proto,
  ): Promise<unknown[]> {
    const singular = { contexts: 'Context', artifacts: 'Artifact', executions: 'Execution' }[noun];
    const method = verb === 'list' ? `list${singular}s` : `${verb}${singular}`;
    const fn = (this.client as unknown as Record<string, (r: Proto) => Promise<unknown[]>>)[method]!;
    return fn.call(this.client, req);
  }
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toStruct(o: Record<string, JsonValue>): Proto {
  return toProtoValue(o, 'metadata').structValue as Proto;
}

function fromStruct(s: unknown): JsonValue {
  return s ? fromProtoValue({ structValue: s as never }) : null;
}

function fromNode(n: Proto): MetadataNode {
  const time = n.createTime as { seconds?: unknown; nanos?: number } | undefined;
  const node: MetadataNode = {
    name: n.name as string,
    displayName: (n.displayName as string) ?? '',
    schemaTitle: (n.schemaTitle as string) ?? '',
    description: (n.description as string) ?? '',
    metadata: (fromStruct(n.metadata) ?? {}) as Record<string, JsonValue>,
    parentContexts: (n.parentContexts as string[] | undefined) ?? [],
  };
  if (n.etag) node.etag = n.etag as string;
  if (n.state) node.state = String(n.state);
  if (time?.seconds !== undefined)
    node.createTime = new Date(Number(time.seconds) * 1000 + (time.nanos ?? 0) / 1e6);
  return node;
}
