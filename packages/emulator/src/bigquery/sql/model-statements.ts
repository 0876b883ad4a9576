/**
 * `CREATE [OR REPLACE] MODEL [IF NOT EXISTS] name OPTIONS(...) AS query` and `DROP MODEL [IF EXISTS] name`,
 * which the SQL translator does not parse: the head is cut here, OPTIONS are read as `name = literal` pairs and
 * the AS query goes through the ordinary translation.
 */

import { invalidQuery } from '../errors.ts';
import type { CreateModelRequest, ModelRef, OptionValue } from '../types.ts';
import { literalValue, nodeKind } from './literals.ts';
import { BIGQUERY, parse } from './polyglot.ts';
import { modelRefOf, type NameContext } from './rewrite.ts';
import { matchParen } from './scan.ts';

const CREATE_HEAD =
  /^\s*CREATE\s+(OR\s+REPLACE\s+)?MODEL\s+(IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|[A-Za-z0-9_.:-]+)\s*/i;
const DROP = /^\s*DROP\s+MODEL\s+(IF\s+EXISTS\s+)?(`[^`]+`|[A-Za-z0-9_.:-]+)\s*$/i;

/** A CREATE MODEL statement cut into its parts; `query` is still BigQuery SQL. */
export interface ParsedCreateModel {
  model: ModelRef;
  mode: CreateModelRequest['mode'];
  options: Record<string, OptionValue>;
  query: string;
}

/** Whether the statement is CREATE/DROP MODEL (comments already stripped). */
export function isModelStatement(sql: string): 'create' | 'drop' | undefined {
  if (CREATE_HEAD.test(sql)) return 'create';
  if (/^\s*DROP\s+MODEL\b/i.test(sql)) return 'drop';
  return undefined;
}

function refOf(name: string, names: NameContext): ModelRef {
  const r = parse(`SELECT 1 FROM ${name}`, BIGQUERY);
  if (!r.success) throw invalidQuery(`Model name ${name} is not valid: ${r.error}`);
  const from = (r.ast[0] as { select: { from: { expressions: unknown[] } } }).select.from.expressions[0];
  return modelRefOf(from, names);
}

/** Parses `CREATE MODEL`. */
export function parseCreateModel(
  sql: string,
  names: NameContext,
  params: Record<string, OptionValue>,
): ParsedCreateModel {
  const head = CREATE_HEAD.exec(sql);
  if (!head)
    throw invalidQuery(
      'Expected CREATE [OR REPLACE] MODEL [IF NOT EXISTS] `dataset.model` OPTIONS(...) AS query.',
    );
  if (head[1] && head[2])
    throw invalidQuery('CREATE OR REPLACE MODEL and IF NOT EXISTS cannot be used together.');
  const model = refOf(head[3] as string, names);
  let rest = sql.slice(head[0].length);
  if (/^TRANSFORM\s*\(/i.test(rest))
    throw invalidQuery(
      'TRANSFORM clauses are not supported by the local BigQuery: do the preprocessing in the AS query instead.',
    );
  const opt = /^OPTIONS\s*\(/i.exec(rest);
  if (!opt) throw invalidQuery('CREATE MODEL needs OPTIONS(model_type = …) after the model name.');
  const open = opt[0].length - 1;
  const close = matchParen(rest, open);
  if (close < 0) throw invalidQuery('OPTIONS( is not closed: add the missing ).');
  const options = parseOptions(rest.slice(open + 1, close), params);
  rest = rest.slice(close + 1);
  const as = /^\s*AS\s*/i.exec(rest);
  if (!as)
    throw invalidQuery(
      'CREATE MODEL without AS query (imported, remote or AutoML models) is not supported by the local BigQuery: add AS SELECT … with the training data.',
    );
  let query = rest.slice(as[0].length).trim();
  if (query.startsWith('(') && matchParen(query, 0) === query.length - 1) query = query.slice(1, -1);
  return {
    model,
    mode: head[1] ? 'CREATE_OR_REPLACE' : head[2] ? 'CREATE_IF_NOT_EXISTS' : 'CREATE',
    options,
    query,
  };
}

/** `a = 'x', b = [1, 2]` → `{a: 'x', b: [1, 2]}`, keys lower-cased. */
export function parseOptions(text: string, params: Record<string, OptionValue>): Record<string, OptionValue> {
  if (text.trim() === '') return {};
  const r = parse(`SELECT ${text}`, BIGQUERY);
  if (!r.success) throw invalidQuery(`OPTIONS(${text.trim()}) could not be read: ${r.error}`);
  const out: Record<string, OptionValue> = {};
  for (const expr of (r.ast[0] as { select: { expressions: unknown[] } }).select.expressions) {
    const eq = nodeKind(expr);
    const left = eq?.[0] === 'eq' ? nodeKind(eq[1].left) : undefined;
    if (!eq || !left || left[0] !== 'column')
      throw invalidQuery(`OPTIONS must be a list of name = value pairs; got ${text.trim().slice(0, 80)}.`);
    const name = (left[1].name as { name: string }).name.toLowerCase();
    if (name in out) throw invalidQuery(`OPTIONS sets ${name} twice: keep one.`);
    out[name] = literalValue(eq[1].right, params, `OPTIONS(${name})`);
  }
  return out;
}

/** Parses `DROP MODEL`. */
export function parseDropModel(sql: string, names: NameContext): { model: ModelRef; ifExists: boolean } {
  const m = DROP.exec(sql);
  if (!m) throw invalidQuery('Expected DROP MODEL [IF EXISTS] `dataset.model`.');
  return { model: refOf(m[2] as string, names), ifExists: Boolean(m[1]) };
}
