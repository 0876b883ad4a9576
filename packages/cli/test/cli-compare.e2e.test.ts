/**
 * `tvx compare` against its own emulator: an AutoML Vision model and a BigQuery ML model (trained in this
 * process by the comparison fixture, on the CLI's emulator; the custom model is covered by the automl-bqml e2e
 * test, so it is not trained twice) compared on the same held-out digits, and the errors for bad flags and
 * unknown models.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeClients, init, resetConfig } from '@terra-vertex/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BQ_DATASET,
  type ComparisonModels,
  trainComparisonModels,
} from '../../automl-bqml/test/compare-fixture.ts';
import { CliHarness } from './cli-harness.ts';

const cli = new CliHarness('tvx-cli-compare-test-');
const { work } = cli;
const tvx = (args: string[]) => cli.tvx(args);

describe('tvx compare', () => {
  let models: ComparisonModels;
  let base: string[];

  beforeAll(async () => {
    cli.startEmulator();
    resetConfig();
    init({ emulator: { vertex: cli.env.VERTEX_AI_EMULATOR_HOST!, http: cli.env.STORAGE_EMULATOR_HOST! } });
    models = await trainComparisonModels(work, ['automl', 'bqml'], { automlBudgetMilliNodeHours: 1000 });
    base = ['compare', '--heldout', models.digitsDir];
  }, 300_000);
  afterAll(async () => {
    await closeClients();
    resetConfig();
    cli.close();
  });

  it('compares an AutoML endpoint and a BigQuery ML model, prints the leaderboard and writes the report', () => {
    const report = join(work, 'report.html');
    const args = [
      ...base,
      '--automl',
      models.automl!.endpoint.id,
      '--bqml',
      `${BQ_DATASET}.digits_logistic_reg`,
      '--bq-table',
      `${BQ_DATASET}.digits`,
      '--out',
      report,
      '--title',
      'digits <baselines>',
    ];
    const r = tvx(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/AutoML Vision: \d+ examples predicted/);
    expect(r.stdout).toMatch(/RANK\s+MODEL\s+KIND\s+EXAMPLES\s+ACCURACY\s+AUC-PR\s+AUC-ROC\s+LOG LOSS/);
    const n = models.heldOut.ids.length;
    expect(r.stdout).toMatch(new RegExp(`AutoML Vision\\s+automl\\s+${n}\\s+[01]\\.\\d{4}`));
    expect(r.stdout).toMatch(new RegExp(`BigQuery ML\\s+bqml\\s+${n}\\s+[01]\\.\\d{4}`));
    expect(r.stdout).toContain(`Report: ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('digits &lt;baselines&gt;');
    expect([...html.matchAll(/<section\b/g)]).toHaveLength(2);
    expect(html).toMatch(/data:image\/png;base64,iVBORw0KGgo/);

    const json = cli.json<{
      examples: number;
      leaderboard: { rank: number; model: string; accuracy: number }[];
      models: { name: string; confusionMatrix: { counts: number[][] }; roc?: unknown }[];
    }>(args.slice(0, -2));
    expect(json.examples).toBe(n);
    expect(json.leaderboard.map((row) => row.rank)).toEqual([1, 2]);
    expect(json.leaderboard.map((row) => row.model).sort()).toEqual(['AutoML Vision', 'BigQuery ML']);
    for (const m of json.models) {
      expect(m.roc).toBeUndefined();
      expect(m.confusionMatrix.counts.flat().reduce((a, b) => a + b, 0)).toBe(n);
    }
  });

  it('refuses bad flags with exit 2 and unknown models with exit 3', () => {
    const automl = ['--automl', models.automl!.endpoint.id];
    const one = tvx([...base, ...automl]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/only --automl was given; a comparison needs two or more/);
    const noTable = tvx([...base, ...automl, '--bqml', `${BQ_DATASET}.digits_logistic_reg`]);
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toMatch(/--bq-table: is required with --bqml/);
    const output = tvx([...base, ...automl, '--custom', '123', '--custom-output', 'scores']);
    expect(output.code).toBe(2);
    expect(output.stderr).toMatch(/--custom-output: "scores" is not probabilities or logits/);
    const missing = tvx([...base, '--heldout', join(work, 'nowhere'), ...automl, '--custom', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/index\.csv cannot be read/);

    const unknownEndpoint = tvx([...base, ...automl, '--custom', '999999', '--custom-classes', 'a,b']);
    expect(unknownEndpoint.code).toBe(3);
    expect(unknownEndpoint.stderr).toMatch(/999999/);
    const unknownModel = tvx([
      ...base,
      ...automl,
      '--bqml',
      `${BQ_DATASET}.no_such_model`,
      '--bq-table',
      `${BQ_DATASET}.digits`,
    ]);
    expect(unknownModel.code).toBe(3);
    expect(unknownModel.stderr).toMatch(/no_such_model/);
  });
});
