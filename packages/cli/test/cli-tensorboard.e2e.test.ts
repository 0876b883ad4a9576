/**
 * `tvx tensorboard`, `tvx experiments` and `tvx console` against their own emulator: a TensorBoard instance,
 * a generated trainer linked to it, a local log folder uploaded, experiment runs compared, the console's URL.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeClients, endRun, init, logMetrics, logParams, resetConfig, startRun } from '@terra-vertex/core';
import { writeEventFile } from '@terra-vertex/tfevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness } from './cli-harness.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const cli = new CliHarness('tvx-cli-tensorboard-test-');
const { work } = cli;
const tvx = (args: string[]) => cli.tvx(args);
const json = <T = Record<string, unknown>>(args: string[]) => cli.json<T>(args);

type ScalarRow = { run: string; tag: string; step: number; value: number };

describe('tvx tensorboard, experiments and console', () => {
  let tensorboard = '';

  beforeAll(() => {
    cli.startEmulator();
  });
  afterAll(async () => {
    await closeClients();
    resetConfig();
    cli.close();
  });

  it('creates and lists TensorBoard instances', () => {
    const created = json<{ name: string; displayName: string }>([
      'tensorboard',
      'create',
      '--display-name',
      'cli-tb',
      '--label',
      'team=pcam',
    ]);
    expect(created.name).toMatch(/^projects\/demo-terra-vertex\/locations\/us-central1\/tensorboards\/\w+$/);
    tensorboard = created.name;
    const listed = json<{ name: string; displayName: string }[]>(['tensorboard', 'list']);
    expect(listed.map((t) => [t.name, t.displayName])).toContainEqual([tensorboard, 'cli-tb']);
  });

  it("links a trainer to it (refusing it without a service account) and reads the job's scalars", () => {
    const pkg = join(work, 'tb-trainer');
    json(['generate', 'trainer', 'tb-trainer', '--framework', 'sklearn', '--directory', pkg]);
    const data = join(work, 'data');
    execFileSync(PY, ['-m', 'trainer.demo_data', '--out', data, '--rows', '200'], { cwd: pkg });
    const train = (extra: string[]) =>
      tvx(['--json', 'train', 'custom-job', '--package-dir', pkg, '--module', 'trainer.task', ...extra]);
    const id = tensorboard.split('/').pop()!;

    const refused = train(['--tensorboard', id, '--', '--data', data]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('serviceAccount');

    const r = train([
      '--tensorboard',
      id,
      '--service-account',
      'trainer@demo-terra-vertex.iam.gserviceaccount.com',
      '--',
      '--data',
      data,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout) as { name: string; state: string };
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');

    const html = join(work, 'scalars.html');
    const out = json<{ scalars: ScalarRow[] }>(['tensorboard', 'scalars', '--job', job.name, '--html', html]);
    expect(out.scalars.length).toBeGreaterThan(0);
    expect(out.scalars.every((s) => Number.isFinite(s.value))).toBe(true);
    expect(out.scalars.map((s) => s.tag)).toEqual(expect.arrayContaining([expect.stringMatching(/^eval\//)]));
    expect(readFileSync(html, 'utf8')).toContain('<svg');
    expect(tvx(['tensorboard', 'scalars', '--job', job.name]).stdout).toMatch(/RUN\s+TAG\s+STEP\s+LAST/);
  });

  it('uploads a local log folder, a run per folder, and reads it back', async () => {
    const logdir = join(work, 'logs');
    const points = (tag: string, f: (s: number) => number) =>
      [1, 2, 3].map((step) => ({ tag, step, value: f(step), wallTime: 1_700_000_000 + step }));
    await writeEventFile(
      join(logdir, 'events.out.tfevents.1.host'),
      points('loss', (s) => 1 / s),
    );
    await writeEventFile(
      join(logdir, 'lr_0.1', 'events.out.tfevents.2.host'),
      points('loss', (s) => 2 / s),
    );
    const up = json<{ experiment: string; points: number; runs: { run: string }[] }>([
      'tensorboard',
      'upload',
      '--tensorboard',
      tensorboard,
      '--experiment',
      'local-logs',
      '--logdir',
      logdir,
    ]);
    expect(up.points).toBe(6);
    expect(up.runs.map((r) => r.run).sort()).toEqual(['default', 'lr-0-1']);
    const read = json<{ scalars: ScalarRow[] }>([
      'tensorboard',
      'scalars',
      '--experiment',
      'local-logs',
      '--tensorboard',
      tensorboard,
    ]);
    expect(read.scalars.map((s) => [s.run, s.tag, s.step, s.value]).sort()).toEqual([
      // simple_value is a float32 in the event file
      ['default', 'loss', 3, Math.fround(1 / 3)],
      ['lr-0-1', 'loss', 3, Math.fround(2 / 3)],
    ]);
    const missing = tvx(['tensorboard', 'scalars', '--experiment', 'local-logs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('tensorboard');
    const both = tvx(['tensorboard', 'scalars']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--job/--experiment');
  });

  it('compares the runs of an experiment', async () => {
    const [host, port] = [cli.env.VERTEX_AI_EMULATOR_HOST!, cli.env.STORAGE_EMULATOR_HOST!];
    init({ emulator: { vertex: host, http: port }, experiment: 'cli-exp' });
    for (const [run, lr, acc] of [
      ['run-1', 0.1, 0.8],
      ['run-2', 0.01, 0.9],
    ] as const) {
      await startRun(run);
      await logParams({ lr });
      await logMetrics({ accuracy: acc });
      await endRun();
    }
    const listed = json<{ name: string }[]>(['experiments', 'list']);
    expect(listed.map((e) => e.name)).toContain('cli-exp');
    const html = join(work, 'runs.html');
    const runs = json<{ runs: Record<string, unknown>[] }>([
      'experiments',
      'runs',
      'cli-exp',
      '--html',
      html,
    ]);
    expect(runs.runs.map((r) => [r.run_name, r.state, r['param.lr'], r['metric.accuracy']]).sort()).toEqual([
      ['run-1', 'COMPLETE', 0.1, 0.8],
      ['run-2', 'COMPLETE', 0.01, 0.9],
    ]);
    expect(existsSync(html)).toBe(true);
    expect(tvx(['experiments', 'runs', 'cli-exp']).stdout).toMatch(/run_name\s+state\s+param\.lr/);
    expect(tvx(['experiments', 'runs', 'no-such-exp']).code).toBe(3);
  });

  it('prints the URL of the running emulator console', async () => {
    const out = tvx(['console']);
    expect(out.code, out.stderr).toBe(0);
    const url = out.stdout.trim();
    expect(url).toBe(`${cli.env.STORAGE_EMULATOR_HOST}/console`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });
});
