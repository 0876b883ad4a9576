/**
 * Rewrites a parsed BigQuery statement (polyglot's JSON AST) for DuckDB: table names become the warehouse's
 * `"p.d"."t"`, `@name` becomes a bound parameter, `ML.<fn>(MODEL …)` calls in FROM become references to
 * temporary views that the job fills first, and the few functions the translator maps wrongly are fixed.
 */

import { invalidQuery } from '../errors.ts';
import type { MlFunctionCall, MlFunctionName, ModelRef, OptionValue, TableRef } from '../types.ts';
import { type AstNode, literalValue, nodeKind, structSettings } from './literals.ts';
import { BIGQUERY, DUCKDB, generate, parse, transpile } from './polyglot.ts';

/** Where unqualified names resolve. */
export interface NameContext {
  projectId: string;
  defaultDataset?: { projectId?: string; datasetId: string };
}

/** An ML function call found in the statement, to be materialised as the view `alias` before the statement runs. */
export interface PendingMlCall {
  alias: string;
  call: Omit<MlFunctionCall, 'input'>;
  input?: { sql: string; usesParams: boolean };
}

/** State of one statement's rewrite. */
export interface RewriteState {
  names: NameContext;
  params: Record<string, OptionValue>;
  cteNames: Set<string>;
  tables: TableRef[];
  mlCalls: PendingMlCall[];
  paramUses: number;
}

const ML_FUNCTIONS: MlFunctionName[] = [
  'PREDICT',
  'EVALUATE',
  'EXPLAIN_PREDICT',
  'GLOBAL_EXPLAIN',
  'FEATURE_IMPORTANCE',
  'CONFUSION_MATRIX',
  'ROC_CURVE',
  'TRAINING_INFO',
];

/**
 * DuckDB SQL for one AST node. polyglot's BigQuery → DuckDB rewrites (SAFE_CAST → TRY_CAST, …) run in
 * `transpile`, not in `generate`, so the rewritten tree goes back to BigQuery text first. Parameters travel as
 * `__tvx_param_<name>` columns because `@name` does not survive the DuckDB side.
 */
