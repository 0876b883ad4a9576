/**
 * The local console in headless Chromium: resources created through the official clients on the in-process
 * emulator, every page opened and checked for its content and for console errors — a running job's logs
 * growing without a reload, a study's trials and plots, a model's evaluation, an endpoint's split, replicas
 * and explanations (tabular bars, image overlay), empty states and a missing resource.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helpers, v1 } from '@google-cloud/aiplatform';
import { Storage } from '@google-cloud/storage';
import { grpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { ConsoleBrowser, type OpenedPage, shown } from './console-browser.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const parent = 'projects/demo-terra-vertex/locations/us-central1';
const SHOTS = process.env.TVX_CONSOLE_SCREENSHOTS ?? join(tmpdir(), 'tvx-console-shots');
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
const MODELS = `
import os, sys, joblib, torch, torch.nn as nn
from PIL import Image
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
root = sys.argv[1]
for d in ('iris', 'cnn'): os.makedirs(os.path.join(root, d), exist_ok=True)
x, y = load_iris(return_X_y=True)
joblib.dump(LogisticRegression(max_iter=500).fit(x, y), root + '/iris/model.joblib')
torch.manual_seed(0)
cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 8 * 8, 3))
torch.jit.script(cnn.eval()).save(root + '/cnn/model.pt')
img = Image.new('RGB', (40, 40), (10, 10, 10))
for yy in range(8, 32):
    for xx in range(16, 24): img.putpixel((xx, yy), (250, 250, 250))
img.save(root + '/digit.png')
`;
/** The few browser types the page functions use (the package compiles without the DOM library). */
interface Browser {
  getComputedStyle(el: unknown): { backgroundColor: string };
}
interface Canvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const SKLEARN_IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const TORCH_IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.2-1:latest';

function clients(emu: RunningEmulator) {
  const [host, port] = emu.vertexAddress.split(':');
  const o = { apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure() };
  return {
    jobs: new v1.JobServiceClient(o),
    pipelines: new v1.PipelineServiceClient(o),
    models: new v1.ModelServiceClient(o),
    endpoints: new v1.EndpointServiceClient(o),
  };
}

