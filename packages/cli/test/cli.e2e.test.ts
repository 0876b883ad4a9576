/**
 * `tvx` for the emulator and jobs against its own emulator: status, training (package, script pipeline, mapped
 * container), dry runs, failures, cancelling, exit codes, and jobs surviving an emulator crash.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, root } from './cli-harness.ts';

const cli = new CliHarness('tvx-cli-test-');
const { work, baseEnv } = cli;
const trainer = join(root, 'examples/sklearn-iris-trainer');
const tvx = (args: string[], env?: Record<string, string>) => cli.tvx(args, env);
const json = <T = Record<string, unknown>>(args: string[]) => cli.json<T>(args);

function processesOfJob(jobId: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`CLOUD_ML_JOB_ID=${jobId}`);
      } catch {
        return false; // the process ended while we looked
      }
    })
    .map(Number);
}

const imageMap = join(work, 'images.json');
writeFileSync(
  imageMap,
  JSON.stringify({
    'local/hello:1': { command: ['/usr/bin/python3', '-c', 'import sys; print("hello", *sys.argv[1:])'] },
  }),
);
const startArgs = ['--image-map', imageMap];

describe('tvx', () => {
  beforeAll(() => {
    cli.startEmulator(startArgs);
  });
  afterAll(() => cli.close());

  it('reports the running emulator', () => {
    const status = json<{ running: boolean; vertex: string }>(['emulator', 'status']);
    expect(status.running).toBe(true);
    expect(status.vertex).toBe(cli.env.VERTEX_AI_EMULATOR_HOST);
    expect(tvx(['emulator', 'env']).stdout).toContain(
      `export VERTEX_AI_EMULATOR_HOST=${cli.env.VERTEX_AI_EMULATOR_HOST}`,
    );
  });

  it('trains a package, then lists, describes and shows the logs of the job', () => {
    const r = tvx([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--display-name',
      'cli-iris',
      '--json',
      '--',
      '--C',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout) as { name: string; state: string };
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(r.stderr).toContain('"type":"state"');

    const list = json<{ name: string; displayName: string }[]>(['jobs', 'list']);
    expect(list.map((j) => j.name)).toContain(job.name);
    const described = tvx(['jobs', 'describe', job.name.split('/').pop()!]);
    expect(described.stdout).toMatch(/State:\s+SUCCEEDED/);
    expect(described.stdout).toContain('python -m trainer.task');
    expect(tvx(['jobs', 'logs', job.name]).stdout).toMatch(/\[workerpool0-0\] accuracy=/);
  });

  it('prints the exact request with --dry-run and sends nothing', () => {
    const before = json<unknown[]>(['jobs', 'list']).length;
    const request = json<{
      parent: string;
      customJob: {
        jobSpec: { workerPoolSpecs: { pythonPackageSpec: { args: string[]; packageUris: string[] } }[] };
      };
    }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--dry-run',
      '--',
      '--C',
      '3',
    ]);
    expect(request.parent).toBe('projects/demo-terra-vertex/locations/us-central1');
    const spec = request.customJob.jobSpec.workerPoolSpecs[0]!.pythonPackageSpec;
    expect(spec.args).toEqual(['--C', '3']);
    expect(spec.packageUris[0]).toMatch(
      /^gs:\/\/demo-terra-vertex-staging\/packages\/\d+\/sklearn-iris-trainer-0\.1\.tar\.gz$/,
    );
    expect(json<unknown[]>(['jobs', 'list'])).toHaveLength(before);
  });

  it('trains a script as a training pipeline and prints the registered model', () => {
    const script = join(root, 'examples/iris-script/train.py');
    const out = json<{ state: string; model: string }>([
      'train',
      'script',
      '--script',
      script,
      '--serving-image',
      'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest',
      '--display-name',
      'cli-script',
      '--model-alias',
      'first',
      '--',
      '--max-depth',
      '2',
    ]);
    expect(out.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(out.model).toMatch(/^projects\/demo-terra-vertex\/locations\/us-central1\/models\/\d+@1$/);
    const dry = json<{
      trainingPipeline: {
        trainingTaskInputs: {
          worker_pool_specs: {
            replica_count: number;
            python_package_spec: { python_module: string; args: string[] };
          }[];
        };
      };
    }>([
      'train',
      'package',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--replica-count',
      '3',
      '--dry-run',
      '--',
      '--C',
      '1',
    ]);
    const pools = dry.trainingPipeline.trainingTaskInputs.worker_pool_specs;
    expect(pools.map((p) => p.replica_count)).toEqual([1, 2]);
    expect(pools[0]!.python_package_spec).toMatchObject({
      python_module: 'trainer.task',
      args: ['--C', '1'],
    });
  });

  it('runs a container image mapped to a local command', () => {
    const job = json<{ name: string; state: string }>([
      'train',
      'custom-job',
      '--container-image',
      'local/hello:1',
      '--',
      'from',
      'a container',
    ]);
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(tvx(['jobs', 'logs', job.name]).stdout).toContain('[workerpool0-0] hello from a container');
  });

  it('exits 1 when the job fails, with its error', () => {
    const r = tvx([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--',
      '--fail-with',
      'no labels',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ValueError: no labels');
  });

  it('cancels a job with --wait', () => {
    const started = json<{ name: string }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--no-wait',
      '--',
      '--sleep',
      '60',
    ]);
    const cancelled = json<{ state: string }>(['jobs', 'cancel', started.name, '--wait']);
    expect(cancelled.state).toBe('JOB_STATE_CANCELLED');
    expect(processesOfJob(started.name.split('/').pop()!)).toEqual([]);
  });

  it('exits 3 for an unknown job and 2 for bad usage, with a message', () => {
    const missing = tvx(['jobs', 'describe', '424242']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('NOT_FOUND');
    const usage = tvx(['train', 'custom-job', '--package-dir', trainer]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--module: is required with a package');
    const region = tvx(['jobs', 'list', '--location', 'us-moon1']);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('unsupported region');
  });

  it('keeps jobs across an emulator crash and fails the ones that were running, killing their processes', () => {
    const running = json<{ name: string }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--no-wait',
      '--',
      '--sleep',
      '120',
    ]);
    const id = running.name.split('/').pop()!;
    const deadline = Date.now() + 60_000;
    while (processesOfJob(id).length === 0 && Date.now() < deadline) spawnSync('sleep', ['0.2']);
    expect(processesOfJob(id).length).toBeGreaterThan(0);

    const state = JSON.parse(readFileSync(baseEnv.TVX_EMULATOR_STATE!, 'utf8')) as { pid: number };
    process.kill(state.pid, 'SIGKILL');
    cli.startEmulator(startArgs);

    const after = json<{ state: string; error: { message: string } }>(['jobs', 'describe', id]);
    expect(after.state).toBe('JOB_STATE_FAILED');
    expect(after.error.message).toMatch(/emulator stopped while this job was running/);
    expect(processesOfJob(id)).toEqual([]);
    const list = json<{ displayName: string; state: string }[]>(['jobs', 'list']);
    expect(list.find((j) => j.displayName === 'cli-iris')?.state).toBe('JOB_STATE_SUCCEEDED');
  });

  it('stops the emulator', () => {
    expect(tvx(['emulator', 'stop']).code).toBe(0);
    expect(tvx(['emulator', 'status']).code).toBe(4);
  });
});