export function toDuckSql(node: unknown): string {
  const bq = generate([node], BIGQUERY);
  if (!bq.success || !bq.sql?.[0])
    throw invalidQuery(`The local BigQuery could not translate this query: ${bq.error}`);
  const out = transpile(bq.sql[0], BIGQUERY, DUCKDB);
  if (!out.success || !out.sql?.[0])
    throw invalidQuery(`The local BigQuery could not translate this query: ${out.error}`);
  return outsideQuotes(out.sql[0], (part) =>
    part
      .replace(/\b__tvx_param_([a-z0-9_]+)\b/g, '$$$1')
      // BigQuery's NUMERIC is DECIMAL(38, 9), BIGNUMERIC DECIMAL(38, 18); DuckDB's bare DECIMAL is (18, 3).
      .replace(/\bDECIMAL\b(?!\s*\()/g, 'DECIMAL(38, 9)')
      .replace(/\bBIGNUMERIC\b(?!\s*\()/g, 'DECIMAL(38, 18)'),
  );
}

/** Applies `edit` to the parts of DuckDB SQL outside '…' strings and "…" identifiers. */
function outsideQuotes(sql: string, edit: (part: string) => string): string {
  return sql
    .split(/('(?:[^']|'')*'|"(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 === 1 ? part : edit(part)))
    .join('');
}

function ident(name: string): AstNode {
  return { name, quoted: true, trailing_comments: [] };
}

/** `[project, dataset, name]` of a table node, resolved against the defaults. */
function resolveParts(
  body: Record<string, unknown>,
  names: NameContext,
  what: string,
): [string, string, string] {
  const parts = [body.catalog, body.schema, body.name]
    .filter(Boolean)
    .flatMap((p) => String((p as { name: string }).name).split('.'));
  if (parts.some((p) => p === '')) throw invalidQuery(`${what} name ${parts.join('.')} is not valid.`);
  if (parts.length === 3) return parts as [string, string, string];
  if (parts.length === 2) return [names.projectId, parts[0] as string, parts[1] as string];
  if (parts.length === 1) {
    const ds = names.defaultDataset;
    if (!ds)
      throw invalidQuery(
        `${what} name "${parts[0]}" missing dataset while no default dataset is set in the request. Write dataset.${parts[0]} or project.dataset.${parts[0]}.`,
      );
    return [ds.projectId ?? names.projectId, ds.datasetId, parts[0] as string];
  }
  throw invalidQuery(`${what} name ${parts.join('.')} has too many parts: use project.dataset.name.`);
}

function qualifyTable(body: Record<string, unknown>, state: RewriteState): void {
  const single = !body.schema && !body.catalog && !String((body.name as { name: string }).name).includes('.');
  if (single && state.cteNames.has(String((body.name as { name: string }).name).toLowerCase())) return;
  const [projectId, datasetId, tableId] = resolveParts(body, state.names, 'Table');
  if (
    datasetId.toUpperCase() === 'INFORMATION_SCHEMA' ||
    tableId.toUpperCase().startsWith('INFORMATION_SCHEMA')
  )
    throw invalidQuery(
      'INFORMATION_SCHEMA views are not supported by the local BigQuery; use the REST API (tables.list, tables.get).',
    );
  state.tables.push({ projectId, datasetId, tableId });
  body.catalog = null;
  body.schema = ident(`${projectId}.${datasetId}`);
  body.name = ident(tableId);
}

/** Model reference of `MODEL x` in an ML call. */
export function modelRefOf(node: unknown, names: NameContext): ModelRef {
  const kind = nodeKind(node);
  if (kind?.[0] !== 'table')
    throw invalidQuery('MODEL must be followed by a model name, e.g. MODEL `dataset.model`.');
  const [projectId, datasetId, modelId] = resolveParts(kind[1], names, 'Model');
  return { projectId, datasetId, modelId };
}

function mlCall(name: string, body: Record<string, unknown>, state: RewriteState): PendingMlCall {
  const fn = name.slice(3).toUpperCase() as MlFunctionName;
  if (!ML_FUNCTIONS.includes(fn))
    throw invalidQuery(
      `ML.${fn} is not supported by the local BigQuery; it runs ML.${ML_FUNCTIONS.join(', ML.')}.`,
    );
  const args = (body.args as unknown[]) ?? [];
  const first = nodeKind(args[0]);
  if (first?.[0] !== 'table_argument' || String(first[1].prefix).toUpperCase() !== 'MODEL')
    throw invalidQuery(`ML.${fn} takes MODEL \`dataset.model\` as its first argument.`);
  const pending: PendingMlCall = {
    alias: `__tvx_ml_${state.mlCalls.length + 1}`,
    call: { name: fn, model: modelRefOf(first[1].this, state.names), settings: {} },
  };
  for (const arg of args.slice(1)) {
    const kind = nodeKind(arg);
    const what = `ML.${fn}`;
    if (kind?.[0] === 'table_argument' && String(kind[1].prefix).toUpperCase() === 'TABLE') {
      const table = nodeKind(kind[1].this);
      if (table?.[0] !== 'table') throw invalidQuery(`${what}: TABLE must be followed by a table name.`);
      qualifyTable(table[1], state);
      pending.input = { sql: `SELECT * FROM ${toDuckSql(kind[1].this)}`, usesParams: false };
    } else if (kind?.[0] === 'subquery') {
      const before = state.paramUses;
      walk(kind[1].this, state);
      pending.input = { sql: toDuckSql(kind[1].this), usesParams: state.paramUses > before };
    } else if (kind?.[0] === 'function' && String(kind[1].name).toUpperCase() === 'STRUCT') {
      pending.call.settings = structSettings(arg, state.params, `${what} settings`);
    } else {
      const value = literalValue(arg, state.params, `${what} thresholds`);
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'number'))
        throw invalidQuery(
          `${what}: the argument after the data must be STRUCT(...) or, for ML.ROC_CURVE, GENERATE_ARRAY(...).`,
        );
      pending.call.thresholds = value as number[];
    }
  }
  state.mlCalls.push(pending);
  return pending;
}

