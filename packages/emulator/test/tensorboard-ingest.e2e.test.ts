import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { v1 } from '@google-cloud/aiplatform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { codeOf, jobClient, tensorboardClient } from './tensorboard-client.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const parent = 'projects/demo-tb/locations/us-central1';
const ENDED = ['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'];

/**
 * A trainer writing TensorBoard scalars with the templates' tb_events.py: `loss` in the log folder itself,
 * `accuracy` in `train_eval/`, a step every SLEEP seconds; next to them a malformed event file.
 */
const trainer = `
import os, sys, time
sys.path.insert(0, os.environ['TB_LIB'])
import tb_events
root = os.environ['AIP_TENSORBOARD_LOG_DIR'].replace('gs://', os.environ['TVX_GCS_MOUNT'] + '/')
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, 'events.out.tfevents.0000000001.broken'), 'wb') as f:
    f.write(b'this is not a TFRecord file, just bytes that happen to be here')
main = tb_events.EventFileWriter(root)
evaluation = tb_events.EventFileWriter(os.path.join(root, 'train_eval'))
for step in range(int(os.environ.get('STEPS', '8'))):
    main.scalar('loss', 1.0 / (step + 1), step)
    evaluation.scalar('accuracy', step / 10, step)
    time.sleep(float(os.environ.get('SLEEP', '0.5')))
print('trained', flush=True)
`;

