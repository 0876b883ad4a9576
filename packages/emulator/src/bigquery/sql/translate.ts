/**
 * BigQuery Standard SQL → what the local BigQuery runs: DuckDB SQL (through polyglot's BigQuery → DuckDB
 * translation and the rewrites in rewrite.ts) or a BigQuery ML request. One statement per query.
 */

import { invalidQuery } from '../errors.ts';
import type { ModelRef, OptionValue, TableRef } from '../types.ts';
import { isModelStatement, parseCreateModel, parseDropModel } from './model-statements.ts';
import { BIGQUERY, parse } from './polyglot.ts';
import {
  cteNamesOf,
  type NameContext,
  type PendingMlCall,
  type RewriteState,
  toDuckSql,
  walk,
} from './rewrite.ts';
import { splitStatements, stripComments } from './scan.ts';

/** A statement that runs as DuckDB SQL. */
export interface SqlStatement {
  kind: 'sql';
  /** BigQuery's `statementType`: SELECT, INSERT, CREATE_TABLE_AS_SELECT, … */
  statementType: string;
  duckSql: string;
  /** ML functions to materialise (as views named `alias`) before `duckSql` runs. */
  mlCalls: PendingMlCall[];
  /** Tables read or written. */
  tables: TableRef[];
  /** For DDL/DML: the table created, changed or dropped. */
  target?: TableRef;
  usesParams: boolean;
}

/** CREATE MODEL with its AS query translated. */
export interface CreateModelStatement {
  kind: 'createModel';
  statementType: 'CREATE_MODEL';
  model: ModelRef;
  mode: 'CREATE' | 'CREATE_OR_REPLACE' | 'CREATE_IF_NOT_EXISTS';
  options: Record<string, OptionValue>;
  query: SqlStatement;
}

/** DROP MODEL. */
export interface DropModelStatement {
  kind: 'dropModel';
  statementType: 'DROP_MODEL';
  model: ModelRef;
  ifExists: boolean;
}

export type Statement = SqlStatement | CreateModelStatement | DropModelStatement;

const STATEMENT_TYPES: Record<string, string> = {
  select: 'SELECT',
  union: 'SELECT',
  intersect: 'SELECT',
  except: 'SELECT',
  insert: 'INSERT',
  update: 'UPDATE',
  delete: 'DELETE',
  merge: 'MERGE',
  create_view: 'CREATE_VIEW',
  drop_table: 'DROP_TABLE',
  drop_view: 'DROP_VIEW',
  truncate: 'TRUNCATE_TABLE',
  alter_table: 'ALTER_TABLE',
};

/** Translates one statement. */
export function translate(sql: string, names: NameContext, params: Record<string, OptionValue>): Statement {
  const statements = splitStatements(sql);
  if (statements.length === 0) throw invalidQuery('The query is empty: give one SQL statement.');
  if (statements.length > 1)
    throw invalidQuery(
      `The query has ${statements.length} statements; multi-statement scripts are not supported by the local BigQuery. Send them one per query.`,
    );
  const text = stripComments(statements[0] as string).trim();
  const model = isModelStatement(text);
  if (model === 'drop')
    return { kind: 'dropModel', statementType: 'DROP_MODEL', ...parseDropModel(text, names) };
  if (model === 'create') {
    const parsed = parseCreateModel(text, names, params);
    const query = translateSql(parsed.query, names, params);
    if (query.statementType !== 'SELECT')
      throw invalidQuery('The AS part of CREATE MODEL must be a query (SELECT …).');
    return { kind: 'createModel', statementType: 'CREATE_MODEL', ...parsed, query };
  }
  return translateSql(text, names, params);
}

function translateSql(text: string, names: NameContext, params: Record<string, OptionValue>): SqlStatement {
  const parsed = parse(text, BIGQUERY);
  if (!parsed.success || !parsed.ast?.[0])
    throw invalidQuery(`Syntax error: ${parsed.error ?? 'the query could not be parsed'}`);
  const root = parsed.ast[0] as Record<string, Record<string, unknown>>;
  const kind = Object.keys(root)[0] as string;
  const body = root[kind] as Record<string, unknown>;
  let statementType = STATEMENT_TYPES[kind];
  if (kind === 'create_table') statementType = body.as_select ? 'CREATE_TABLE_AS_SELECT' : 'CREATE_TABLE';
  if (kind === 'create_schema' || kind === 'drop_schema') {
    statementType = kind === 'create_schema' ? 'CREATE_SCHEMA' : 'DROP_SCHEMA';
    qualifySchemaName(body, names);
  }
  if (!statementType)
    throw invalidQuery(
      `The local BigQuery does not support this statement (${text.split(/\s+/).slice(0, 3).join(' ')} …): it runs queries, DML, CREATE/DROP TABLE, VIEW, SCHEMA and MODEL.`,
    );
  if (statementType === 'SELECT') nameAnonymousColumns(root);
  const state: RewriteState = {
    names,
    params,
    cteNames: cteNamesOf(root),
    tables: [],
    mlCalls: [],
    paramUses: 0,
  };
  walk(root, state);
  const target = ['SELECT', 'CREATE_SCHEMA', 'DROP_SCHEMA'].includes(statementType)
    ? undefined
    : state.tables[0];
  return {
    kind: 'sql',
    statementType,
    duckSql: toDuckSql(root),
    mlCalls: state.mlCalls,
    tables: state.tables,
    target,
    usesParams: state.paramUses > 0,
  };
}

function qualifySchemaName(body: Record<string, unknown>, names: NameContext): void {
  const parts = ((body.name as { name: string }[]) ?? []).flatMap((n) => n.name.split('.'));
  if (parts.length < 1 || parts.length > 2)
    throw invalidQuery('Schema name must be dataset or project.dataset.');
  const [projectId, datasetId] = parts.length === 2 ? parts : [names.projectId, parts[0]];
  body.name = [{ name: `${projectId}.${datasetId}`, quoted: true, trailing_comments: [] }];
}

/**
 * BigQuery names the output columns that are neither a column nor aliased `f0_`, `f1_`, … (DuckDB would use
 * the expression's text). The first SELECT of a set operation names the columns.
 */
function nameAnonymousColumns(root: Record<string, unknown>): void {
  let node = root;
  while (!node.select) {
    const kind = Object.keys(node)[0] as string;
    const left = (node[kind] as { left?: Record<string, unknown> } | undefined)?.left;
    if (!left) return;
    node = left;
  }
  const select = node.select as { expressions?: Record<string, unknown>[] };
  let n = 0;
  select.expressions = (select.expressions ?? []).map((expr) => {
    const kind = Object.keys(expr)[0];
    const column =
      kind === 'column' && !(expr.column as { name: { name: string } }).name.name.startsWith('@');
    if (column || kind === 'star' || kind === 'alias') return expr;
    const alias = { name: `f${n++}_`, quoted: false, trailing_comments: [] };
    return {
      alias: {
        this: expr,
        alias,
        column_aliases: [],
        alias_explicit_as: true,
        pre_alias_comments: [],
        trailing_comments: [],
      },
    };
  });
}
