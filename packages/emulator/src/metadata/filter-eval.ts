import type { Json } from '../vertex/protos.ts';
import { invalidArgument } from '../vertex/rpc-error.ts';
import type { ComparisonOp, FilterNode, FilterValue } from './filter.ts';

/** The three kinds of metadata nodes a list filter applies to. */
export type NodeKind = 'context' | 'execution' | 'artifact';

/** What a filter may ask beyond the resource itself: its relations in the metadata graph. */
export interface FilterRelations {
  /** Parent context names of a context. */
  parents(name: string): string[];
  /** Child context names of a context. */
  children(name: string): string[];
  /** Whether an artifact or execution belongs to a context. */
  inContext(member: string, context: string): boolean;
}

type Scalar = { type: 'string' | 'time' | 'number' | 'bool'; value: string | number | boolean };

const ATTRIBUTES: Record<NodeKind, Record<string, Scalar['type']>> = {
  context: {
    name: 'string',
    display_name: 'string',
    schema_title: 'string',
    schema_version: 'string',
    create_time: 'time',
    update_time: 'time',
  },
  execution: {
    name: 'string',
    display_name: 'string',
    state: 'string',
    schema_title: 'string',
    schema_version: 'string',
    create_time: 'time',
    update_time: 'time',
  },
  artifact: {
    name: 'string',
    display_name: 'string',
    uri: 'string',
    state: 'string',
    schema_title: 'string',
    schema_version: 'string',
    create_time: 'time',
    update_time: 'time',
  },
};
const RELATIONS: Record<NodeKind, string[]> = {
  context: ['parent_contexts', 'child_contexts'],
  execution: [],
  artifact: [],
};
const FUNCTIONS: Record<NodeKind, string[]> = {
  context: [],
  execution: ['in_context'],
  artifact: ['in_context'],
};
const METADATA_TYPES = ['string_value', 'number_value', 'bool_value'];

function supported(kind: NodeKind): string {
  return [
    ...Object.keys(ATTRIBUTES[kind]),
    ...RELATIONS[kind].map((r) => `${r}:"<context name>"`),
    'labels.<key>',
    'metadata.<field>.string_value|number_value|bool_value',
    ...FUNCTIONS[kind].map((f) => `${f}("<context name>")`),
  ].join(', ');
}

/** Rejects fields and functions a kind does not support, naming them and listing the ones it does. */
export function checkFilter(node: FilterNode | undefined, kind: NodeKind): void {
  if (!node) return;
  if (node.kind === 'and' || node.kind === 'or') {
    for (const n of node.items) checkFilter(n, kind);
    return;
  }
  if (node.kind === 'not') {
    checkFilter(node.item, kind);
    return;
  }
  if (node.kind === 'call') {
    if (!FUNCTIONS[kind].includes(node.name) || node.args.length !== 1)
      throw invalidArgument(
        `filter: ${node.name}(…) is not supported when listing ${kind}s; supported: ${supported(kind)}.`,
      );
    return;
  }
  const [head, ...rest] = node.path;
  const field = node.path.join('.');
  if (head === 'metadata') {
    const type = rest.at(-1);
    if (rest.length < 2 || !METADATA_TYPES.includes(type!))
      throw invalidArgument(
        `filter: ${field} is not a metadata field path; write metadata.<field>.string_value, .number_value or .bool_value.`,
      );
    return;
  }
  if (head === 'labels' && (rest.length === 1 || (rest.length === 0 && node.op === ':'))) return;
  if (RELATIONS[kind].includes(head!) && rest.length === 0) {
    if (node.op !== ':')
      throw invalidArgument(
        `filter: use the has operator for ${head}, e.g. ${head}:"projects/…/contexts/x".`,
      );
    return;
  }
  if (rest.length === 0 && ATTRIBUTES[kind][head!]) return;
  throw invalidArgument(
    `filter: field ${field} is not supported when listing ${kind}s; supported: ${supported(kind)}.`,
  );
}

/** Whether `resource` (canonical JSON) matches the filter. Call {@link checkFilter} first. */
export function matches(
  node: FilterNode | undefined,
  resource: Json,
  kind: NodeKind,
  rel: FilterRelations,
): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => matches(n, resource, kind, rel));
    case 'or':
      return node.items.some((n) => matches(n, resource, kind, rel));
    case 'not':
      return !matches(node.item, resource, kind, rel);
    case 'call':
      return rel.inContext(resource.name as string, node.args[0]!.text);
    case 'compare':
      return compareField(node.path, node.op, node.value, resource, kind, rel);
  }
}

function compareField(
  path: string[],
  op: ComparisonOp,
  want: FilterValue,
  resource: Json,
  kind: NodeKind,
  rel: FilterRelations,
): boolean {
  const [head, ...rest] = path;
  if (head === 'parent_contexts') return rel.parents(resource.name as string).includes(want.text);
  if (head === 'child_contexts') return rel.children(resource.name as string).includes(want.text);
  if (head === 'labels') {
    const labels = (resource.labels ?? {}) as Record<string, string>;
    if (rest.length === 0) return want.text in labels;
    if (op === ':') return rest[0]! in labels;
    return compare({ type: 'string', value: labels[rest[0]!] ?? '' }, op, want);
  }
  if (head === 'metadata') {
    let v: unknown = resource.metadata;
    for (const key of rest.slice(0, -1)) v = (v as Record<string, unknown> | undefined)?.[key];
    const type = rest.at(-1);
    const actual: Scalar | undefined =
      type === 'string_value' && typeof v === 'string'
        ? { type: 'string', value: v }
        : type === 'number_value' && typeof v === 'number'
          ? { type: 'number', value: v }
          : type === 'bool_value' && typeof v === 'boolean'
            ? { type: 'bool', value: v }
            : undefined;
    if (!actual) return op === '!=';
    return compare(actual, op, want);
  }
  const type = ATTRIBUTES[kind][head!]!;
  const key = head!.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  const raw = resource[key];
  if (raw === undefined) return op === '!=' ? want.text !== '' : want.text === '' && op === '=';
  return compare({ type, value: raw as string }, op, want);
}

function compare(actual: Scalar, op: ComparisonOp, want: FilterValue): boolean {
  let a: string | number | boolean = actual.value;
  let b: string | number | boolean = want.text;
  if (actual.type === 'time') {
    a = Date.parse(String(actual.value));
    b = Date.parse(want.text);
    if (Number.isNaN(b))
      throw invalidArgument(
        `filter: ${JSON.stringify(want.text)} is not an RFC-3339 time; write e.g. create_time>"2020-11-19T11:30:00-04:00".`,
      );
  } else if (actual.type === 'number') {
    b = Number(want.text);
    if (Number.isNaN(b)) return op === '!=';
  } else if (actual.type === 'bool') {
    b = want.text === 'true';
  }
  switch (op) {
    case '=':
    case ':':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
