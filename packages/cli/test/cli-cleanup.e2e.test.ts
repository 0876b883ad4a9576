/**
 * `tvx cleanup` against its own emulator: lists a deployed model, an empty endpoint, a TensorBoard and a running
 * job with costs per day, warns about idle endpoints, refuses to act without a terminal and without --yes, and
 * with `--all --yes` leaves nothing billable.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, root } from './cli-harness.ts';

const cli = new CliHarness('tvx-cli-cleanup-test-');
const trainer = join(root, 'examples/sklearn-iris-trainer');
const SERVING = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';

interface Listing {
  totalPerDayUsd: number;
  endpoints: { resourceName: string; idle: boolean; deployedModels: { machineType: string }[] }[];
  tensorboards: { resourceName: string }[];
  runningJobs: { kind: string; resourceName: string }[];
  cleanUp?: { failed: number; actions: { action: string }[] };
}

describe('tvx cleanup', () => {
  let endpointId: string;
  let jobName: string;

  beforeAll(() => {
    cli.startEmulator();
    const modelDir = join(cli.work, 'model');
    mkdirSync(modelDir);
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, joblib\nfrom sklearn.datasets import load_iris\nfrom sklearn.linear_model import LogisticRegression\n' +
        'X, y = load_iris(return_X_y=True)\njoblib.dump(LogisticRegression(max_iter=500).fit(X, y), sys.argv[1])',
      join(modelDir, 'model.joblib'),
    ]);
    const model = cli.json<{ name: string }>([
      'models',
      'upload',
      '--display-name',
      'cleanup-model',
      '--artifact-uri',
      modelDir,
      '--serving-image',
      SERVING,
    ]);
    endpointId = cli
      .json<{ name: string }>(['endpoints', 'create', '--display-name', 'cleanup-ep'])
      .name.split('/')
      .pop()!;
    const modelId = model.name.split('/').pop()!.split('@')[0]!;
    const deployed = cli.tvx(['endpoints', 'deploy', endpointId, modelId, '--machine-type', 'n1-standard-4']);
    expect(deployed.code, deployed.stderr).toBe(0);
    cli.json(['endpoints', 'create', '--display-name', 'cleanup-empty']);
    cli.json(['tensorboard', 'create', '--display-name', 'cleanup-tb']);
    jobName = cli.json<{ name: string }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--display-name',
      'cleanup-sleeper',
      '--no-wait',
      '--',
      '--sleep',
      '300',
    ]).name;
  }, 240_000);
  afterAll(() => cli.close());

  it('lists what costs money with a total, and warns about idle endpoints', () => {
    const r = cli.tvx(['cleanup', '--idle-after', '0s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/KIND\s+NAME\s+DETAIL\s+STATUS\s+COST\/DAY/);
    expect(r.stdout).toMatch(/deployed model\s+cleanup-ep .*1 × n1-standard-4\s+IDLE/);
    expect(r.stdout).toMatch(/endpoint\s+cleanup-empty .*empty, free\s+\$0\.00/);
    expect(r.stdout).toMatch(/tensorboard\s+cleanup-tb/);
    expect(r.stdout).toMatch(/custom job\s+cleanup-sleeper .*(RUNNING|PENDING|QUEUED)\s+\$\d/);
    expect(r.stdout).toMatch(/total\s+\$\d+\.\d\d/);
    expect(r.stderr).toMatch(
      new RegExp(`warning: endpoint cleanup-ep \\(${endpointId}\\) has been idle for over 0 s`),
    );

    const quiet = cli.tvx(['cleanup'], { ...cli.env, TVX_IDLE_AFTER: '2h' });
    expect(quiet.stderr).not.toMatch(/idle/);

    const listed = cli.json<Listing>(['cleanup']);
    expect(listed.endpoints).toHaveLength(2);
    expect(listed.tensorboards).toHaveLength(1);
    expect(listed.runningJobs).toEqual([
      expect.objectContaining({ kind: 'custom job', resourceName: jobName }),
    ]);
    expect(listed.totalPerDayUsd).toBeGreaterThan(0);

    const bad = cli.tvx(['cleanup', '--idle-after', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--idle-after.*not a duration.*30m/);
  });

  it('refuses to act without --yes when there is no terminal', () => {
    const r = cli.tvx(['cleanup', '--all']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--yes.*required to undeploy 1 model\(s\), delete 2 endpoint\(s\).*cancel 1 job\(s\)/,
    );
    expect(cli.json<Listing>(['cleanup']).endpoints).toHaveLength(2);
  });

  it('removes everything with --all --yes', () => {
    const done = cli.json<Listing>(['cleanup', '--all', '--yes']);
    expect(done.cleanUp?.failed).toBe(0);
    expect(done.cleanUp?.actions.map((a) => a.action).sort()).toEqual([
      'cancelled',
      'deleted endpoint',
      'deleted endpoint',
      'deleted tensorboard',
      'undeployed',
    ]);
    const deadline = Date.now() + 60_000;
    let after = cli.json<Listing>(['cleanup']);
    while (after.runningJobs.length && Date.now() < deadline) after = cli.json<Listing>(['cleanup']);
    expect(after).toMatchObject({ endpoints: [], tensorboards: [], runningJobs: [], totalPerDayUsd: 0 });
    expect(cli.tvx(['cleanup']).stdout).toMatch(/Nothing billable/);
  });
});
