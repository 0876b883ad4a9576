/**
 * The local console in headless Chromium, jobs side: resources created through the official clients on the
 * in-process emulator, every page opened and checked for its content and for console errors — a running job's
 * logs growing without a reload, a training pipeline with its job's logs, a study's trials and plots, empty
 * states and a missing resource. Models and endpoints are in console-serving.e2e.test.ts.
 */

import { join } from 'node:path';
import { helpers } from '@google-cloud/aiplatform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shown } from './console-browser.ts';
import { ConsoleSuite, PY, parent, SHOTS, until } from './console-fixture.ts';

/** Prints `tick i` every 0.3 s, TICKS times; with --lr/--opt (a trial) it reports an accuracy instead. */
const TICKER = `
import os, sys, time
args = dict(a[2:].split('=', 1) for a in sys.argv[1:] if a.startswith('--'))
if 'lr' in args:
    import hypertune
    acc = 0.9 - abs(float(args['lr']) - 0.01) * 3 - (0.05 if args['opt'] == 'sgd' else 0)
    hypertune.HyperTune().report_hyperparameter_tuning_metric('accuracy', acc, 1)
    print('trial', args, 'accuracy', acc, flush=True)
    sys.exit(0)
for i in range(int(os.environ.get('TICKS', '3'))):
    print(f'tick {i} <b>not bold</b>', flush=True)
    time.sleep(0.3)
`;
/** An iris classifier (scikit-learn) and an untrained 1×16×16 → 3 CNN (TorchScript); a 40×40 PNG. */
const pool = (env: Record<string, string> = {}) => ({
  replicaCount: 1,
  machineSpec: { machineType: 'n1-standard-4' },
  containerSpec: {
    imageUri: 'local/ticker:1',
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
  },
});