describe('event files that jobs write become TensorBoard scalars, live', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tvx-tb-ingest-'));
  const lib = mkdtempSync(join(tmpdir(), 'tvx-tb-lib-'));
  let emu: RunningEmulator;
  let tb: v1.TensorboardServiceClient;
  let jobs: v1.JobServiceClient;
  let board: string;

  beforeAll(async () => {
    copyFileSync(
      new URL('../../templates/templates/trainer/common/trainer/tb_events.py.hbs', import.meta.url),
      join(lib, 'tb_events.py'),
    );
    emu = await startEmulator({
      dataDir,
      localImages: { 'local/tb-trainer:1': { command: [PY, '-c', trainer] } },
    });
    tb = tensorboardClient(emu);
    jobs = jobClient(emu);
    const [op] = await tb.createTensorboard({ parent, tensorboard: { displayName: 'runs' } });
    board = (await op.promise())[0].name!;
  });
  afterAll(async () => {
    await tb.close();
    await jobs.close();
    await emu.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(lib, { recursive: true, force: true });
  });

  const jobSpec = (base: string, env: Record<string, string> = {}) => ({
    workerPoolSpecs: [
      {
        replicaCount: 1,
        machineSpec: { machineType: 'n1-standard-4' },
        containerSpec: {
          imageUri: 'local/tb-trainer:1',
          env: Object.entries({ TB_LIB: lib, ...env }).map(([name, value]) => ({ name, value })),
        },
      },
    ],
    baseOutputDirectory: { outputUriPrefix: base },
    tensorboard: board,
    serviceAccount: 'trainer@demo-tb.iam.gserviceaccount.com',
  });
  const scalars = async (series: string) => {
    const [read] = await tb.readTensorboardTimeSeriesData({
      tensorboardTimeSeries: series,
      maxDataPoints: -1,
    });
    return (read.timeSeriesData?.values ?? []).map((p) => [Number(p.step), p.scalar?.value]);
  };
  const seriesOf = async (run: string) => {
    try {
      const [list] = await tb.listTensorboardTimeSeries({ parent: run });
      return Object.fromEntries(list.map((t) => [t.displayName, t]));
    } catch {
      return {}; // the run does not exist yet
    }
  };

  it('refuses a job with a tensorboard but no service account, as Vertex does', async () => {
    const { serviceAccount: _, ...spec } = jobSpec('gs://bkt/tb-0');
    expect(
      await codeOf(jobs.createCustomJob({ parent, customJob: { displayName: 'x', jobSpec: spec } })),
    ).toMatch(
      /^INVALID_ARGUMENT.*custom_job\.job_spec\.service_account.*must be specified when uploading to TensorBoard/,
    );
    expect(
      await codeOf(
        jobs.createCustomJob({
          parent,
          customJob: { displayName: 'x', jobSpec: { ...jobSpec('gs://bkt/tb-0'), tensorboard: 'my-board' } },
        }),
      ),
    ).toMatch(/^INVALID_ARGUMENT.*custom_job\.job_spec\.tensorboard/);
  });

  it("reads a running job's scalars while it runs and all of them when it ends, skipping a malformed file with a warning", async () => {
    const [job] = await jobs.createCustomJob({
      parent,
      customJob: { displayName: 'tb-live', jobSpec: jobSpec('gs://bkt/tb-1', { STEPS: '8', SLEEP: '0.5' }) },
    });
    const jobId = job.name!.split('/').pop()!;
    const experiment = `${board}/experiments/${jobId}`;
    const rootRun = `${experiment}/runs/default`;

    let live: (number | null | undefined)[][] = [];
    for (const started = Date.now(); Date.now() - started < 30_000; ) {
      const loss = (await seriesOf(rootRun)).loss;
      if (loss) live = await scalars(loss.name!);
      if (live.length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const [during] = await jobs.getCustomJob({ name: job.name });
    expect(live.length).toBeGreaterThan(0);
    expect(during.state).toBe('JOB_STATE_RUNNING'); // the points above were read while it ran
    expect(live.length).toBeLessThan(8);

    let state = during.state as string;
    while (!ENDED.includes(state)) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await jobs.getCustomJob({ name: job.name }))[0].state as string;
    }
    expect(state).toBe('JOB_STATE_SUCCEEDED');
    const [exp] = await tb.getTensorboardExperiment({ name: experiment });
    expect(exp.displayName).toBe('tb-live');
    const [runs] = await tb.listTensorboardRuns({ parent: experiment, orderBy: 'display_name' });
    expect(runs.map((r) => r.name)).toEqual([rootRun, `${experiment}/runs/train-eval`]);
    const root = await seriesOf(rootRun);
    expect(root.loss).toMatchObject({ valueType: 'SCALAR', pluginName: 'scalars' });
    const f32 = (x: number) => Math.fround(x);
    // The final pass after the job ended read every step, and the malformed neighbour took nothing away.
    expect(await scalars(root.loss!.name!)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((s) => [s, f32(1 / (s + 1))]),
    );
    const evaluation = await seriesOf(`${experiment}/runs/train-eval`);
    expect(await scalars(evaluation.accuracy!.name!)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((s) => [s, f32(s / 10)]),
    );

    const res = await fetch(`${emu.httpAddress}/v2/entries:list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: `resource.labels.job_id="${jobId}" AND severity>=WARNING` }),
    });
    const lines = ((await res.json()) as { entries: { textPayload: string; severity: string }[] }).entries;
    const warnings = lines.filter((l) => l.severity === 'WARNING').map((l) => l.textPayload);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('gs://bkt/tb-1/logs/events.out.tfevents.0000000001.broken');
    expect(warnings[0]).toMatch(/corrupt record at byte 0/);
  });

  it("puts a tuning job's trials into one experiment named after the tuning job, a run per trial", async () => {
    const [op] = await jobs.createHyperparameterTuningJob({
      parent,
      hyperparameterTuningJob: {
        displayName: 'tb-tuning',
        maxTrialCount: 2,
        parallelTrialCount: 2,
        studySpec: {
          metrics: [{ metricId: 'accuracy', goal: 'MAXIMIZE' }],
          parameters: [{ parameterId: 'lr', doubleValueSpec: { minValue: 0.1, maxValue: 1 } }],
          algorithm: 'RANDOM_SEARCH',
        },
        trialJobSpec: jobSpec('gs://bkt/tb-hpt', { STEPS: '3', SLEEP: '0.1' }),
      },
    });
    const name = op.name!;
    let hpt = op;
    while (!ENDED.includes(hpt.state as string)) {
      await new Promise((r) => setTimeout(r, 300));
      [hpt] = await jobs.getHyperparameterTuningJob({ name });
    }
    expect(hpt.trials).toHaveLength(2);
    const experiment = `${board}/experiments/${name.split('/').pop()}`;
    const [exp] = await tb.getTensorboardExperiment({ name: experiment });
    expect(exp.displayName).toBe('tb-tuning');
    const [runs] = await tb.listTensorboardRuns({ parent: experiment, orderBy: 'display_name' });
    expect(runs.map((r) => r.displayName)).toEqual(['1', '1-train-eval', '2', '2-train-eval']);
    const loss = (await seriesOf(`${experiment}/runs/2`)).loss;
    expect((await scalars(loss!.name!)).map(([s]) => s)).toEqual([0, 1, 2]);
  });
});
