/**
 * Runs one query job's statement on its DuckDB connection: ML functions first (as temporary views), then the
 * statement; SELECT rows go to a results table that getQueryResults pages through. Returns the job's
 * `statistics.query`.
 */
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { BqmlService } from '../bqml/bqml-service.ts';
import type { JsonObject } from '../deps.ts';
import { BigQueryError, invalidQuery, notFound } from '../errors.ts';
import type { BoundParameters } from '../sql/params.ts';
import type { PendingMlCall } from '../sql/rewrite.ts';
import type { SqlStatement, Statement } from '../sql/translate.ts';
import type { MlStatistics, TableRef } from '../types.ts';
import { quoteIdent, schemaOf, type Warehouse } from '../warehouse.ts';

/** Where a query job's rows go. */
export interface QueryOutput {
  /** The warehouse table holding the rows (SELECT only). */
  resultsTable?: string;
  statistics: JsonObject;
}

/** What a query run needs. */
export interface QueryRunContext {
  conn: DuckDBConnection;
  warehouse: Warehouse;
  bqml: BqmlService;
  params: BoundParameters;
  /** `{project}.{jobId}`-derived name for the results table. */
  resultsName: string;
  destination?: TableRef;
  writeDisposition?: string;
  createDisposition?: string;
  onMlProgress?: (stats: MlStatistics) => void;
}

const RESULTS_SCHEMA = quoteIdent('_tvx_results');

/** Binds only the parameters this SQL uses (DuckDB refuses unused ones). */
async function runBound(ctx: QueryRunContext, sql: string) {
  if (ctx.params.mode === 'POSITIONAL') {
    const count = Object.keys(ctx.params.values).length;
    const values = Array.from({ length: count }, (_, i) => ctx.params.values[String(i + 1)] as DuckDBValue);
    const types = Array.from({ length: count }, (_, i) => ctx.params.types[String(i + 1)] as DuckDBType);
    return count ? ctx.conn.run(sql, values, types) : ctx.conn.run(sql);
  }
  const used = new Set([...sql.matchAll(/\$([a-z0-9_]+)/g)].map((m) => m[1] as string));
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const name of used) {
    if (!(name in ctx.params.values)) continue;
    values[name] = ctx.params.values[name] as DuckDBValue;
    types[name] = ctx.params.types[name] as DuckDBType;
  }
  return Object.keys(values).length ? ctx.conn.run(sql, values, types) : ctx.conn.run(sql);
}

