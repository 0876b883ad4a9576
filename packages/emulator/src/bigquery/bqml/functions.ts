/**
 * The ML.* table functions: the input rows go to the engine as a frame file, the engine's numbers come back as a
 * frame loaded into a TEMP table, and SQL builds BigQuery's output columns (reference §3.5–3.8) joined back to
 * the input rows by row number, output columns first.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { invalidQuery } from '../errors.ts';
import type { MlFunctionCall } from '../types.ts';
import { duckTypeOf, quoteIdent, quoteString } from '../warehouse.ts';
import type { BqmlEngine, EngineAnswer } from './engine.ts';
import { describeQuery, loadFrame, readFrame, writeQueryFrame } from './frames.ts';
import { checkCall } from './function-checks.ts';
import type { ModelState } from './model-store.ts';
import { evaluateColumns, trainingInfoTable, valuesTable } from './tables.ts';

/** What a function call needs besides the call itself. */
export interface FunctionContext {
  conn: DuckDBConnection;
  engine: BqmlEngine;
  state: ModelState;
  modelDir: string;
  tmpDir: string;
  /** `p:d.m` for messages. */
  modelName: string;
}

const uid = () => randomBytes(6).toString('hex');

/** Runs one ML function; returns the TEMP table holding its rows. */
export async function runMlFunction(ctx: FunctionContext, call: MlFunctionCall): Promise<string> {
  checkCall(call, ctx.state, ctx.modelName);
  const out = `__tvx_ml_${call.name.toLowerCase()}_${uid()}`;
  if (call.name === 'TRAINING_INFO') {
    await trainingInfoTable(ctx.conn, out, ctx.state);
    return out;
  }
  if (call.name === 'PREDICT' || call.name === 'EXPLAIN_PREDICT') {
    await rowWise(ctx, call, out);
    return out;
  }
  const files: string[] = [];
  try {
    const req: Record<string, unknown> = { modelDir: ctx.modelDir, settings: call.settings };
    if (call.input) req.frame = await inputFrame(ctx, call.input.sql, true, files);
    if (call.thresholds) req.thresholds = call.thresholds;
    const cmd = call.name.toLowerCase();
    const answer = await ctx.engine.ask({ cmd, ...req });
    await smallTable(ctx, call, out, answer);
    return out;
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}

/** Writes the input's model columns (and the label when asked) to a frame; returns its path. */
async function inputFrame(
  ctx: FunctionContext,
  sql: string,
  withLabel: boolean,
  files: string[],
): Promise<string> {
  const cols = await describeQuery(ctx.conn, sql);
  const want = new Set(ctx.state.features.map((f) => f.name));
  if (withLabel && ctx.state.label) want.add(ctx.state.label);
  const path = join(ctx.tmpDir, `in-${uid()}.frame`);
  files.push(path);
  const label = withLabel && ctx.state.label ? [ctx.state.label] : [];
  await writeQueryFrame(
    ctx.conn,
    sql,
    cols.filter((c) => want.has(c.name)),
    path,
    {},
    label,
  );
  return path;
}

async function smallTable(
  ctx: FunctionContext,
  call: MlFunctionCall,
  out: string,
  answer: EngineAnswer,
): Promise<void> {
  const st = ctx.state;
  const rows = answer.rows as unknown[] | undefined;
  switch (call.name) {
    case 'EVALUATE': {
      const cols = evaluateColumns(st.modelType);
      const row = (rows![0] ?? {}) as Record<string, number | null>;
      await valuesTable(
        ctx.conn,
        out,
        cols.map((c) => ({ name: c, type: 'DOUBLE' })),
        [cols.map((c) => row[c] ?? null)],
      );
      return;
    }
    case 'CONFUSION_MATRIX': {
      const classes = answer.classes as (string | number)[];
      const matrix = answer.matrix as number[][];
      const labelType = duckTypeOf({ name: st.label!, type: st.labelType! });
      const columns = [
        { name: 'expected_label', type: labelType },
        ...classes.map((c) => ({ name: sanitize(String(c)), type: 'BIGINT' })),
      ];
      await valuesTable(
        ctx.conn,
        out,
        columns,
        classes.map((c, i) => [c, ...matrix[i]!]),
      );
      return;
    }
    case 'ROC_CURVE': {
      const names = [
        'threshold',
        'recall',
        'false_positive_rate',
        'true_positives',
        'false_positives',
        'true_negatives',
        'false_negatives',
      ];
      const columns = names.map((n, i) => ({ name: n, type: i < 3 ? 'DOUBLE' : 'BIGINT' }));
      const data = (rows as Record<string, number | null>[]).map((r) => names.map((n) => r[n] ?? null));
      await valuesTable(ctx.conn, out, columns, data);
      return;
    }
    case 'GLOBAL_EXPLAIN': {
      const perClass = call.settings.class_level_explain === true;
      const columns = [
        ...(perClass ? [{ name: st.label!, type: 'VARCHAR' }] : []),
        { name: 'feature', type: 'VARCHAR' },
        { name: 'attribution', type: 'DOUBLE' },
      ];
      await valuesTable(ctx.conn, out, columns, rows as unknown[][]);
      return;
    }
    case 'FEATURE_IMPORTANCE': {
      const columns = [
        { name: 'feature', type: 'VARCHAR' },
        { name: 'importance_weight', type: 'BIGINT' },
        { name: 'importance_gain', type: 'DOUBLE' },
        { name: 'importance_cover', type: 'DOUBLE' },
      ];
      await valuesTable(ctx.conn, out, columns, rows as unknown[][]);
      return;
    }
    default:
      throw invalidQuery(`ML.${call.name} is not supported by the local BigQuery.`);
  }
}

/** BigQuery's column name for a class label: non-word characters → `_`, a leading digit gets `_`. */
export function sanitize(label: string): string {
  const s = label.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

async function rowWise(ctx: FunctionContext, call: MlFunctionCall, out: string): Promise<void> {
  const { conn, state } = ctx;
  const id = uid();
  const inTable = `__tvx_in_${id}`;
  const resTable = `__tvx_res_${id}`;
  const files: string[] = [];
  try {
    // The input is read once into a TEMP table; its rows keep their insertion order, so the engine's output
    // rows (same order) are joined back by position.
    await conn.run(
      `CREATE TEMP TABLE ${quoteIdent(inTable)} AS SELECT * FROM (${call.input!.sql}) AS __tvx_q`,
    );
    const frame = await inputFrame(ctx, `SELECT * FROM ${quoteIdent(inTable)}`, false, files);
    const outPath = join(ctx.tmpDir, `out-${id}.frame`);
    files.push(outPath);
    const cmd = call.name === 'PREDICT' ? 'predict' : 'explain_predict';
    const answer = await ctx.engine.ask({
      cmd,
      modelDir: ctx.modelDir,
      frame,
      out: outPath,
      settings: call.settings,
    });
    const result = readFrame(outPath);
    await loadFrame(conn, resTable, result);
    const exprs =
      call.name === 'PREDICT'
        ? predictColumns(
            state,
            result.columns.map((c) => c.name),
          )
        : explainColumns(state, answer);
    const keep = !(state.modelType === 'PCA' && call.settings.keep_original_columns !== true);
    const select = [...exprs, ...(keep ? ['i.*'] : [])].join(', ');
    // A view, not a third copy of every passed-through column: the two TEMP tables under it live as long
    // as the job's connection.
    await conn.run(
      `CREATE TEMP VIEW ${quoteIdent(out)} AS SELECT ${select} FROM ${quoteIdent(inTable)} AS i POSITIONAL JOIN ${quoteIdent(resTable)} AS o`,
    );
  } catch (err) {
    await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(inTable)}`);
    await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(resTable)}`);
    throw err;
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}

function labelSql(state: ModelState) {
  const type = duckTypeOf({ name: state.label!, type: state.labelType! });
  const classes = (state.classes ?? []).map((c) => `CAST(${quoteString(String(c))} AS ${type})`);
  return { type, classes, list: `[${classes.join(', ')}]::${type}[]` };
}

const col = (name: string) => `o.${quoteIdent(name)}`;
const int = (expr: string) => `CAST(${expr} AS BIGINT)`;

function predictColumns(state: ModelState, names: string[]): string[] {
  const mt = state.modelType;
  if (mt === 'KMEANS') {
    const m = Math.min(state.numClusters ?? 0, 5);
    const items = Array.from(
      { length: m },
      (_, j) => `{'CENTROID_ID': ${int(col(`n${j}_id`))}, 'DISTANCE': ${col(`n${j}_d`)}}`,
    );
    return [`${int(col('cid'))} AS centroid_id`, `[${items.join(', ')}] AS nearest_centroids_distance`];
  }
  if (mt === 'PCA')
    return names
      .filter((n) => n.startsWith('pc'))
      .map((n) => `${col(n)} AS principal_component_${Number(n.slice(2)) + 1}`);
  if (mt === 'AUTOENCODER')
    return names
      .filter((n) => /^l\d+$/.test(n))
      .map((n) => `${col(n)} AS latent_col_${Number(n.slice(1)) + 1}`);
  const label = state.label!;
  const predicted = quoteIdent(`predicted_${label}`);
  if (!state.classes) return [`${col('v')} AS ${predicted}`];
  const ls = labelSql(state);
  // Probabilities listed from the highest class down (the positive class first for binary models).
  const probs = ls.classes.map((c, k) => `{'label': ${c}, 'prob': ${col(`p${k}`)}}`).reverse();
  return [
    `(${ls.list})[${int(col('idx'))} + 1] AS ${predicted}`,
    `[${probs.join(', ')}] AS ${quoteIdent(`predicted_${label}_probs`)}`,
  ];
}

function explainColumns(state: ModelState, answer: EngineAnswer): string[] {
  const label = state.label!;
  const out: string[] = [];
  if (state.classes) {
    out.push(`(${labelSql(state).list})[${int(col('idx'))} + 1] AS ${quoteIdent(`predicted_${label}`)}`);
    out.push(`${col('prob')} AS probability`);
  } else out.push(`${col('v')} AS ${quoteIdent(`predicted_${label}`)}`);
  const names = `[${state.features.map((f) => quoteString(f.name)).join(', ')}]::VARCHAR[]`;
  const k = Number(answer.topK ?? 0);
  const items = Array.from(
    { length: k },
    (_, j) => `{'feature': (${names})[${int(col(`f${j}`))} + 1], 'attribution': ${col(`a${j}`)}}`,
  );
  out.push(
    `${k ? `[${items.join(', ')}]` : `[]::STRUCT(feature VARCHAR, attribution DOUBLE)[]`} AS top_feature_attributions`,
    `${col('base')} AS baseline_prediction_value`,
    `${col('pv')} AS prediction_value`,
    `${col('err')} AS approximation_error`,
  );
  return out;
}
