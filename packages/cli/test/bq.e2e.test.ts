import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { breastCancerFrame } from '@terra-vertex/automl-bqml';
import { EMULATOR_DEFAULT_PROJECT } from '@terra-vertex/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness } from './cli-harness.ts';

const cli = new CliHarness('tvx-bq-cli-test-');
const { work } = cli;
const tvx = (args: string[]) => cli.tvx(args);
const json = <T = Record<string, unknown>>(args: string[]) => cli.json<T>(args);

const TABLE = `${EMULATOR_DEFAULT_PROJECT}.samples.breast_cancer`;
const MODEL = `${EMULATOR_DEFAULT_PROJECT}.samples.bc_cli`;

describe('tvx bq and tvx bqml', () => {
  let malignant = 0;
  beforeAll(async () => {
    cli.startEmulator();
    malignant = (await breastCancerFrame()).rows.filter((r) => r.diagnosis === 'malignant').length;
  });
  afterAll(() => cli.close());

  it('loads the breast-cancer sample and queries it with typed parameters', () => {
    expect(json(['bq', 'load-sample', 'breast-cancer', '--dataset', 'samples'])).toEqual({
      table: TABLE,
      rows: 569,
    });
    const q = `SELECT diagnosis, COUNT(*) AS n FROM \`${TABLE}\` WHERE diagnosis = @d AND mean_radius > @r GROUP BY diagnosis`;
    const csv = tvx([
      'bq',
      'query',
      q,
      '--param',
      'd=malignant',
      '--param',
      'r=0:FLOAT64',
      '--format',
      'csv',
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toBe(`diagnosis,n\nmalignant,${malignant}\n`);
    const table = tvx([
      'bq',
      'query',
      `SELECT mean_radius, diagnosis FROM \`${TABLE}\` ORDER BY mean_radius`,
      '--max-rows',
      '2',
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^mean_radius\s+diagnosis$/);
    expect(table.stdout).toContain('(2 of 569 rows)');
    const rows = json<Record<string, unknown>[]>([
      'bq',
      'query',
      'SELECT @n + 1 AS m, @b AS b',
      '--param',
      'n=41:INT64',
      '--param',
      'b=true:BOOL',
    ]);
    expect(rows).toEqual([{ m: 42, b: true }]);
  });

  it('validates a statement with --dry-run without running it', () => {
    const dry = `${EMULATOR_DEFAULT_PROJECT}.samples.dry_run_only`;
    const r = json<{ dryRun: boolean; totalBytesProcessed: number }>([
      'bq',
      'query',
      `CREATE TABLE \`${dry}\` AS SELECT mean_radius FROM \`${TABLE}\``,
      '--dry-run',
    ]);
    expect(r.dryRun).toBe(true);
    expect(r.totalBytesProcessed).toBeGreaterThanOrEqual(0);
    expect(tvx(['bq', 'query', `SELECT * FROM \`${dry}\``]).code).toBe(3);
  });

  it('refuses malformed parameters and reports query errors with exit codes', () => {
    const bad = tvx(['bq', 'query', 'SELECT 1', '--param', 'x y=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--param: "x y=1" is not NAME=VALUE\[:TYPE\]/);
    expect(tvx(['bq', 'query', 'SELECT @n', '--param', 'n=1.5:INT64']).stderr).toMatch(
      /--param n: "1.5" is not INT64/,
    );
    const missing = tvx(['bq', 'query', `SELECT * FROM \`${EMULATOR_DEFAULT_PROJECT}.samples.nope\``]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/nope/);
  });

  it('trains a baseline with progress, then evaluates, predicts and explains it', () => {
    const r = tvx([
      '--json',
      'bqml',
      'baseline',
      '--table',
      TABLE,
      '--label',
      'diagnosis',
      '--model-type',
      'logistic_reg',
      '--option',
      'l2_reg=0.1',
      '--option',
      'enable_global_explain=true',
      '--model',
      MODEL,
      '--poll',
      '50',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      model: string;
      job: { statementType: string; mlStatistics: { iterationResults: unknown[] } };
      evaluation: Record<string, number>;
      predictions: number;
    };
    expect(out.model).toBe(MODEL);
    expect(out.job.statementType).toBe('CREATE_MODEL');
    expect(out.job.mlStatistics.iterationResults.length).toBeGreaterThan(0);
    expect(Object.keys(out.evaluation).sort()).toEqual([
      'accuracy',
      'f1Score',
      'kind',
      'logLoss',
      'precision',
      'recall',
      'rocAuc',
    ]);
    expect(out.predictions).toBe(569);
    expect(r.stderr).toMatch(/"type":"bqml".*"state":"DONE"/);

    const evaluation = tvx(['bqml', 'evaluate', '--model', MODEL, '--table', TABLE, '--threshold', '0.5']);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(evaluation.stdout).toMatch(/PRECISION\s+RECALL\s+ACCURACY\s+F1_SCORE\s+LOG_LOSS\s+ROC_AUC/);

    const predictions = json<{ predicted: string }[]>([
      'bqml',
      'predict',
      '--model',
      MODEL,
      '--table',
      TABLE,
      '--limit',
      '3',
    ]);
    expect(predictions).toHaveLength(3);
    for (const p of predictions) expect(['benign', 'malignant']).toContain(p.predicted);

    const chart = join(work, 'explain.svg');
    const explained = tvx([
      'bqml',
      'explain',
      '--model',
      MODEL,
      '--table',
      TABLE,
      '--limit',
      '2',
      '--top-k',
      '3',
      '--chart',
      chart,
    ]);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toMatch(/^row 0: predicted (benign|malignant) \(output/);
    expect(explained.stdout.match(/^FEATURE\s+ATTRIBUTION$/gm)).toHaveLength(2);
    expect(readFileSync(chart, 'utf8')).toMatch(/^<svg[\s\S]*class="feature"/);

    const global = json<{ results: { attributions: Record<string, number> }[] }>([
      'bqml',
      'explain',
      '--model',
      MODEL,
      '--global',
    ]);
    expect(Object.keys(global.results[0]!.attributions)).toHaveLength(30);
  });

  it('refuses injected names and unknown options with exit code 2, and unknown models with 3', () => {
    const base = ['bqml', 'baseline', '--label', 'diagnosis', '--model-type', 'LOGISTIC_REG'];
    const injected = tvx([...base, '--table', `${TABLE}\` ; DROP TABLE x; --`]);
    expect(injected.code).toBe(2);
    expect(injected.stderr).toMatch(/^error: table: .* backtick/);
    const column = tvx([...base, '--table', TABLE, '--features', 'a) OR (1=1']);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/features\[0\]/);
    const option = tvx([...base, '--table', TABLE, '--option', 'num_clusters=3']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/options\.num_clusters: .*Valid options: .*l2_reg/);
    const type = tvx(['bqml', 'baseline', '--table', TABLE, '--model-type', 'ARIMA']);
    expect(type.code).toBe(2);
    expect(type.stderr).toMatch(/modelType: "ARIMA" .* LOGISTIC_REG/);
    const unknown = tvx(['bqml', 'evaluate', '--model', `${EMULATOR_DEFAULT_PROJECT}.samples.no_such_model`]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/no_such_model/);
  });
});
