import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type BqmlProgress,
  bqmlBaseline,
  type Evaluation,
  evaluateModel,
  explainPredict,
  globalExplain,
  type InputRows,
  type PredictionRow,
  predictWithModel,
} from '@terra-vertex/automl-bqml';
import { type CostEstimate, ValidationError } from '@terra-vertex/core';
import { fromBqmlExplainPredict, fromBqmlGlobalExplain, tabularAttributionsSvg } from '@terra-vertex/xai';
import type { Command } from 'commander';
import ora from 'ora';
import { type GlobalOptions, print, table } from '../output.ts';
import { asFlagError, collect, keyValues, printEstimate, usd } from './options.ts';

type Globals = () => GlobalOptions;

const int = (v: string) => Number.parseInt(v, 10);
const float = (v: string) => Number(v);
const fmt = (v: unknown) =>
  typeof v === 'number' ? String(Number(v.toPrecision(4))) : v == null ? '-' : String(v);

/** Training progress: a spinner on a terminal, a line per change otherwise, NDJSON on stderr with --json. */
function trainingDisplay(json?: boolean): { listener: (p: BqmlProgress) => void; stop: () => void } {
  if (json)
    return {
      listener: (p) => process.stderr.write(`${JSON.stringify({ type: 'bqml', ...p })}\n`),
      stop: () => {},
    };
  const spinner = process.stderr.isTTY ? ora({ stream: process.stderr }).start('Submitting…') : undefined;
  let last = '';
  return {
    listener: (p) => {
      const of = p.maxIterations ? `/${p.maxIterations}` : '';
      const loss = p.trainingLoss !== undefined ? `, loss ${fmt(p.trainingLoss)}` : '';
      const evalLoss = p.evalLoss !== undefined ? `, eval loss ${fmt(p.evalLoss)}` : '';
      const text = `${p.state} ${p.jobId}: iteration ${p.iterations}${of}${loss}${evalLoss} (${Math.round(p.elapsedMs / 1000)}s)`;
      if (spinner) spinner.text = text;
      else if (text.replace(/ \(\d+s\)$/, '') !== last) process.stderr.write(`${text}\n`);
      last = text.replace(/ \(\d+s\)$/, '');
    },
    stop: () => spinner?.stop(),
  };
}

/** The ML.EVALUATE row with BigQuery's column names as headers. */
function evaluationTable(e: Evaluation): string {
  const entries = Object.entries(e.row);
  return table([entries.map(([k]) => k.toUpperCase()), entries.map(([, v]) => fmt(v))]);
}

function predictionTable(rows: PredictionRow[], max = 10): string {
  if (!rows.length) return '(no rows)';
  return table([
    ['#', 'PREDICTED', 'PROBABILITIES'],
    ...rows
      .slice(0, max)
      .map((r, i) => [
        String(i),
        fmt(r.predicted),
        (r.probabilities ?? []).map((p) => `${p.label}:${fmt(p.prob)}`).join(' ') ||
          (r.components ?? []).map(fmt).join(' '),
      ]),
  ]);
}

