/**
 * The console's experiments and TensorBoard pages in headless Chromium: experiment runs created through the
 * official MetadataServiceClient the way the Vertex SDK creates them, compared side by side; a job's
 * TensorBoard scalars charted and growing while the job runs, without a reload.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helpers, type protos, v1 } from '@google-cloud/aiplatform';
import { grpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { ConsoleBrowser, type OpenedPage, shown } from './console-browser.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const parent = 'projects/demo-terra-vertex/locations/us-central1';
const store = `${parent}/metadataStores/default`;
const SHOTS = process.env.TVX_CONSOLE_SCREENSHOTS ?? join(tmpdir(), 'tvx-console-shots');
/** Writes `loss` and `accuracy` scalars with the templates' tb_events.py, a step every 0.4 s. */
const TRAINER = `
import os, sys, time
sys.path.insert(0, os.environ['TB_LIB'])
import tb_events
root = os.environ['AIP_TENSORBOARD_LOG_DIR'].replace('gs://', os.environ['TVX_GCS_MOUNT'] + '/')
os.makedirs(root, exist_ok=True)
main = tb_events.EventFileWriter(root)
evaluation = tb_events.EventFileWriter(os.path.join(root, 'eval'))
for step in range(int(os.environ.get('STEPS', '16'))):
    main.scalar('loss', 1.0 / (step + 1), step)
    evaluation.scalar('loss', 1.2 / (step + 1), step)
    time.sleep(0.4)
print('trained', flush=True)
`;
const struct = (o: object) => (helpers.toValue(o) as protos.google.protobuf.IValue).structValue!;

