import { randomUUID } from 'node:crypto';
import type { ServiceHandlers } from '../vertex/dispatch.ts';
import type { OperationStore } from '../vertex/operations.ts';
import type { Json } from '../vertex/protos.ts';
import { alreadyExists, failedPrecondition, invalidArgument } from '../vertex/rpc-error.ts';
import { snake } from '../vertex/validate.ts';
import { parseFilter } from './filter.ts';
import { checkFilter, matches, type NodeKind } from './filter-eval.ts';
import { label, type MetadataGraph } from './graph.ts';
import { checkId, checkStoreName, NOUNS, storeOf } from './names.ts';

const V1 = 'google.cloud.aiplatform.v1.';

/** Fields a caller sets (and an update without a mask replaces); the rest are the service's. */
const MUTABLE: Record<NodeKind, string[]> = {
  context: ['displayName', 'labels', 'schemaTitle', 'schemaVersion', 'metadata', 'description'],
  execution: ['displayName', 'state', 'labels', 'schemaTitle', 'schemaVersion', 'metadata', 'description'],
  artifact: [
    'displayName',
    'uri',
    'state',
    'labels',
    'schemaTitle',
    'schemaVersion',
    'metadata',
    'description',
  ],
};

/** Create, Get, List, Update, Delete and Purge for one kind of metadata node (`CreateContext` …). */
export function nodeHandlers(kind: NodeKind, graph: MetadataGraph, ops: OperationStore): ServiceHandlers {
  const Kind = label(kind);
  const plural = NOUNS[kind];
  const Plural = plural[0]!.toUpperCase() + plural.slice(1);
  const store = graph.nodes[kind];

  const create = (parent: string, id: string, body: Json): Json => {
    graph.requireStore(parent);
    const name = `${parent}/${plural}/${id}`;
    if (store.get(name)) throw alreadyExists(`${Kind} with name ${name} already exists.`);
    const now = new Date().toISOString();
    const node: Json = { name, ...pick(body, MUTABLE[kind]), etag: '1', createTime: now, updateTime: now };
    return graph.render(kind, store.put(node));
  };

  const selected = (req: Json): Json[] => {
    const parent = req.parent as string;
    checkStoreName(parent);
    const tree = parseFilter((req.filter as string | undefined) ?? '');
    checkFilter(tree, kind);
    return store
      .list(`${parent}/${plural}/`)
      .filter((n) => matches(tree, graph.render(kind, n), kind, graph));
  };

  return {
    [`Create${Kind}`]: {
      validate: (req) => {
        const errors: [string, string][] = [];
        const id = req[`${kind}Id`] as string | undefined;
        if (id) errorOf(errors, `${kind}_id`, () => checkId(id, `${kind}_id`));
        errorOf(errors, 'parent', () => checkStoreName(req.parent as string));
        return errors;
      },
      handle: (req) =>
        create(req.parent as string, (req[`${kind}Id`] as string) || randomUUID(), req[kind] as Json),
    },
    [`Get${Kind}`]: (req) => {
      storeOf(req.name as string, kind, 'name');
      return graph.render(kind, graph.node(kind, req.name as string));
    },
    [`List${Plural}`]: (req) => {
      const { page, next } = paginate(selected(req), req);
      const out: Json = { [plural]: page.map((n) => graph.render(kind, n)) };
      if (next) out.nextPageToken = next;
      return out;
    },
    [`Update${Kind}`]: (req) => {
      const body = req[kind] as Json;
      const name = body.name as string | undefined;
      if (!name) throw invalidArgument(`${kind}.name is required: it names the ${kind} to update.`);
      const parent = storeOf(name, kind, `${kind}.name`);
      const current = store.get(name);
      if (!current) {
        if (req.allowMissing) return create(parent, name.split('/').pop()!, body);
        graph.node(kind, name);
      }
      const existing = current!;
      if (body.etag && body.etag !== existing.etag)
        throw failedPrecondition(
          `${kind}.etag "${body.etag as string}" does not match the current etag "${existing.etag as string}" of ${name}: read it again and retry.`,
        );
      for (const field of maskFields(req.updateMask, kind)) {
        if (body[field] === undefined) delete existing[field];
        else existing[field] = body[field];
      }
      existing.etag = String(Number(existing.etag) + 1);
      existing.updateTime = new Date().toISOString();
      return graph.render(kind, store.put(existing));
    },
    [`Delete${Kind}`]: (req) => {
      const name = req.name as string;
      storeOf(name, kind, 'name');
      const existing = graph.node(kind, name);
      if (req.etag && req.etag !== existing.etag)
        throw failedPrecondition(
          `etag "${req.etag as string}" does not match the current etag "${existing.etag as string}" of ${name}.`,
        );
      graph.deleteNode(kind, name);
      return ops.completed(name, `${V1}DeleteOperationMetadata`, {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
    [`Purge${Plural}`]: (req) => {
      const matched = selected(req);
      if (req.force) for (const n of matched) graph.deleteNode(kind, n.name as string);
      return ops.completed(req.parent as string, `${V1}Purge${Plural}Metadata`, {
        type: `${V1}Purge${Plural}Response`,
        value: { purgeCount: String(matched.length), purgeSample: matched.slice(0, 100).map((n) => n.name) },
      });
    },
  };
}

function pick(body: Json | undefined, fields: string[]): Json {
  const out: Json = {};
  for (const f of fields) if (body?.[f] !== undefined) out[f] = body[f];
  return out;
}

function errorOf(errors: [string, string][], field: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    errors.push([field, (err as Error).message]);
  }
}

/** The fields an update replaces: those named by `update_mask`, else every mutable one. */
function maskFields(mask: unknown, kind: NodeKind): string[] {
  const paths =
    typeof mask === 'string'
      ? mask.split(',')
      : (((mask as Json | undefined)?.paths as string[] | undefined) ?? []);
  const wanted = paths.map((p) => p.trim()).filter(Boolean);
  if (!wanted.length) return MUTABLE[kind];
  return wanted.map((p) => {
    const camel = p.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    if (!MUTABLE[kind].includes(camel))
      throw invalidArgument(
        `update_mask path "${p}" cannot be updated on a ${kind}; updatable: ${MUTABLE[kind].map(snake).join(', ')}.`,
      );
    return camel;
  });
}

/** Orders (`order_by`, default oldest first) and cuts one page; the page token is the offset. */
function paginate(items: Json[], req: Json): { page: Json[]; next?: string } {
  const order = ((req.orderBy as string | undefined) ?? 'create_time').split(',').map((s) => s.trim());
  const sorted = [...items].sort((a, b) => {
    for (const term of order.filter(Boolean)) {
      const [field, dir] = term.split(/\s+/);
      const key = field!.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
      const c = String(a[key] ?? '').localeCompare(String(b[key] ?? ''));
      if (c) return dir === 'desc' ? -c : c;
    }
    return 0;
  });
  const start = req.pageToken ? Number(req.pageToken) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw invalidArgument(
      `page_token ${JSON.stringify(req.pageToken)} is not valid: pass next_page_token back as is.`,
    );
  const pageSize = Number(req.pageSize ?? 0);
  if (pageSize < 0 || pageSize > 1000) throw invalidArgument('page_size must be in range 1-1000.');
  const size = pageSize || 100;
  const page = sorted.slice(start, start + size);
  return start + size < sorted.length ? { page, next: String(start + size) } : { page };
}
