/**
 * Values of literal expressions in the polyglot AST: OPTIONS(...) of CREATE MODEL, STRUCT(... AS name) and
 * GENERATE_ARRAY(...) of ML functions. Query parameters may stand for a literal.
 */
import { invalidQuery } from '../errors.ts';
import type { OptionValue } from '../types.ts';

/** A node of polyglot's JSON AST: one key naming the node type. */
export type AstNode = Record<string, unknown>;

/** The node's type and body: `{select: {...}}` → `['select', {...}]`. */
export function nodeKind(node: unknown): [string, Record<string, unknown>] | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const body = (node as AstNode)[keys[0] as string];
  return [keys[0] as string, (body ?? {}) as Record<string, unknown>];
}

/**
 * The value of a literal expression.
 * @param what names the place for the error message, e.g. `OPTIONS(l2_reg)`.
 */
export function literalValue(node: unknown, params: Record<string, OptionValue>, what: string): OptionValue {
  const kind = nodeKind(node);
  if (!kind) throw invalidQuery(`${what} must be a literal value.`);
  const [type, body] = kind;
  switch (type) {
    case 'literal': {
      const value = body.value as string;
      return body.literal_type === 'number' ? Number(value) : value;
    }
    case 'boolean':
      return Boolean(body.value);
    case 'null':
      return null;
    case 'neg': {
      const inner = literalValue(body.this, params, what);
      if (typeof inner !== 'number') throw invalidQuery(`${what}: only numbers can be negated.`);
      return -inner;
    }
    case 'paren':
      return literalValue(body.this, params, what);
    case 'array_func':
      return ((body.expressions as unknown[]) ?? []).map((e) => literalValue(e, params, what));
    case 'parameter':
    case 'column': {
      const raw = type === 'parameter' ? `@${body.name}` : ((body.name as { name: string }).name ?? '');
      if (raw.startsWith('@')) {
        const key = raw.slice(1).toLowerCase();
        if (!(key in params)) throw invalidQuery(`Query parameter '${raw.slice(1)}' not found`);
        return params[key] as OptionValue;
      }
      throw invalidQuery(`${what} must be a literal value, not the column ${raw}. Quote strings: '${raw}'.`);
    }
    case 'function': {
      const name = String(body.name).toUpperCase();
      const args = ((body.args as unknown[]) ?? []).map((a) => literalValue(a, params, what));
      if (name === 'GENERATE_ARRAY') return generateArray(args, what);
      if (name === 'STRUCT') return args;
      throw invalidQuery(`${what}: the function ${name} is not allowed here; give a literal value.`);
    }
    default:
      throw invalidQuery(`${what} must be a literal value (a string, number, TRUE/FALSE or [array]).`);
  }
}

/** `GENERATE_ARRAY(start, end[, step])`. */
export function generateArray(args: OptionValue[], what: string): number[] {
  const [start, end, step = 1] = args;
  if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number' || step === 0)
    throw invalidQuery(`${what}: GENERATE_ARRAY needs numeric start, end and a non-zero step.`);
  const count = Math.floor((end - start) / step + 1e-9) + 1;
  if (count > 100_000)
    throw invalidQuery(`${what}: GENERATE_ARRAY would give ${count} values; at most 100000.`);
  return Array.from({ length: Math.max(0, count) }, (_, i) => Number((start + i * step).toPrecision(15)));
}

/** `STRUCT(0.6 AS threshold, 3 AS top_k_features)` as a lower-cased record. */
export function structSettings(
  node: unknown,
  params: Record<string, OptionValue>,
  what: string,
): Record<string, OptionValue> {
  const kind = nodeKind(node);
  if (kind?.[0] !== 'function' || String(kind[1].name).toUpperCase() !== 'STRUCT')
    throw invalidQuery(`${what} must be STRUCT(<value> AS <name>, …).`);
  const out: Record<string, OptionValue> = {};
  for (const arg of (kind[1].args as unknown[]) ?? []) {
    const a = nodeKind(arg);
    if (a?.[0] !== 'alias')
      throw invalidQuery(`${what}: name every STRUCT field, e.g. STRUCT(0.5 AS threshold).`);
    const name = (a[1].alias as { name: string }).name.toLowerCase();
    out[name] = literalValue(a[1].this, params, `${what}.${name}`);
  }
  return out;
}
