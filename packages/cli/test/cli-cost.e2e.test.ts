import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, root } from './cli-harness.ts';

const cli = new CliHarness('tvx-cli-cost-');
const trainer = join(root, 'examples/sklearn-iris-trainer');
const job = ['train', 'custom-job', '--package-dir', trainer, '--module', 'trainer.task'];

/** The `{"cost": …}` line a `--json` run writes to stderr. */
function costLine(stderr: string): { totalUsd: number; basis: string; what: string } {
  const line = stderr.split('\n').find((l) => l.startsWith('{"cost":'));
  if (!line) throw new Error(`no cost line in:\n${stderr}`);
  return (JSON.parse(line) as { cost: { totalUsd: number; basis: string; what: string } }).cost;
}

describe('tvx cost estimates and --max-cost', () => {
  beforeAll(() => {
    cli.startEmulator();
  });
  afterAll(() => cli.close());

  it('prints the estimate with --dry-run, explained, next to the unchanged request', () => {
    const r = cli.tvx([...job, '--dry-run', '--expected-duration', '30m']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).customJob.displayName).toMatch(/^CustomJob /);
    // 1 replica × $0.218499 × 0.5 h.
    expect(r.stderr).toMatch(
      /Estimated cost of custom job "CustomJob [^"]+": \$0\.1092 \(based on expectedDuration 30 min\)/,
    );
    expect(r.stderr).toContain(
      '1 replica × $0.218499 per hour per replica (n1-standard-4 for training) × 0.5 hours',
    );
    expect(r.stderr).toContain('https://cloud.google.com/vertex-ai/pricing (checked ');

    const json = cli.tvx([
      '--json',
      ...job,
      '--dry-run',
      '--replica-count',
      '3',
      '--expected-duration',
      '2h',
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(costLine(json.stderr).totalUsd).toBeCloseTo(3 * 0.218499 * 2, 12);
  });

  it('refuses a run above --max-cost with exit 2, before anything is staged or sent', () => {
    const r = cli.tvx([...job, '--timeout', '7200', '--max-cost', '0.25']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /error: --max-cost: the estimate \$0\.4370 for custom job .* is above \$0\.2500/,
    );
    expect(r.stderr).toMatch(/or raise --max-cost/);
    expect(cli.json<unknown[]>(['jobs', 'list'])).toEqual([]);
    expect(existsSync(join(cli.work, 'data/gcs/demo-terra-vertex-staging/packages'))).toBe(false);
  });

  it('prints the estimate before submitting a run under --max-cost', () => {
    const r = cli.tvx([...job, '--display-name', 'cheap', '--expected-duration', '10m', '--max-cost', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SUCCEEDED/);
    const estimated = r.stderr.indexOf('Estimated cost of custom job "cheap"');
    expect(estimated).toBeGreaterThanOrEqual(0);
    expect(estimated).toBeLessThan(r.stderr.indexOf('Created projects/'));
  });

  it('prices a study as trials × duration and an AutoML budget, and checks the flags', () => {
    const study = cli.tvx([
      '--json',
      'hptune',
      'run',
      ...job.slice(2),
      '--metric',
      'accuracy=maximize',
      '--param',
      'C=double:0.1:10',
      '--max-trials',
      '4',
      '--expected-duration',
      '15m',
      '--dry-run',
    ]);
    expect(study.code, study.stderr).toBe(0);
    expect(costLine(study.stderr).totalUsd).toBeCloseTo(1 * 0.218499 * 0.25 * 4, 12);

    const automl = cli.tvx([
      'automl',
      'image',
      'train',
      '--dataset',
      '123',
      '--budget',
      '8000',
      '--dry-run',
      '--max-cost',
      '20',
    ]);
    expect(automl.code).toBe(2);
    expect(automl.stderr).toContain('Estimated cost of AutoML image training');
    expect(automl.stderr).toMatch(/--max-cost: the estimate \$27\.72 .*Lower budgetMilliNodeHours/);

    expect(cli.tvx([...job, '--max-cost', 'lots']).stderr).toMatch(
      /--max-cost: "lots" is not a positive amount/,
    );
    const bad = cli.tvx([...job, '--expected-duration', '10x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--expected-duration: "10x" is not a duration/);
  });

  it('prices a deployment (ceiling at --max-replicas) and refuses it above --max-cost', () => {
    const dir = join(cli.work, 'iris');
    mkdirSync(dir, { recursive: true });
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, joblib\nfrom sklearn.datasets import load_iris\nfrom sklearn.linear_model import LogisticRegression\n' +
        'X, y = load_iris(return_X_y=True)\njoblib.dump(LogisticRegression(max_iter=500).fit(X, y), sys.argv[1])',
      join(dir, 'model.joblib'),
    ]);
    const model = cli.json<{ name: string }>([
      'models',
      'upload',
      '--display-name',
      'iris',
      '--artifact-uri',
      dir,
      '--serving-image',
      'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest',
    ]);
    const endpoint = cli.json<{ name: string }>(['endpoints', 'create', '--display-name', 'cost']);
    const deploy = ['endpoints', 'deploy', endpoint.name, model.name];
    const dry = cli.tvx(['--json', ...deploy, '--dry-run', '--expected-duration', '8h']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(costLine(dry.stderr).totalUsd).toBeCloseTo(1 * 0.1095 * 8, 12);

    const refused = cli.tvx([...deploy, '--max-replicas', '3', '--max-cost', '5']);
    expect(refused.code).toBe(2);
    // 3 replicas × $0.1095 × 24 h (the default).
    expect(refused.stderr).toMatch(/--max-cost: the estimate \$7\.88 /);
    expect(
      cli.json<{ deployedModels: unknown[] }>(['endpoints', 'describe', endpoint.name]).deployedModels,
    ).toEqual([]);
  });

  it('refuses a BigQuery ML baseline above --max-cost from its dry run, and trains one under it', () => {
    expect(cli.tvx(['bq', 'load-sample', 'breast-cancer', '--dataset', 'samples']).code).toBe(0);
    const model = 'demo-terra-vertex.samples.bc_cost';
    const baseline = [
      'bqml',
      'baseline',
      '--table',
      'demo-terra-vertex.samples.breast_cancer',
      '--label',
      'diagnosis',
      '--model-type',
      'logistic_reg',
      '--model',
      model,
      '--poll',
      '50',
    ];
    const refused = cli.tvx([...baseline, '--max-cost', '0.001']);
    expect(refused.code).toBe(2);
    // The one table is billed at least 10 MiB: 10 × 2^20 / 2^40 TiB × $312.50.
    expect(refused.stderr).toMatch(/--max-cost: the estimate \$0\.0030 for BigQuery ML CREATE MODEL/);
    expect(cli.tvx(['bqml', 'evaluate', '--model', model]).code).toBe(3);

    const ok = cli.tvx(['--json', ...baseline, '--max-cost', '1']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(costLine(ok.stderr).totalUsd).toBeCloseTo(((10 * 2 ** 20) / 2 ** 40) * 312.5, 15);
    expect(JSON.parse(ok.stdout).model).toBe(model);
  });
});