async function materialiseMlCalls(ctx: QueryRunContext, calls: PendingMlCall[]): Promise<void> {
  for (const pending of calls) {
    let input = pending.input;
    if (input?.usesParams) {
      const name = quoteIdent(`${pending.alias}_input`);
      await runBound(ctx, `CREATE OR REPLACE TEMP TABLE ${name} AS ${input.sql}`);
      input = { sql: `SELECT * FROM ${name}`, usesParams: false };
    }
    const table = await ctx.bqml.runFunction(ctx.conn, {
      ...pending.call,
      ...(input ? { input: { sql: input.sql } } : {}),
    });
    await ctx.conn.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(pending.alias)} AS SELECT * FROM ${table}`);
  }
}

async function count(ctx: QueryRunContext, table: string): Promise<number> {
  const r = await ctx.conn.runAndReadAll(`SELECT count(*) FROM ${table}`);
  return Number(r.getRows()[0]?.[0] ?? 0);
}

async function runSelect(ctx: QueryRunContext, st: SqlStatement): Promise<QueryOutput> {
  await ctx.conn.run(`CREATE SCHEMA IF NOT EXISTS ${RESULTS_SCHEMA}`);
  const results = `${RESULTS_SCHEMA}.${quoteIdent(ctx.resultsName)}`;
  await runBound(ctx, `CREATE OR REPLACE TABLE ${results} AS ${st.duckSql}`);
  const schema = schemaOf(await ctx.conn.run(`SELECT * FROM ${results} LIMIT 0`));
  const rows = await count(ctx, results);
  const query: JsonObject = { statementType: 'SELECT', schema: { fields: schema } };
  if (ctx.destination) await writeDestination(ctx, results, query);
  return { resultsTable: results, statistics: { ...query, totalRows: String(rows) } };
}

async function writeDestination(ctx: QueryRunContext, results: string, query: JsonObject): Promise<void> {
  const dest = ctx.destination as TableRef;
  const target = ctx.warehouse.tableSql(dest);
  const exists = await ctx.warehouse.hasTable(ctx.conn, dest);
  if (!(await ctx.warehouse.hasDataset(ctx.conn, dest.projectId, dest.datasetId)))
    throw notFound('Dataset', `${dest.projectId}:${dest.datasetId}`);
  if (!exists && ctx.createDisposition === 'CREATE_NEVER')
    throw notFound('Table', `${dest.projectId}:${dest.datasetId}.${dest.tableId}`);
  const disposition = ctx.writeDisposition ?? 'WRITE_EMPTY';
  if (!exists || disposition === 'WRITE_TRUNCATE') {
    await ctx.conn.run(`CREATE OR REPLACE TABLE ${target} AS SELECT * FROM ${results}`);
  } else if (disposition === 'WRITE_APPEND') {
    await ctx.conn.run(`INSERT INTO ${target} BY NAME SELECT * FROM ${results}`);
  } else if ((await count(ctx, target)) > 0) {
    throw new BigQueryError(
      409,
      'duplicate',
      `Already Exists: Table ${dest.projectId}:${dest.datasetId}.${dest.tableId} (writeDisposition WRITE_EMPTY: the table has rows; use WRITE_TRUNCATE or WRITE_APPEND).`,
    );
  } else {
    await ctx.conn.run(`INSERT INTO ${target} BY NAME SELECT * FROM ${results}`);
  }
  query.destinationTable = dest;
}

async function runOther(ctx: QueryRunContext, st: SqlStatement): Promise<QueryOutput> {
  const query: JsonObject = { statementType: st.statementType };
  const target = st.target;
  let existed = false;
  if (target) {
    existed = await ctx.warehouse.hasTable(ctx.conn, target);
    if (
      st.statementType.startsWith('CREATE_') &&
      !(await ctx.warehouse.hasDataset(ctx.conn, target.projectId, target.datasetId))
    )
      throw notFound('Dataset', `${target.projectId}:${target.datasetId}`);
    if (st.statementType.startsWith('CREATE_') && ctx.bqml.hasModel({ ...target, modelId: target.tableId }))
      throw new BigQueryError(
        409,
        'duplicate',
        `Already Exists: Model ${target.projectId}:${target.datasetId}.${target.tableId} (models and tables share names in a dataset).`,
      );
  }
  const result = await runBound(ctx, st.duckSql);
  if (['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(st.statementType)) {
    const changed = String(result.rowsChanged);
    query.numDmlAffectedRows = changed;
    const stat =
      st.statementType === 'INSERT'
        ? 'insertedRowCount'
        : st.statementType === 'DELETE'
          ? 'deletedRowCount'
          : 'updatedRowCount';
    query.dmlStats = { [stat]: changed };
  } else if (target) {
    const exists = await ctx.warehouse.hasTable(ctx.conn, target);
    query.ddlOperationPerformed = st.statementType.startsWith('DROP_')
      ? existed
        ? 'DROP'
        : 'SKIP'
      : !existed
        ? 'CREATE'
        : /OR\s+REPLACE/i.test(st.duckSql)
          ? 'REPLACE'
          : exists
            ? 'SKIP'
            : 'CREATE';
    query.ddlTargetTable = target;
  }
  return { statistics: query };
}

/** Runs a translated statement; throws BigQueryError for what the job reports as its error. */
export async function runStatement(ctx: QueryRunContext, st: Statement): Promise<QueryOutput> {
  if (st.kind === 'dropModel') {
    const op = await ctx.bqml.dropModel(st.model, st.ifExists);
    return { statistics: { statementType: 'DROP_MODEL', ddlOperationPerformed: op } };
  }
  if (st.kind === 'createModel') {
    await materialiseMlCalls(ctx, st.query.mlCalls);
    let sql = st.query.duckSql;
    if (st.query.usesParams) {
      await runBound(ctx, `CREATE OR REPLACE TEMP TABLE "__tvx_training" AS ${sql}`);
      sql = 'SELECT * FROM "__tvx_training"';
    }
    const result = await ctx.bqml.createModel(
      ctx.conn,
      { model: st.model, mode: st.mode, options: st.options, query: sql },
      ctx.onMlProgress,
    );
    return {
      statistics: {
        statementType: 'CREATE_MODEL',
        ddlOperationPerformed: result.ddlOperationPerformed,
        ...(result.mlStatistics ? { mlStatistics: result.mlStatistics } : {}),
      },
    };
  }
  await materialiseMlCalls(ctx, st.mlCalls);
  if (st.statementType === 'SELECT') return runSelect(ctx, st);
  if (ctx.destination)
    throw invalidQuery(`destinationTable can only be set for SELECT queries, not ${st.statementType}.`);
  return runOther(ctx, st);
}