describe('experiments and TensorBoard in the console', () => {
  let emu: RunningEmulator;
  let browser: ConsoleBrowser;
  let md: v1.MetadataServiceClient;
  let tb: v1.TensorboardServiceClient;
  let jobs: v1.JobServiceClient;
  const lib = mkdtempSync(join(tmpdir(), 'tvx-console-tb-'));
  const opened: OpenedPage[] = [];
  const open = async (path: string, shot?: string) => {
    const o = await browser.open(path);
    opened.push(o);
    if (shot) await o.page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return o;
  };

  beforeAll(async () => {
    copyFileSync(
      new URL('../../templates/templates/trainer/common/trainer/tb_events.py.hbs', import.meta.url),
      join(lib, 'tb_events.py'),
    );
    emu = await startEmulator({ localImages: { 'local/tb-trainer:1': { command: [PY, '-c', TRAINER] } } });
    const [host, port] = emu.vertexAddress.split(':');
    const o = { apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure() };
    md = new v1.MetadataServiceClient(o);
    tb = new v1.TensorboardServiceClient(o);
    jobs = new v1.JobServiceClient(o);
    browser = await ConsoleBrowser.launch(emu.httpAddress);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([md, tb, jobs].map((c) => c?.close()));
    await emu?.stop();
    rmSync(lib, { recursive: true, force: true });
  });

  it('shows empty states for experiments and TensorBoard', async () => {
    const exps = await open('/console/experiments', 'empty-experiments');
    expect(await shown(exps.page.locator('.empty'))).toMatch(/No experiments yet[\s\S]*init\(\{ experiment/);
    const boards = await open('/console/tensorboards', 'empty-tensorboards');
    expect(await shown(boards.page.locator('.empty'))).toMatch(
      /No TensorBoard instances yet[\s\S]*Tensorboard\.create/,
    );
  });

  it("compares an experiment's runs side by side: state, parameters and metrics", async () => {
    const [exp] = await md.createContext({
      parent: store,
      contextId: 'churn',
      context: {
        displayName: 'churn',
        schemaTitle: 'system.Experiment',
        schemaVersion: '0.0.1',
        metadata: struct({ experiment_deleted: false }),
      },
    });
    const runs = [
      ['lr-small', { lr: 0.001, optimizer: 'adam' }, { accuracy: 0.81, loss: 0.52 }, 'COMPLETE'],
      ['lr-big', { lr: 0.1, optimizer: 'sgd', dropout: 0.2 }, { accuracy: 0.77 }, 'RUNNING'],
    ] as const;
    for (const [id, params, metrics, state] of runs) {
      const [run] = await md.createContext({
        parent: store,
        contextId: `churn-${id}`,
        context: {
          displayName: id,
          schemaTitle: 'system.ExperimentRun',
          schemaVersion: '0.0.1',
          metadata: struct({ _params: params, _metrics: metrics, _state: state }),
        },
      });
      await md.addContextChildren({ context: exp.name, childContexts: [run.name!] });
    }
    const list = await open('/console/experiments', 'experiments');
    expect(await shown(list.page.locator('table'))).toMatch(/churn\s+2/);
    const o = await open('/console/experiments/churn', 'experiment');
    expect(await o.page.locator('table.runs thead th').allInnerTexts()).toEqual([
      'Run',
      'State',
      'Started',
      'param.lr',
      'param.optimizer',
      'param.dropout',
      'metric.accuracy',
      'metric.loss',
    ]);
    const rows = await o.page.locator('table.runs tbody tr').allInnerTexts();
    expect(rows[0]).toMatch(/^lr-small\s+Complete\s+.+\s+0\.001\s+adam\s+—\s+0\.81\s+0\.52$/);
    expect(rows[1]).toMatch(/^lr-big\s+Running\s+.+\s+0\.1\s+sgd\s+0\.2\s+0\.77\s+—$/);
  });

  it("charts an experiment's time-series metrics from its backing TensorBoard, a line per run", async () => {
    const [op] = await tb.createTensorboard({ parent, tensorboard: { displayName: 'backing' } });
    const board = (await op.promise())[0].name!;
    const [tbExp] = await tb.createTensorboardExperiment({
      parent: board,
      tensorboardExperimentId: 'curves',
      tensorboardExperiment: { displayName: 'curves Backing Tensorboard Experiment' },
    });
    const [exp] = await md.createContext({
      parent: store,
      contextId: 'curves',
      context: {
        displayName: 'curves',
        schemaTitle: 'system.Experiment',
        schemaVersion: '0.0.1',
        metadata: struct({ experiment_deleted: false, backing_tensorboard_resource: board }),
      },
    });
    for (const [id, scale] of [
      ['run-a', 1],
      ['run-b', 2],
    ] as const) {
      const [run] = await md.createContext({
        parent: store,
        contextId: `curves-${id}`,
        context: {
          displayName: id,
          schemaTitle: 'system.ExperimentRun',
          schemaVersion: '0.0.1',
          metadata: struct({ _params: { scale }, _metrics: {}, _state: 'COMPLETE' }),
        },
      });
      await md.addContextChildren({ context: exp.name, childContexts: [run.name!] });
      const [tbRun] = await tb.createTensorboardRun({
        parent: tbExp.name,
        tensorboardRunId: id,
        tensorboardRun: { displayName: id },
      });
      const [series] = await tb.createTensorboardTimeSeries({
        parent: tbRun.name,
        tensorboardTimeSeries: { displayName: 'loss', valueType: 'SCALAR', pluginName: 'scalars' },
      });
      await tb.writeTensorboardRunData({
        tensorboardRun: tbRun.name,
        timeSeriesData: [
          {
            tensorboardTimeSeriesId: series.name!.split('/').pop(),
            valueType: 'SCALAR',
            values: [1, 2, 3].map((step) => ({
              step,
              wallTime: { seconds: 1_700_000_000 + step },
              scalar: { value: scale / step },
            })),
          },
        ],
      });
    }
    const o = await open('/console/experiments/curves', 'experiment-curves');
    expect(await shown(o.page.locator('h2').last())).toBe('Time-series metrics');
    const charts = o.page.locator('.charts .chart');
    expect(await charts.count()).toBe(1);
    expect(await shown(charts.first())).toMatch(/loss[\s\S]*run-a[\s\S]*run-b/);
  });

  it("charts a running job's TensorBoard scalars and adds points without a reload", async () => {
    const [op] = await tb.createTensorboard({ parent, tensorboard: { displayName: 'board' } });
    const board = (await op.promise())[0].name!;
    const [job] = await jobs.createCustomJob({
      parent,
      customJob: {
        displayName: 'tb-job',
        jobSpec: {
          workerPoolSpecs: [
            {
              replicaCount: 1,
              machineSpec: { machineType: 'n1-standard-4' },
              containerSpec: { imageUri: 'local/tb-trainer:1', env: [{ name: 'TB_LIB', value: lib }] },
            },
          ],
          baseOutputDirectory: { outputUriPrefix: 'gs://console/tb-job' },
          tensorboard: board,
          serviceAccount: 'trainer@demo-terra-vertex.iam.gserviceaccount.com',
        },
      },
    });
    const jobId = job.name!.split('/').pop()!;
    const experiment = `${board}/experiments/${jobId}`;
    // Wait until both runs have a `loss` series with a point, then open the page while the job still runs.
    for (const end = Date.now() + 30_000; ; ) {
      const [runs] = await tb.listTensorboardRuns({ parent: experiment }).catch(() => [[]]);
      const series = await Promise.all(
        (runs as { name?: string | null }[]).map(
          async (r) => (await tb.listTensorboardTimeSeries({ parent: r.name }))[0],
        ),
      );
      if (series.length === 2 && series.every((s) => s.length === 1)) break;
      if (Date.now() > end) throw new Error('the job wrote no scalars in 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const boardId = board.split('/').pop()!;
    const boards = await open('/console/tensorboards', 'tensorboards');
    expect(await shown(boards.page.locator('table'))).toMatch(/board/);
    expect(
      await boards.page
        .locator(`a[href="/console/tensorboards/${board.split('/').pop()}/experiments/${jobId}"]`)
        .count(),
    ).toBe(1);
    const jobPage = await open(`/console/jobs/${jobId}`);
    expect(
      await jobPage.page
        .locator(`.facts a[href="/console/tensorboards/${boardId}/experiments/${jobId}"]`)
        .count(),
    ).toBe(1);
    const o = await open(`/console/tensorboards/${boardId}/experiments/${jobId}`);
    const chart = o.page.locator('.chart[data-ready=true]');
    await chart.waitFor();
    expect(await o.page.locator('.chart h3').allInnerTexts()).toEqual(['loss']);
    expect(await shown(o.page.locator('.facts'))).toMatch(/Job\s+tb-job/);
    const spec = JSON.parse((await chart.getAttribute('data-chart'))!);
    expect(spec.series.map((s: { label: string }) => s.label).sort()).toEqual(['default', 'eval']);
    const before = spec.series.reduce((n: number, s: { points: unknown[] }) => n + s.points.length, 0);
    expect((await jobs.getCustomJob({ name: job.name }))[0].state).toBe('JOB_STATE_RUNNING');
    await o.page.waitForFunction(
      `Number(document.querySelector('.chart').dataset.points) > ${before}`,
      undefined,
      {
        timeout: 20_000,
      },
    );
    await o.page.screenshot({ path: join(SHOTS, 'tensorboard.png'), fullPage: true });
    for (;;) {
      const [j] = await jobs.getCustomJob({ name: job.name });
      if (j.state === 'JOB_STATE_SUCCEEDED') break;
      expect(j.state).toBe('JOB_STATE_RUNNING');
      await new Promise((r) => setTimeout(r, 200));
    }
    await o.page.waitForFunction(
      "Number(document.querySelector('.chart').dataset.points) === 32",
      undefined,
      {
        timeout: 20_000,
      },
    );
  });

  it('raised no console error or page error on any page', () => {
    expect(opened.length).toBe(8);
    expect(opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
