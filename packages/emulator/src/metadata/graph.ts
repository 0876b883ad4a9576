import { createHash } from 'node:crypto';
import { ResourceStore } from '../state/resource-store.ts';
import type { Json } from '../vertex/protos.ts';
import { invalidArgument, notFound } from '../vertex/rpc-error.ts';
import type { FilterRelations, NodeKind } from './filter-eval.ts';
import { NOUNS } from './names.ts';

type LinkKind = 'child' | 'attribution' | 'association';

/** The most parents a context may have (metadata_service.proto, AddContextChildren). */
const MAX_PARENTS = 10;

/**
 * Vertex ML Metadata as stored: metadata stores, the three kinds of nodes, context links (parent/child,
 * artifacts and executions in a context) and execution events. Every collection is a {@link ResourceStore},
 * so all of it survives a restart.
 */
export class MetadataGraph implements FilterRelations {
  readonly stores: ResourceStore;
  readonly schemas: ResourceStore;
  readonly nodes: Record<NodeKind, ResourceStore>;
  private readonly links: ResourceStore;
  readonly events: ResourceStore;

  constructor(dataDir: string) {
    this.stores = new ResourceStore(dataDir, 'metadataStores');
    this.schemas = new ResourceStore(dataDir, 'metadataSchemas');
    this.nodes = {
      context: new ResourceStore(dataDir, 'metadataContexts'),
      execution: new ResourceStore(dataDir, 'metadataExecutions'),
      artifact: new ResourceStore(dataDir, 'metadataArtifacts'),
    };
    this.links = new ResourceStore(dataDir, 'metadataLinks');
    this.events = new ResourceStore(dataDir, 'metadataEvents');
  }

  /** The store, creating `default` on first use as Vertex does; other stores must have been created. */
  requireStore(name: string): Json {
    const found = this.stores.get(name);
    if (found) return found;
    if (name.endsWith('/metadataStores/default')) return this.createStore(name, {});
    throw notFound(`MetadataStore ${name} not found. Create it with CreateMetadataStore, or use "default".`);
  }

  createStore(name: string, body: Json): Json {
    const now = new Date().toISOString();
    const store: Json = {
      ...body,
      name,
      createTime: now,
      updateTime: now,
      state: { diskUtilizationBytes: '0' },
    };
    return this.stores.put(store);
  }

  /** A node, or NOT_FOUND naming it. */
  node(kind: NodeKind, name: string): Json {
    const found = this.nodes[kind].get(name);
    if (!found) throw notFound(`${label(kind)} ${name} not found.`);
    return found;
  }

  /** A node as the API returns it (contexts get their computed `parentContexts`). */
  render(kind: NodeKind, node: Json): Json {
    if (kind !== 'context') return node;
    const parents = this.parents(node.name as string);
    return parents.length ? { ...node, parentContexts: parents } : node;
  }

  parents(context: string): string[] {
    return this.linksTo('child', context).map((l) => l.from as string);
  }

  children(context: string): string[] {
    return this.linksFrom('child', context).map((l) => l.to as string);
  }

  inContext(member: string, context: string): boolean {
    const kind: LinkKind = member.includes('/executions/') ? 'association' : 'attribution';
    return this.links.get(linkName(context, kind, member)) !== undefined;
  }

  /** Artifact or execution names in a context. */
  members(context: string, kind: 'artifact' | 'execution'): string[] {
    return this.linksFrom(kind === 'artifact' ? 'attribution' : 'association', context).map(
      (l) => l.to as string,
    );
  }

  /** Adds artifacts and executions to a context (already present ones are skipped). */
  attach(context: string, kind: 'artifact' | 'execution', names: string[]): void {
    for (const name of names) this.node(kind, name);
    for (const name of names) this.link(context, kind === 'artifact' ? 'attribution' : 'association', name);
  }

  /** Adds child contexts, refusing cycles and more than 10 parents per context as Vertex does. */
  addChildren(parent: string, children: string[]): void {
    this.node('context', parent);
    children.forEach((child, i) => {
      this.node('context', child);
      if (child === parent || this.ancestors(parent).has(child))
        throw invalidArgument(`child_contexts[${i}]: adding ${child} under ${parent} would create a cycle.`);
      const parents = this.parents(child);
      if (!parents.includes(parent) && parents.length >= MAX_PARENTS)
        throw invalidArgument(
          `child_contexts[${i}]: ${child} already has ${MAX_PARENTS} parent contexts, the most allowed.`,
        );
    });
    for (const child of children) this.link(parent, 'child', child);
  }

  removeChildren(parent: string, children: string[]): void {
    this.node('context', parent);
    for (const child of children) this.links.delete(linkName(parent, 'child', child));
  }

  /** Deletes a node with its links and events. */
  deleteNode(kind: NodeKind, name: string): void {
    this.nodes[kind].delete(name);
    for (const l of this.links.list())
      if (l.from === name || l.to === name) this.links.delete(l.name as string);
    for (const e of this.events.list())
      if (e.execution === name || e.artifact === name) this.events.delete(e.name as string);
  }

  /** Deletes a store and everything in it. */
  deleteStore(name: string): void {
    for (const kind of Object.keys(NOUNS) as NodeKind[])
      for (const n of this.nodes[kind].list(`${name}/`)) this.deleteNode(kind, n.name as string);
    for (const s of this.schemas.list(`${name}/`)) this.schemas.delete(s.name as string);
    this.stores.delete(name);
  }

  /** Every stored resource name (for the console). */
  resourceNames(): string[] {
    return [this.stores, ...Object.values(this.nodes)].flatMap((s) => s.list().map((r) => r.name as string));
  }

  clear(): void {
    for (const s of [this.stores, this.schemas, ...Object.values(this.nodes), this.links, this.events])
      s.clear();
  }

  private ancestors(context: string, seen = new Set<string>()): Set<string> {
    for (const p of this.parents(context)) {
      if (seen.has(p)) continue;
      seen.add(p);
      this.ancestors(p, seen);
    }
    return seen;
  }

  private link(from: string, kind: LinkKind, to: string): void {
    const name = linkName(from, kind, to);
    if (!this.links.get(name)) this.links.put({ name, from, kind, to, createTime: new Date().toISOString() });
  }

  private linksFrom(kind: LinkKind, from: string): Json[] {
    return this.links
      .list()
      .filter((l) => l.kind === kind && l.from === from)
      .sort(byCreateTime);
  }

  private linksTo(kind: LinkKind, to: string): Json[] {
    return this.links
      .list()
      .filter((l) => l.kind === kind && l.to === to)
      .sort(byCreateTime);
  }
}

/** A short, stable key: two full resource names would exceed the file-name limit of the store. */
function linkName(from: string, kind: LinkKind, to: string): string {
  return `link-${createHash('sha256').update(`${from}|${kind}|${to}`).digest('hex').slice(0, 32)}`;
}

function byCreateTime(a: Json, b: Json): number {
  return String(a.createTime).localeCompare(String(b.createTime));
}

/** `Context`, `Execution`, `Artifact`. */
export function label(kind: NodeKind): string {
  return kind[0]!.toUpperCase() + kind.slice(1);
}