describe('the local console in headless Chromium: jobs, pipelines, tuning', () => {
  const suite = new ConsoleSuite();
  const open = (path: string, shot?: string) => suite.open(path, shot);
  const text = (o: Parameters<ConsoleSuite['text']>[0], selector?: string) => suite.text(o, selector);

  beforeAll(() => suite.start({ localImages: { 'local/ticker:1': { command: [PY, '-c', TICKER] } } }));
  afterAll(() => suite.close());

  it('shows empty states that say what to do, and a readable 404', async () => {
    const expectations: [string, RegExp][] = [
      ['/console/jobs', /No custom jobs yet[\s\S]*tvx train custom-job/],
      ['/console/pipelines', /No training pipelines yet[\s\S]*tvx train script/],
      ['/console/tuning', /No hyperparameter tuning jobs yet[\s\S]*tvx hptune run/],
      ['/console/models', /No models yet[\s\S]*tvx models upload/],
      ['/console/endpoints', /No endpoints yet[\s\S]*tvx endpoints create/],
    ];
    for (const [path, want] of expectations) {
      const o = await open(path, `empty${path.replaceAll('/', '-')}`);
      expect(await text(o, '.empty')).toMatch(want);
      expect(await o.page.locator('header nav a[aria-current=page]').count()).toBe(1);
    }
    const home = await open('/console', 'home-empty');
    expect(await text(home)).toMatch(/demo-terra-vertex\/locations\/us-central1/);
    const missing = await suite.browser.open('/console/jobs/123');
    expect(missing.errors).toContain('HTTP 404 for /console/jobs/123');
    expect(await text(missing)).toMatch(/No custom job 123 in projects\/demo-terra-vertex/);
    await missing.page.close();
  });

  it("follows a running job's logs without a reload, then shows it succeeded", async () => {
    const [job] = await suite.c.jobs.createCustomJob({
      parent,
      customJob: { displayName: 'ticker <script>', jobSpec: { workerPoolSpecs: [pool({ TICKS: '14' })] } },
    });
    const id = job.name!.split('/').pop()!;
    const logs = suite.emu.dataDir; // the log store is read by the console; wait until the job has started printing
    expect(logs).toBeTruthy();
    await until('the first log line', async () => {
      const [j] = await suite.c.jobs.getCustomJob({ name: job.name });
      return j.state === 'JOB_STATE_RUNNING' ? true : undefined;
    });
    const o = await open(`/console/jobs/${id}`);
    expect(await o.page.title()).toContain('ticker <script>');
    await o.page.evaluate('window.marker = 42');
    const lines = o.page.locator('pre.logs .line');
    const first = await lines.count();
    await o.page.waitForFunction(
      `document.querySelectorAll('pre.logs .line').length > ${first + 2}`,
      undefined,
      {
        timeout: 15_000,
      },
    );
    expect(await o.page.evaluate('window.marker')).toBe(42);
    expect(await text(o, '[data-live=state]')).toBe('Running');
    await o.page.screenshot({ path: join(SHOTS, 'job-running.png'), fullPage: true });
    await o.page.locator('pre.logs[data-done=true]').waitFor({ timeout: 30_000 });
    expect(await text(o, '[data-live=state]')).toBe('Succeeded');
    expect(await o.page.locator('[data-live=state]').getAttribute('class')).toBe('state ok');
    const all = await lines.allInnerTexts();
    expect(all.filter((l) => /\[workerpool0-0\] tick \d+ <b>not bold<\/b>/.test(l))).toHaveLength(14);
    expect(await o.page.locator('pre.logs b').count()).toBe(0); // escaped, not markup
    expect(await o.page.evaluate('window.marker')).toBe(42);
    await o.page.screenshot({ path: join(SHOTS, 'job-succeeded.png'), fullPage: true });

    const list = await open('/console/jobs', 'jobs');
    const row = list.page.locator('table.jobs tbody tr', { hasText: id });
    expect(await shown(row)).toMatch(/ticker <script>[\s\S]*Succeeded[\s\S]*\d+ s[\s\S]*1 × n1-standard-4/);
  });

  it('shows a training pipeline with the logs of the job that trained it', async () => {
    const [p] = await suite.c.pipelines.createTrainingPipeline({
      parent,
      trainingPipeline: {
        displayName: 'pipe',
        trainingTaskDefinition:
          'gs://google-cloud-aiplatform/schema/trainingjob/definition/custom_task_1.0.0.yaml',
        trainingTaskInputs: helpers.toValue({
          workerPoolSpecs: [pool({ TICKS: '2' })],
          baseOutputDirectory: { outputUriPrefix: 'gs://console/pipe' },
        }) as never,
      },
    });
    await until('the pipeline to end', async () => {
      const [x] = await suite.c.pipelines.getTrainingPipeline({ name: p.name });
      return x.state === 'PIPELINE_STATE_SUCCEEDED' ? x : undefined;
    });
    const id = p.name!.split('/').pop()!;
    const list = await open('/console/pipelines', 'pipelines');
    expect(await text(list, 'table')).toMatch(/pipe[\s\S]*Succeeded[\s\S]*custom task/);
    const o = await open(`/console/pipelines/${id}`, 'pipeline');
    expect(await text(o, '.facts')).toMatch(/Succeeded[\s\S]*Training job/);
    expect(await o.page.locator('pre.logs .line', { hasText: 'tick 1' }).count()).toBe(1);
  });

  it("shows a study's trials table, its plots and the best trial", async () => {
    const [job] = await suite.c.jobs.createHyperparameterTuningJob({
      parent,
      hyperparameterTuningJob: {
        displayName: 'tune',
        maxTrialCount: 4,
        parallelTrialCount: 2,
        studySpec: {
          algorithm: 'RANDOM_SEARCH',
          metrics: [{ metricId: 'accuracy', goal: 'MAXIMIZE' }],
          parameters: [
            {
              parameterId: 'lr',
              doubleValueSpec: { minValue: 0.001, maxValue: 0.1 },
              scaleType: 'UNIT_LOG_SCALE',
            },
            { parameterId: 'opt', categoricalValueSpec: { values: ['adam', 'sgd'] } },
          ],
        },
        trialJobSpec: { workerPoolSpecs: [pool()] },
      },
    });
    const done = await until('the study to end', async () => {
      const [x] = await suite.c.jobs.getHyperparameterTuningJob({ name: job.name });
      return x.state === 'JOB_STATE_SUCCEEDED' ? x : undefined;
    });
    const accuracies = done.trials!.map((t) => t.finalMeasurement!.metrics![0]!.value!);
    const best = done.trials![accuracies.indexOf(Math.max(...accuracies))]!;
    const o = await open(`/console/tuning/${job.name!.split('/').pop()}`);
    await o.page.locator('.chart[data-ready=true]').nth(2).waitFor();
    await o.page.screenshot({ path: join(SHOTS, 'tuning.png'), fullPage: true });
    expect(await o.page.locator('table.trials tbody tr').count()).toBe(4);
    expect(await text(o, 'table.trials thead')).toMatch(/lr[\s\S]*opt[\s\S]*accuracy/);
    expect(await text(o, 'table.trials tr.best')).toMatch(new RegExp(`^${best.id} ★`));
    expect(await text(o, '.facts')).toMatch(
      new RegExp(
        `Best trial\\s+trial ${best.id}: accuracy = ${Number(Math.max(...accuracies).toPrecision(4))}`,
      ),
    );
    const titles = await o.page.locator('.chart h3').allInnerTexts();
    expect(titles).toEqual(['accuracy by trial (maximize)', 'accuracy vs lr', 'accuracy vs opt']);
    expect(await o.page.locator('.chart canvas').count()).toBe(3);
    const byTrial = JSON.parse((await o.page.locator('.chart').first().getAttribute('data-chart'))!);
    expect(byTrial.series[1].points.at(-1)[1]).toBeCloseTo(Math.max(...accuracies), 10);
    const list = await open('/console/tuning', 'tuning-list');
    expect(await text(list, 'table')).toMatch(/tune[\s\S]*Succeeded[\s\S]*4 \/ 4/);
  });

  it('raised no console error or page error on any page', () => {
    expect(suite.opened.length).toBeGreaterThan(7);
    expect(suite.opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
