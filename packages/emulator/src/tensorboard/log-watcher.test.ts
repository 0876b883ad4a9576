import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventRecord, writeEventFile } from '@terra-vertex/tfevents';
import { describe, expect, it } from 'vitest';
import { LogStore } from '../logging/log-store.ts';
import { ResourceStore } from '../state/resource-store.ts';
import { JobLogWatcher } from './log-watcher.ts';
import { TensorboardResources } from './resources.ts';

const loc = 'projects/p/locations/us-central1';

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tvx-watch-'));
  const gcsRoot = join(dataDir, 'gcs');
  const jobs = new ResourceStore(dataDir, 'customJobs');
  const tuningJobs = new ResourceStore(dataDir, 'hyperparameterTuningJobs');
  const logs = new LogStore(dataDir);
  const res = new TensorboardResources(dataDir);
  const watcher = new JobLogWatcher({ gcsRoot, jobs, tuningJobs, logs }, res);
  const board = res.createTensorboard(loc, { displayName: 'b' }).name as string;
  const job = (id: string, base: string, tensorboard = board) =>
    jobs.put({
      name: `${loc}/customJobs/${id}`,
      displayName: `job-${id}`,
      jobSpec: { tensorboard, serviceAccount: 'sa@p.iam', baseOutputDirectory: { outputUriPrefix: base } },
      state: 'JOB_STATE_RUNNING',
    });
  const run = async (name: string, during: () => Promise<void> = async () => {}) => {
    watcher.onStateChange(name, jobs.get(name)!);
    await during();
    watcher.onStateChange(name, { ...jobs.get(name)!, state: 'JOB_STATE_SUCCEEDED' });
    await watcher.settled();
  };
  const points = (ts: string) =>
    res.data.read(ts).map((p) => [Number(p.step), (p.scalar as { value: number }).value]);
  return { gcsRoot, jobs, tuningJobs, logs, res, watcher, board, job, run, points };
}

describe('JobLogWatcher', () => {
  it("files a tuning job's trials under one experiment named after the tuning job, runs prefixed by trial id", async () => {
    const t = setup();
    t.tuningJobs.put({
      name: `${loc}/hyperparameterTuningJobs/77`,
      displayName: 'tune',
      trials: [
        { id: '1', customJob: `${loc}/customJobs/101` },
        { id: '2', customJob: `${loc}/customJobs/102` },
      ],
    });
    for (const [id, trial] of [
      ['101', '1'],
      ['102', '2'],
    ] as const) {
      t.job(id, `gs://b/hpt/${trial}/`);
      const logs = join(t.gcsRoot, 'b', 'hpt', trial, 'logs');
      await writeEventFile(join(logs, 'events.out.tfevents.1.h'), [
        { tag: 'loss', step: 1, wallTime: 1, value: Number(trial) },
      ]);
      await writeEventFile(join(logs, 'eval', 'events.out.tfevents.1.h'), [
        { tag: 'acc', step: 1, wallTime: 1, value: 0.5 },
      ]);
      await t.run(`${loc}/customJobs/${id}`);
    }
    const experiment = `${t.board}/experiments/77`;
    expect(t.res.experiment(experiment).displayName).toBe('tune');
    expect(
      t.res.runs
        .list(`${experiment}/runs/`)
        .map((r) => r.displayName)
        .sort(),
    ).toEqual(['1', '1-eval', '2', '2-eval']);
    const loss = t.res.timeSeries.list(`${experiment}/runs/2/timeSeries/`)[0]!;
    expect(loss).toMatchObject({ displayName: 'loss', valueType: 'SCALAR', pluginName: 'scalars' });
    expect(t.points(loss.name as string)).toEqual([[1, 2]]);
  });

  it('reads appended points on later passes, and warns about a record left incomplete when the job ends', async () => {
    const t = setup();
    t.job('5', 'gs://b/five');
    const file = join(t.gcsRoot, 'b', 'five', 'logs', 'events.out.tfevents.9.h');
    await writeEventFile(file, [{ tag: 'loss', step: 0, wallTime: 1, value: 3 }]);
    const experiment = `${t.board}/experiments/5`;
    const loss = () => t.res.timeSeries.list(`${experiment}/runs/default/timeSeries/`)[0]?.name as string;
    await t.run(`${loc}/customJobs/5`, async () => {
      await new Promise((r) => setTimeout(r, 300));
      expect(t.points(loss())).toEqual([[0, 3]]);
      appendFileSync(file, eventRecord({ wallTime: 2, step: 1, scalar: { tag: 'loss', value: 2 } }));
      await new Promise((r) => setTimeout(r, 1300)); // the next poll
      expect(t.points(loss())).toEqual([
        [0, 3],
        [1, 2],
      ]);
      appendFileSync(file, Buffer.from([1, 2, 3]));
    });
    expect(t.res.experiment(experiment).displayName).toBe('job-5');
    expect(t.points(loss())).toEqual([
      [0, 3],
      [1, 2],
    ]);
    const warnings = t.logs.entries('5').filter((e) => e.severity === 'WARNING');
    expect(warnings.map((w) => w.textPayload)).toEqual([
      'gs://b/five/logs/events.out.tfevents.9.h ends with an incomplete record (3 bytes) that was skipped.',
    ]);
  });

  it('says in the job log when its tensorboard does not exist', async () => {
    const t = setup();
    t.job('6', 'gs://b/six', `${loc}/tensorboards/404`);
    await t.run(`${loc}/customJobs/6`);
    expect(t.logs.entries('6').map((e) => [e.severity, e.textPayload])).toEqual([
      [
        'WARNING',
        `Tensorboard ${loc}/tensorboards/404 does not exist: the job's event files are not uploaded.`,
      ],
    ]);
    expect(t.res.experiments.list()).toEqual([]);
  });
});