function inputOf(tableRef: string | undefined, limit?: number, features?: string): InputRows | undefined {
  if (!tableRef) return undefined;
  return {
    table: tableRef,
    ...(features ? { columns: features.split(',').map((s) => s.trim()) } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/** `tvx bqml baseline|evaluate|predict|explain`: BigQuery ML baselines. */
export function registerBqml(program: Command, globals: Globals): void {
  const bqml = program
    .command('bqml')
    .description('BigQuery ML baselines: train, evaluate, predict, explain');
  const target = () => (globals().project ? { config: { project: globals().project } } : {});

  bqml
    .command('baseline')
    .description('train a BigQuery ML model on a table; prints its evaluation and first predictions')
    .requiredOption('--table <project.dataset.table>', 'training table')
    .requiredOption('--model-type <type>', 'LOGISTIC_REG, LINEAR_REG, KMEANS, PCA, BOOSTED_TREE_CLASSIFIER …')
    .option('--label <column>', 'label column (supervised model types)')
    .option(
      '--option <key=value>',
      'CREATE MODEL option, e.g. l2_reg=0.1 or hidden_units=64,32 (repeatable)',
      collect,
    )
    .option(
      '--model <project.dataset.model>',
      'model to create or replace (default <dataset>.<table>_<type>)',
    )
    .option('--features <a,b,…>', 'feature columns (default all but the label)')
    .option('--evaluation-table <project.dataset.table>', 'evaluate and predict on this table')
    .option('--threshold <p>', 'binary classification threshold', float)
    .option('--predict-limit <n>', 'prediction rows to read (default 1000)', int)
    .option('--poll <ms>', 'progress poll interval', int, 1000)
    .option(
      '--max-cost <usd>',
      'refuse to train when CREATE MODEL is estimated above this (USD)',
      (v: string) => usd(v),
    )
    .action(
      async (o: {
        table: string;
        modelType: string;
        label?: string;
        option?: string[];
        model?: string;
        features?: string;
        evaluationTable?: string;
        threshold?: number;
        predictLimit?: number;
        poll: number;
        maxCost?: number;
      }) => {
        const g = globals();
        const baseline = {
          ...target(),
          table: o.table,
          modelType: o.modelType as 'LOGISTIC_REG',
          options: keyValues(o.option, '--option'),
          ...(o.label !== undefined ? { label: o.label } : {}),
          ...(o.model ? { model: o.model } : {}),
          ...(o.features ? { features: o.features.split(',').map((s) => s.trim()) } : {}),
        };
        const display = trainingDisplay(g.json);
        let result: Awaited<ReturnType<typeof bqmlBaseline>>;
        try {
          result = await bqmlBaseline({
            ...baseline,
            ...(o.maxCost !== undefined
              ? { maxCost: o.maxCost, onCost: (e: CostEstimate) => printEstimate(e, g) }
              : {}),
            table: o.table,
            modelType: o.modelType as 'LOGISTIC_REG',
            options: keyValues(o.option, '--option'),
            onProgress: display.listener,
            pollMs: o.poll,
            ...(o.evaluationTable ? { evaluationTable: o.evaluationTable } : {}),
            ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
            ...(o.predictLimit !== undefined ? { predictLimit: o.predictLimit } : {}),
          });
        } catch (err) {
          throw asFlagError(err);
        } finally {
          display.stop();
        }
        const m = result.model;
        const name = `${m.projectId}.${m.datasetId}.${m.modelId}`;
        const { row: _row, ...evaluation } = result.evaluation;
        print(
          g,
          {
            model: name,
            modelType: result.modelType,
            job: result.job,
            evaluation,
            predictions: result.predictions.length,
            firstPredictions: result.predictions.slice(0, 5),
            trainingInfo: result.trainingInfo.map(({ row: _r, ...t }) => t),
          },
          () =>
            [
              `Model ${name} (${result.modelType}): ${result.job.statementType ?? '?'} ${result.job.ddlOperationPerformed ?? ''}, ${result.trainingInfo.length} iterations, job ${result.job.jobId}`,
              `Evaluation (${result.evaluation.kind}):`,
              evaluationTable(result.evaluation),
              `Predictions (${result.predictions.length} rows, first 10):`,
              predictionTable(result.predictions),
            ].join('\n'),
        );
      },
    );

  bqml
    .command('evaluate')
    .description('ML.EVALUATE: metrics on a table, or on the held-out split without --table')
    .requiredOption('--model <project.dataset.model>', 'the model')
    .option('--table <project.dataset.table>', 'rows to evaluate on')
    .option('--threshold <p>', 'binary classification threshold (needs --table)', float)
    .action(async (o: { model: string; table?: string; threshold?: number }) => {
      if (o.threshold !== undefined && !o.table)
        throw new ValidationError(
          '--threshold',
          'needs --table',
          'Give the rows to evaluate on with --table.',
        );
      const input = inputOf(o.table);
      const e = await evaluateModel({
        ...target(),
        model: o.model,
        ...(input ? { input } : {}),
        settings: { threshold: o.threshold },
      });
      const { row: _row, ...evaluation } = e;
      print(globals(), { model: o.model, evaluation }, () => `${o.model} (${e.kind})\n${evaluationTable(e)}`);
    });

  bqml
    .command('predict')
    .description('ML.PREDICT on a table')
    .requiredOption('--model <project.dataset.model>', 'the model')
    .requiredOption('--table <project.dataset.table>', 'rows to predict')
    .option('--limit <n>', 'at most n rows', int, 100)
    .option('--label <column>', "the model's label column (finds predicted_<label>)")
    .option('--threshold <p>', 'binary classification threshold', float)
    .action(
      async (o: { model: string; table: string; limit: number; label?: string; threshold?: number }) => {
        const rows = await predictWithModel({
          ...target(),
          model: o.model,
          input: inputOf(o.table, o.limit)!,
          settings: { threshold: o.threshold },
          ...(o.label ? { label: o.label } : {}),
        });
        print(globals(), rows, () => predictionTable(rows, o.limit));
      },
    );

  bqml
    .command('explain')
    .description('ML.EXPLAIN_PREDICT (per row) or, with --global, ML.GLOBAL_EXPLAIN; --chart writes an SVG')
    .requiredOption('--model <project.dataset.model>', 'the model')
    .option('--table <project.dataset.table>', 'rows to explain (not with --global)')
    .option('--limit <n>', 'at most n rows', int, 5)
    .option('--top-k <n>', 'features per row (default 5)', int)
    .option('--label <column>', "the model's label column")
    .option('--global', 'global feature importance (the model needs enable_global_explain=TRUE)')
    .option('--class-level', 'with --global: one explanation per class')
    .option('--chart <file.svg>', 'write the first explanation as a bar chart')
    .action(
      async (o: {
        model: string;
        table?: string;
        limit: number;
        topK?: number;
        label?: string;
        global?: boolean;
        classLevel?: boolean;
        chart?: string;
      }) => {
        if (o.global && o.table)
          throw new ValidationError('--table', 'is not used with --global', 'Leave out --table or --global.');
        if (!o.global && !o.table)
          throw new ValidationError(
            '--table',
            'is missing',
            'Give the rows to explain, or --global for the model.',
          );
        const common = { model: o.model, ...(o.label ? { label: o.label } : {}) };
        const results = o.global
          ? fromBqmlGlobalExplain(
              (
                await globalExplain({
                  ...target(),
                  model: o.model,
                  settings: { class_level_explain: o.classLevel },
                })
              ).map((r) => ({
                ...(r.classLabel !== undefined ? { class: r.classLabel } : {}),
                feature: r.feature,
                attribution: r.attribution,
              })),
              common,
            )
          : fromBqmlExplainPredict(
              await explainPredict({
                ...target(),
                ...common,
                input: inputOf(o.table, o.limit)!,
                settings: { top_k_features: o.topK },
              }),
              common,
            );
        let chart: string | undefined;
        if (o.chart && results[0]) {
          chart = resolve(o.chart);
          const title = o.global
            ? `Global feature importance of ${o.model}${results[0].label ? ` (${results[0].label})` : ''}`
            : undefined;
          writeFileSync(chart, tabularAttributionsSvg(results[0], title ? { title } : {}));
        }
        print(
          globals(),
          {
            results: results.map(
              ({
                kind,
                label,
                prediction,
                instanceOutputValue,
                baselineOutputValue,
                approximationError,
                map,
              }) => ({
                kind,
                label,
                prediction,
                instanceOutputValue,
                baselineOutputValue,
                approximationError,
                attributions: map,
              }),
            ),
            chart,
          },
          () =>
            [
              ...results.map((r, i) => {
                const head = o.global
                  ? `global${r.label ? ` — ${r.label}` : ''}:`
                  : `row ${i}: predicted ${fmt(r.prediction)} (output ${fmt(r.instanceOutputValue)}, baseline ${fmt(r.baselineOutputValue)}, approximation error ${fmt(r.approximationError)})`;
                const rows = Object.entries(r.map).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
                return `${head}\n${table([['FEATURE', 'ATTRIBUTION'], ...rows.map(([f, v]) => [f, fmt(v)])])}`;
              }),
              chart ? `Chart: ${chart}` : '',
            ]
              .join('\n')
              .trim(),
        );
      },
    );
}