function fixNode(kind: string, body: Record<string, unknown>, state: RewriteState): AstNode | undefined {
  if (kind === 'column') {
    const name = body.name as { name: string; quoted: boolean };
    if (!name.quoted && name.name.startsWith('@') && !body.table) {
      const key = name.name.slice(1).toLowerCase();
      if (!(key in state.params)) throw invalidQuery(`Query parameter '${name.name.slice(1)}' not found`);
      state.paramUses++;
      return { column: { ...body, name: { ...name, name: `__tvx_param_${key}` } } };
    }
    return undefined;
  }
  if (kind === 'literal' && body.literal_type === 'number' && /[.eE]/.test(String(body.value))) {
    // BigQuery reads 1.5 as FLOAT64; DuckDB would read it as DECIMAL.
    return {
      cast: {
        this: { literal: { ...body } },
        to: { data_type: 'custom', name: 'FLOAT64' },
        trailing_comments: [],
        double_colon_syntax: false,
      },
    };
  }
  if (kind === 'unnest' && body.offset_alias) return unnestWithOffset(body, state);
  if (kind === 'extract' && body.field === 'DayOfWeek') {
    // BigQuery counts Sunday as 1, DuckDB as 0.
    walk(body, state);
    const one = { literal: { literal_type: 'number', value: '1' } };
    return {
      paren: {
        this: {
          add: {
            left: { extract: body },
            right: one,
            left_comments: [],
            operator_comments: [],
            trailing_comments: [],
          },
        },
        trailing_comments: [],
      },
    };
  }
  if (kind === 'placeholder') {
    state.paramUses++;
    return undefined;
  }
  if (kind === 'function') {
    const name = String(body.name).toUpperCase();
    if (name.startsWith('ML.')) return { table: { ...tableNode(mlCall(name, body, state).alias) } };
    // polyglot maps REGEXP_CONTAINS to a full match; BigQuery's is a partial match.
    if (name === 'REGEXP_CONTAINS') body.name = 'REGEXP_MATCHES';
    if (name === 'DATE_ADD' || name === 'DATE_SUB') {
      // DuckDB's DATE ± INTERVAL is a TIMESTAMP; BigQuery's DATE_ADD/DATE_SUB give a DATE.
      walk(body, state);
      return {
        cast: {
          this: { function: body },
          to: { data_type: 'custom', name: 'DATE' },
          trailing_comments: [],
          double_colon_syntax: false,
        },
      };
    }
  }
  return undefined;
}

function tableNode(name: string): Record<string, unknown> {
  return {
    name: ident(name),
    schema: null,
    catalog: null,
    alias: null,
    alias_explicit_as: false,
    column_aliases: [],
    trailing_comments: [],
    when: null,
    only: false,
    final_: false,
    hints: [],
  };
}

/** Rewrites `node` in place (children first where they are replaced). */
export function walk(node: unknown, state: RewriteState): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const replaced = visit(node[i], state);
      if (replaced) node[i] = replaced;
    }
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (isTableBody(obj)) {
    if (!(obj.name as { name: string }).name.startsWith('__tvx_ml_')) qualifyTable(obj, state);
    return;
  }
  if (obj.data_type === 'decimal' && obj.precision == null) {
    obj.precision = 38;
    obj.scale = 9;
  }
  for (const key of Object.keys(obj)) {
    const replaced = visit(obj[key], state);
    if (replaced) obj[key] = replaced;
  }
}

function visit(child: unknown, state: RewriteState): AstNode | undefined {
  const kind = nodeKind(child);
  if (kind) {
    const replaced = fixNode(kind[0], kind[1], state);
    if (replaced) return replaced;
  }
  walk(child, state);
  return undefined;
}

/**
 * `UNNEST(a) AS v WITH OFFSET AS o` → `(SELECT UNNEST(a) AS v, GENERATE_SUBSCRIPTS(a, 1) - 1 AS o)`: the
 * translator drops the offset's name, and DuckDB's ordinality counts from 1 where BigQuery's offset counts from 0.
 * DuckDB joins the subquery laterally, so `a` may name a column of an earlier FROM item.
 */
function unnestWithOffset(body: Record<string, unknown>, state: RewriteState): AstNode {
  walk(body.this, state);
  const bq = generate([body.this], BIGQUERY);
  if (!bq.success || !bq.sql?.[0])
    throw invalidQuery(`UNNEST … WITH OFFSET could not be translated: ${bq.error}`);
  const array = bq.sql[0];
  const name = (n: unknown, fallback: string) =>
    `\`${((n as { name?: string } | null)?.name ?? fallback).replaceAll('`', '')}\``;
  const text = `SELECT * FROM (SELECT UNNEST(${array}) AS ${name(body.alias, 'f0_')}, GENERATE_SUBSCRIPTS(${array}, 1) - 1 AS ${name(body.offset_alias, 'offset')})`;
  const parsed = parse(text, BIGQUERY);
  if (!parsed.success) throw invalidQuery(`UNNEST … WITH OFFSET could not be translated: ${parsed.error}`);
  return (parsed.ast[0] as { select: { from: { expressions: AstNode[] } } }).select.from
    .expressions[0] as AstNode;
}

/** A table reference's body: `{name, schema, catalog, alias, hints, …}` wherever it sits. */
function isTableBody(obj: Record<string, unknown>): boolean {
  return (
    'catalog' in obj &&
    'schema' in obj &&
    'hints' in obj &&
    typeof (obj.name as { name?: unknown })?.name === 'string'
  );
}

/** Lower-cased names of every CTE in the statement (they are not tables to qualify). */
export function cteNamesOf(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) cteNamesOf(n, out);
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.ctes))
      for (const cte of obj.ctes as { alias?: { name?: string } }[])
        if (cte.alias?.name) out.add(cte.alias.name.toLowerCase());
    for (const v of Object.values(obj)) cteNamesOf(v, out);
  }
  return out;
}
