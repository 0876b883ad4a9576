/**
 * `tvx` for the workspace: generating a trainer package, publishing the notebooks to a Terra workspace bucket
 * (on its own emulator's Cloud Storage) and installing the tslab kernel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { ensureBucket } from '@terra-vertex/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness } from './cli-harness.ts';

const cli = new CliHarness('tvx-cli-workspace-test-');
const { work } = cli;
const tvx = (args: string[], env?: Record<string, string>) => cli.tvx(args, env);
const json = <T = Record<string, unknown>>(args: string[]) => cli.json<T>(args);

describe('tvx generate and notebooks', () => {
  beforeAll(() => {
    cli.startEmulator();
  });
  afterAll(() => cli.close());

  it('generates a trainer package, and refuses bad hyperparameters with exit code 2', () => {
    const dir = join(work, 'gen-xgb');
    const out = json<{ directory: string; files: string[] }>([
      'generate',
      'trainer',
      'gen-xgb',
      '--framework',
      'xgboost',
      '--directory',
      dir,
      '--hyperparameter',
      'max_depth:integer:2:8:4',
    ]);
    expect(out.directory).toBe(dir);
    expect(out.files.map((f) => f.slice(dir.length + 1))).toEqual(
      expect.arrayContaining(['setup.py', 'trainer/task.py', 'trainer/model.py']),
    );
    expect(readFileSync(join(dir, 'trainer/task.py'), 'utf8')).toContain('"--max_depth"');
    const bad = tvx([
      'generate',
      'trainer',
      'bad',
      '--directory',
      join(work, 'bad'),
      '--hyperparameter',
      'lr:double:1:0',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('hyperparameters[0].min: min 1 > max 0');
  });

  it('publishes the notebooks to a workspace bucket (keeping edited copies) and installs the kernel', async () => {
    await ensureBucket(
      new Storage({ apiEndpoint: cli.env.STORAGE_EMULATOR_HOST, projectId: 'p' }),
      'fc-cli-test',
    );
    const first = json<{ name: string; status: string; uri: string }[]>([
      'notebooks',
      'publish',
      '--workspace-bucket',
      'gs://fc-cli-test',
    ]);
    expect(first.map((n) => [n.name, n.status])).toEqual([
      ['01-custom-training.ipynb', 'uploaded'],
      ['02-distributed-training.ipynb', 'uploaded'],
      ['03-hyperparameter-tuning.ipynb', 'uploaded'],
      ['04-deploy-and-predict.ipynb', 'uploaded'],
      ['05-automl-vision-xai.ipynb', 'uploaded'],
      ['06-bigquery-ml-baseline.ipynb', 'uploaded'],
      ['07-tensorboard.ipynb', 'uploaded'],
      ['08-compare-baselines.ipynb', 'uploaded'],
    ]);
    expect(first[0]!.uri).toBe('gs://fc-cli-test/notebooks/01-custom-training.ipynb');
    const again = json<{ status: string }[]>([
      'notebooks',
      'publish',
      '--workspace-bucket',
      'gs://fc-cli-test',
    ]);
    expect(again.map((n) => n.status)).toEqual(first.map(() => 'exists'));
    const bad = tvx(['notebooks', 'publish', '--workspace-bucket', 'gs://Not A Bucket']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('workspaceBucket');

    const prefix = join(work, 'jupyter-prefix');
    const kernel = json<{ kernelDir: string; argv: string[] }>([
      'notebooks',
      'install-kernel',
      '--prefix',
      prefix,
    ]);
    expect(kernel.kernelDir.startsWith(prefix)).toBe(true);
    const spec = JSON.parse(readFileSync(join(kernel.kernelDir, 'kernel.json'), 'utf8')) as {
      argv: string[];
      language: string;
    };
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.language).toBe('typescript');
  });
});
