/**
 * The local console in headless Chromium, serving side: a model's evaluation (metrics, confusion matrix, PR
 * curve), an endpoint's traffic split and live replicas, and explanations from the endpoint page (tabular bars,
 * an image overlay), with no console errors. Models are made by a small Python script and uploaded to the
 * emulator's Cloud Storage, as they would be to a bucket on Vertex.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helpers } from '@google-cloud/aiplatform';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shown } from './console-browser.ts';
import { ConsoleSuite, PY, parent, SHOTS } from './console-fixture.ts';

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

describe('the local console in headless Chromium: models and endpoints', () => {
  const suite = new ConsoleSuite();
  const open = (path: string, shot?: string) => suite.open(path, shot);
  const text = (o: Parameters<ConsoleSuite['text']>[0], selector?: string) => suite.text(o, selector);
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tvx-console-'));
    execFileSync(PY, ['-c', MODELS, work], { stdio: 'pipe' });
    await suite.start();
    const storage = new Storage({ apiEndpoint: suite.emu.httpAddress, projectId: 'demo-terra-vertex' });
    const [bucket] = await storage.createBucket('console-models');
    await bucket.upload(join(work, 'iris', 'model.joblib'), { destination: 'iris/model.joblib' });
    await bucket.upload(join(work, 'cnn', 'model.pt'), { destination: 'cnn/model.pt' });
  });
  afterAll(async () => {
    await suite.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("shows a model's evaluation: scalar metrics, a coloured confusion matrix and a PR curve", async () => {
    const [op] = await suite.c.models.uploadModel({
      parent,
      model: {
        displayName: 'iris',
        artifactUri: 'gs://console-models/iris',
        containerSpec: { imageUri: SKLEARN_IMAGE },
      },
    });
    const [uploaded] = await op.promise();
    await suite.c.models.importModelEvaluation({
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
      const [op] = await suite.c.models.uploadModel({
        parent,
        model: { displayName, artifactUri: `gs://console-models/${dir}`, containerSpec: { imageUri } },
      });
      return (await op.promise())[0].model!;
    };
    const deploy = async (model: string, displayName: string, explanationSpec: object) => {
      const [created] = await (
        await suite.c.endpoints.createEndpoint({ parent, endpoint: { displayName } })
      )[0].promise();
      const [op] = await suite.c.endpoints.deployModel({
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
    expect(suite.opened.length).toBeGreaterThan(3);
    expect(suite.opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