const pool = (env: Record<string, string> = {}) => ({
  replicaCount: 1,
  machineSpec: { machineType: 'n1-standard-4' },
  containerSpec: {
    imageUri: 'local/ticker:1',
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
  },
});

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('the local console in headless Chromium', () => {
  let emu: RunningEmulator;
  let c: ReturnType<typeof clients>;
  let browser: ConsoleBrowser;
  let work: string;
  const opened: OpenedPage[] = [];

  /** Opens a page, remembers it for the error check, and saves a screenshot under SHOTS. */
  const open = async (path: string, shot?: string) => {
    const o = await browser.open(path);
    opened.push(o);
    if (shot) await o.page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    return o;
  };
  const text = (o: OpenedPage, selector = 'main') => shown(o.page.locator(selector));

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tvx-console-'));
    execFileSync(PY, ['-c', MODELS, work], { stdio: 'pipe' });
    emu = await startEmulator({ localImages: { 'local/ticker:1': { command: [PY, '-c', TICKER] } } });
    c = clients(emu);
    // Model artifacts go to the emulator's Cloud Storage, as they would to a bucket on Vertex.
    const storage = new Storage({ apiEndpoint: emu.httpAddress, projectId: 'demo-terra-vertex' });
    const [bucket] = await storage.createBucket('console-models');
    await bucket.upload(join(work, 'iris', 'model.joblib'), { destination: 'iris/model.joblib' });
    await bucket.upload(join(work, 'cnn', 'model.pt'), { destination: 'cnn/model.pt' });
    browser = await ConsoleBrowser.launch(emu.httpAddress);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(Object.values(c ?? {}).map((x) => x.close()));
    await emu?.stop();
    rmSync(work, { recursive: true, force: true });
  });

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
    const missing = await browser.open('/console/jobs/123');
    expect(missing.errors).toContain('HTTP 404 for /console/jobs/123');
    expect(await text(missing)).toMatch(/No custom job 123 in projects\/demo-terra-vertex/);
    await missing.page.close();
  });

  it("follows a running job's logs without a reload, then shows it succeeded", async () => {
    const [job] = await c.jobs.createCustomJob({
      parent,
      customJob: { displayName: 'ticker <script>', jobSpec: { workerPoolSpecs: [pool({ TICKS: '14' })] } },
    });
    const id = job.name!.split('/').pop()!;
    const logs = emu.dataDir; // the log store is read by the console; wait until the job has started printing
    expect(logs).toBeTruthy();
    await until('the first log line', async () => {
      const [j] = await c.jobs.getCustomJob({ name: job.name });
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
    const [p] = await c.pipelines.createTrainingPipeline({
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
      const [x] = await c.pipelines.getTrainingPipeline({ name: p.name });
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
    const [job] = await c.jobs.createHyperparameterTuningJob({
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
      const [x] = await c.jobs.getHyperparameterTuningJob({ name: job.name });
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

  it("shows a model's evaluation: scalar metrics, a coloured confusion matrix and a PR curve", async () => {
    const [op] = await c.models.uploadModel({
      parent,
      model: {
        displayName: 'iris',
        artifactUri: 'gs://console-models/iris',
        containerSpec: { imageUri: SKLEARN_IMAGE },
      },
    });
    const [uploaded] = await op.promise();
    await c.models.importModelEvaluation({
      parent: `${uploaded.model!}@1`,
      modelEvaluation: {
        displayName: 'holdout',
        metricsSchemaUri:
          'gs://google-cloud-aiplatform/schema/modelevaluation/classification_metrics_1.0.0.yaml',
        metrics: helpers.toValue({
          auPrc: 0.97,
          logLoss: 0.12,
          confidenceMetrics: [
            { recall: 1, precision: 0.33 },
            { confidenceThreshold: 0.5, recall: 0.9, precision: 0.9 },
            { confidenceThreshold: 0.9, recall: 0.6, precision: 1 },
          ],
          confusionMatrix: {
            annotationSpecs: [
              { id: '1', displayName: 'setosa' },
              { id: '2', displayName: 'versicolor' },
              { id: '3', displayName: '<virginica>' },
            ],
            rows: [
              [10, 0, 0],
              [0, 8, 2],
              [0, 1, 9],
            ],
          },
        }) as never,
      },
    });
    const id = uploaded.model!.split('/').pop()!;
    const list = await open('/console/models', 'models');
    expect(await text(list, 'table')).toMatch(/iris[\s\S]*sklearn-cpu/);
    const o = await open(`/console/models/${id}`);
    await o.page.locator('.chart[data-ready=true]').waitFor();
    await o.page.screenshot({ path: join(SHOTS, 'model.png'), fullPage: true });
    expect(await text(o, 'table.metrics')).toMatch(/auPrc\s+0\.97[\s\S]*logLoss\s+0\.12/);
    expect(await o.page.locator('table.cm thead th').allInnerTexts()).toEqual([
      'truth ↓ / predicted →',
      'setosa',
      'versicolor',
      '<virginica>',
    ]);
    const cells = o.page.locator('table.cm td.cell');
    expect(await cells.allInnerTexts()).toEqual(['10', '0', '0', '0', '8', '2', '0', '1', '9']);
    const colour = (i: number) =>
      cells.nth(i).evaluate((td) => (globalThis as unknown as Browser).getComputedStyle(td).backgroundColor);
    expect(await colour(0)).toBe('rgba(26, 127, 55, 0.85)'); // all of setosa's row: full green
    expect(await colour(1)).toBe('rgba(207, 34, 46, 0)');
    expect(await colour(5)).toBe('rgba(207, 34, 46, 0.17)'); // 2 of 10 versicolor taken for virginica
    const pr = JSON.parse((await o.page.locator('.chart').getAttribute('data-chart'))!);
    expect(pr.series[0].points).toEqual([
      [0.6, 1],
      [0.9, 0.9],
      [1, 0.33],
    ]);
  });

  it("shows an endpoint's traffic split and replicas, and explains tabular and image instances", async () => {
    const upload = async (displayName: string, dir: string, imageUri: string) => {
      const [op] = await c.models.uploadModel({
        parent,
        model: { displayName, artifactUri: `gs://console-models/${dir}`, containerSpec: { imageUri } },
      });
      return (await op.promise())[0].model!;
    };
    const deploy = async (model: string, displayName: string, explanationSpec: object) => {
      const [created] = await (
        await c.endpoints.createEndpoint({ parent, endpoint: { displayName } })
      )[0].promise();
      const [op] = await c.endpoints.deployModel({
        endpoint: created.name,
        deployedModel: {
          model,
          displayName: `${displayName}-model`,
          dedicatedResources: {
            minReplicaCount: 1,
            maxReplicaCount: 2,
            machineSpec: { machineType: 'n1-standard-2' },
          },
          explanationSpec: explanationSpec as never,
        },
        trafficSplit: { '0': 100 },
      });
      const [res] = await op.promise();
      return { id: created.name!.split('/').pop()!, deployed: res.deployedModel!.id! };
    };
    const [iris, cnn] = await Promise.all([
      upload('iris-explained', 'iris', SKLEARN_IMAGE),
      upload('cnn', 'cnn', TORCH_IMAGE),
    ]);
    const [tabular, image] = await Promise.all([
      deploy(iris, 'iris-ep', {
        parameters: { sampledShapleyAttribution: { pathCount: 10 } },
        metadata: {
          inputs: Object.fromEntries(FEATURES.map((f) => [f, {}])),
          outputs: { probabilities: {} },
        },
      }),
      deploy(cnn, 'cnn-ep', {
        parameters: { integratedGradientsAttribution: { stepCount: 20 } },
        metadata: { inputs: { image: { modality: 'image' } }, outputs: { logits: {} } },
      }),
    ]);

    const list = await open('/console/endpoints', 'endpoints');
    expect(await text(list, 'table')).toMatch(new RegExp(`iris-ep[\\s\\S]*${tabular.deployed}: 100%`));

    const o = await open(`/console/endpoints/${tabular.id}`);
    expect(await text(o, 'table.split')).toMatch(new RegExp(`${tabular.deployed}\\s+100%`));
    expect(await text(o, '.deployed .facts')).toMatch(/Replicas\s+1–2[\s\S]*sampledShapleyAttribution/);
    const replicas = o.page.locator('table.replicas tbody tr');
    expect(await replicas.count()).toBe(1);
    expect(await shown(replicas)).toMatch(/replica-\d+\s+Ready\s+\d+\s+\d+\s+0/);
    await o.page.locator('textarea[name=json]').fill('[5.1, 3.5, 1.4, 0.2]');
    await o.page.locator('form.explain button').click();
    await o.page.locator('.result[data-done=true]').waitFor({ timeout: 30_000 });
    expect(await o.page.locator('.bars .feature').allInnerTexts()).toEqual(expect.arrayContaining(FEATURES));
    expect(await o.page.locator('.bars .bar').count()).toBe(4);
    await o.page.screenshot({ path: join(SHOTS, 'endpoint-tabular.png'), fullPage: true });
    // A bad instance gets the server's message, not a crash.
    await o.page.locator('textarea[name=json]').fill('{not json');
    await o.page.locator('form.explain button').click();
    await o.page.locator('.result[data-done=error]').waitFor();
    expect(await text(o, '.result')).toMatch(/not valid JSON/);

    const img = await open(`/console/endpoints/${image.id}`);
    expect(await img.page.locator('input[name=source][value=image]').isChecked()).toBe(true);
    await img.page.locator('input[name=image]').setInputFiles(join(work, 'digit.png'));
    await img.page.locator('select[name=encoding]').selectOption('tensor-gray');
    await img.page.locator('input[name=size]').fill('16');
    await img.page.locator('form.explain button').click();
    await img.page.locator('.result[data-done=true]').waitFor({ timeout: 30_000 });
    const canvas = img.page.locator('canvas.attribution-overlay').first();
    expect(await canvas.getAttribute('data-map-width')).toBe('16');
    expect(await canvas.getAttribute('data-map-height')).toBe('16');
    // The canvas holds the uploaded image (40×40, scaled ×6) with the heatmap drawn over it.
    const drawn = await canvas.evaluate((el) => {
      const cv = el as unknown as Canvas;
      const px = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let lit = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i]! + px[i + 1]! + px[i + 2]! > 60) lit++;
      return { width: cv.width, height: cv.height, lit };
    });
    expect(drawn.width).toBe(240);
    expect(drawn.height).toBe(240);
    expect(drawn.lit).toBeGreaterThan(240 * 24);
    await img.page.screenshot({ path: join(SHOTS, 'endpoint-image.png'), fullPage: true });
  });

  it('raised no console error or page error on any page', () => {
    expect(opened.length).toBeGreaterThan(12);
    expect(opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
