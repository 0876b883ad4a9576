/**
 * Explanations computed by the model server (`python -m tvx_serving`, `POST /tvx/explain`): integrated
 * gradients satisfy completeness within the approximation error they report, sampled Shapley attributions
 * add up to the output difference, XRAI returns a map of the image's size; sklearn, TorchScript, `.mar` and
 * the AutoML image artifact.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const PYTHONPATH = fileURLToPath(new URL('../python', import.meta.url));

/** An untrained CNN on 1×16×16 images (completeness holds for any network), an iris classifier, a `.mar`. */
const MODELS = `
import json, os, sys, zipfile, joblib, torch, torch.nn as nn
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
root = sys.argv[1]
torch.manual_seed(0)
cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 8 * 8, 3))
for d in ('cnn', 'sk', 'mar', 'automl'): os.makedirs(os.path.join(root, d), exist_ok=True)
torch.jit.script(cnn.eval()).save(root + '/cnn/model.pt')
torch.jit.script(cnn.eval()).save(root + '/automl/model.pt')
json.dump({'labels': ['a', 'b', 'c'], 'annotationSpecIds': ['1', '2', '3'], 'imageSize': [16, 16], 'channels': 1,
           'multiLabel': False}, open(root + '/automl/automl_image.json', 'w'))
x, y = load_iris(return_X_y=True)
joblib.dump(LogisticRegression(max_iter=500).fit(x, y), root + '/sk/model.joblib')
mlp = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
torch.jit.script(mlp.eval()).save(root + '/mlp.pt')
handler = '''
import json, os, torch
class Handler:
    def initialize(self, context):
        self.model = torch.jit.load(os.path.join(context.system_properties['model_dir'], 'model.pt'))
    def handle(self, data, context):
        with torch.no_grad():
            p = torch.softmax(self.model(torch.tensor(data, dtype=torch.float32)), dim=1)
        return [{'probabilities': r} for r in p.tolist()]
'''
with zipfile.ZipFile(root + '/mar/model.mar', 'w') as z:
    z.writestr('MAR-INF/MANIFEST.json', json.dumps({'model': {'modelName': 'm', 'serializedFile': 'model.pt', 'handler': 'handler.py'}}))
    z.write(root + '/mlp.pt', 'model.pt')
    z.writestr('handler.py', handler)
    z.writestr('index_to_name.json', json.dumps({'0': 'setosa', '1': 'versicolor', '2': 'virginica'}))
`;

/** The AutoML image target directly: a fake served model of framework automl_image, a PNG instance. */
const AUTOML = `
import base64, io, json, sys, numpy as np
from PIL import Image
from tvx_serving.artifacts import Location, load_model
from tvx_serving.explain import Explainer
class Served:
    framework = 'automl_image'
    def predict(self, instances, parameters): return [{'displayNames': ['a']} for _ in instances]
pixels = np.zeros((20, 20), dtype=np.uint8); pixels[5:15, 8:12] = 255
out = io.BytesIO(); Image.fromarray(pixels).save(out, format='PNG')
spec = {'parameters': {'integratedGradientsAttribution': {'stepCount': 50}, 'topK': 2}}
instances = [{'content': base64.b64encode(out.getvalue()).decode()}]
served = load_model(Location(sys.argv[1], sys.argv[1]), 'automl_image')  # frameworks/automl_image.py
print(json.dumps([Explainer(Served(), sys.argv[1]).explain(instances, {}, spec),
                  Explainer(served, sys.argv[1]).explain(instances, {}, spec)]))
`;

const IMAGE = Array.from({ length: 16 }, (_, y) =>
  Array.from({ length: 16 }, (_, x) => (x > 5 && x < 10 && y > 2 && y < 13 ? 0.9 : 0.05)),
);
const IRIS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.9, 3.2, 5.7, 2.3],
];

interface Attribution {
  baselineOutputValue: number;
  instanceOutputValue: number;
  featureAttributions: Record<string, unknown>;
  outputIndex?: number[];
  outputDisplayName?: string;
  approximationError: number;
  outputName?: string;
}
interface Answer {
  explanations?: { attributions: Attribution[] }[];
  predictions?: unknown[];
  error?: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      PY,
      args,
      { env: { ...process.env, PYTHONPATH, OMP_NUM_THREADS: '1', ...env } },
      (err, out, errText) =>
        err ? reject(new Error(`${err.message}\n${errText}`)) : resolve(out.trim().split('\n').at(-1) ?? ''),
    ),
  );
}

const running: ChildProcess[] = [];

/** Starts a model server on `dir` (AIP_HTTP_PORT=0: the ready line names the port); resolves with its explain. */
async function serve(dir: string, framework: string): Promise<(body: object) => Promise<[number, Answer]>> {
  const proc = spawn(PY, ['-m', 'tvx_serving'], {
    env: {
      ...process.env,
      PYTHONPATH,
      OMP_NUM_THREADS: '1',
      AIP_HTTP_PORT: '0',
      AIP_STORAGE_URI: dir,
      TVX_SERVING_FRAMEWORK: framework,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(proc);
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const ready = /ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (ready) resolve(ready[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`tvx_serving on ${dir} exited with ${code}`)));
  });
  return async (body) => {
    const res = await fetch(`${base}/tvx/explain`, { method: 'POST', body: JSON.stringify(body) });
    return [res.status, (await res.json()) as Answer];
  };
}

/** Σ attributions of an attribution (any nesting; images through their per-pixel map). */
function total(a: Attribution): number {
  const sum = (v: unknown): number =>
    typeof v === 'number'
      ? v
      : Array.isArray(v)
        ? v.reduce((s: number, x) => s + sum(x), 0)
        : v && typeof v === 'object'
          ? Object.entries(v).reduce((s, [k, x]) => s + (k === 'b64_jpeg' ? 0 : sum(x)), 0)
          : 0;
  return sum(a.featureAttributions);
}

/** Completeness: |Σ − (f(x) − f(x'))| is the reported relative error times |f(x) − f(x')|. */
function expectComplete(a: Attribution): void {
  const diff = a.instanceOutputValue - a.baselineOutputValue;
  expect(Math.abs(total(a) - diff)).toBeCloseTo(a.approximationError * Math.abs(diff), 4);
}

describe('tvx_serving POST /tvx/explain', () => {
  const root = mkdtempSync(join(tmpdir(), 'tvx-explain-'));
  let cnn: Awaited<ReturnType<typeof serve>>;
  let sk: Awaited<ReturnType<typeof serve>>;
  let mar: Awaited<ReturnType<typeof serve>>;
  const image = { inputs: { pixels: { modality: 'image' } }, outputs: { scores: {} } };

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    await run(['-c', MODELS, root]);
    [cnn, sk, mar] = await Promise.all([
      serve(join(root, 'cnn'), 'pytorch'),
      serve(join(root, 'sk'), 'sklearn'),
      serve(join(root, 'mar'), 'pytorch'),
    ]);
  }, 120_000);
  afterAll(() => {
    for (const p of running) p.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('integrated gradients on a TorchScript image model: complete within the stated error, < 5% at 50 steps', async () => {
    const spec = {
      parameters: { integratedGradientsAttribution: { stepCount: 50 }, topK: 2 },
      metadata: image,
    };
    const [status, answer] = await cnn({ instances: [[IMAGE]], explanationSpec: spec });
    expect(status, answer.error).toBe(200);
    const [top, second] = answer.explanations![0]!.attributions;
    expect(answer.predictions).toHaveLength(1);
    expect(top!.outputIndex).toHaveLength(1);
    expect(top!.instanceOutputValue).toBeGreaterThanOrEqual(second!.instanceOutputValue);
    expect(top!.outputName).toBe('scores');
    const pixels = top!.featureAttributions.pixels as { b64_jpeg: string; attributions: number[][] };
    expect(Buffer.from(pixels.b64_jpeg, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect([pixels.attributions.length, pixels.attributions[0]!.length]).toEqual([16, 16]);
    for (const a of [top!, second!]) {
      expectComplete(a);
      expect(a.approximationError).toBeLessThan(0.05);
    }
  });

  it('more steps, smaller error; SmoothGrad and a blurred baseline are complete too', async () => {
    const errors: number[] = [];
    for (const stepCount of [2, 50]) {
      const spec = { parameters: { integratedGradientsAttribution: { stepCount } } };
      const [, answer] = await cnn({ instances: [[IMAGE]], explanationSpec: spec });
      errors.push(answer.explanations![0]!.attributions[0]!.approximationError);
    }
    expect(errors[1]).toBeLessThan(errors[0]!);
    for (const extra of [
      { smoothGradConfig: { noiseSigma: 0.05, noisySampleCount: 3 } },
      { blurBaselineConfig: { maxBlurSigma: 3 } },
    ]) {
      const spec = { parameters: { integratedGradientsAttribution: { stepCount: 50, ...extra } } };
      const [status, answer] = await cnn({ instances: [[IMAGE]], explanationSpec: spec });
      expect(status, answer.error).toBe(200);
      expectComplete(answer.explanations![0]!.attributions[0]!);
    }
  });

  it('XRAI returns a region map of the image size', async () => {
    const spec = { parameters: { xraiAttribution: { stepCount: 20 } }, metadata: image };
    const [status, answer] = await cnn({ instances: [[IMAGE], [IMAGE]], explanationSpec: spec });
    expect(status, answer.error).toBe(200);
    expect(answer.explanations).toHaveLength(2);
    const map = (
      answer.explanations![0]!.attributions[0]!.featureAttributions.pixels as { attributions: number[][] }
    ).attributions;
    expect([map.length, map[0]!.length]).toEqual([16, 16]);
    expect(new Set(map.flat()).size).toBeGreaterThan(1); // regions of different importance
  });

  it('sampled Shapley on scikit-learn: attributions add up to f(x) − f(baseline), named features and classes', async () => {
    const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    const spec = {
      parameters: { sampledShapleyAttribution: { pathCount: 10 } },
      metadata: { inputs: Object.fromEntries(names.map((n) => [n, {}])), outputs: { probability: {} } },
    };
    const [status, answer] = await sk({ instances: IRIS, explanationSpec: spec });
    expect(status, answer.error).toBe(200);
    const [setosa, virginica] = answer.explanations!.map((e) => e.attributions[0]!);
    expect(Object.keys(setosa!.featureAttributions)).toEqual(names);
    expect([setosa!.outputIndex, virginica!.outputIndex]).toEqual([[0], [2]]);
    expect(setosa!.outputDisplayName).toBe('0');
    for (const a of [setosa!, virginica!]) {
      expect(total(a)).toBeCloseTo(a.instanceOutputValue - a.baselineOutputValue, 6);
      expect(a.approximationError).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses gradient methods for models without gradients, and bad settings, with 400', async () => {
    const [status, answer] = await sk({
      instances: IRIS,
      explanationSpec: { parameters: { integratedGradientsAttribution: { stepCount: 10 } } },
    });
    expect(status).toBe(400);
    expect(answer.error).toMatch(/sampledShapleyAttribution/);
    const [bad, why] = await cnn({
      instances: [[IMAGE]],
      explanationSpec: { parameters: { integratedGradientsAttribution: { stepCount: 500 } } },
    });
    expect(bad).toBe(400);
    expect(why.error).toMatch(/stepCount=500: give an integer from 1 to 100/);
  });

  it('a .mar: integrated gradients on the TorchScript inside, on the softmax its handler returns', async () => {
    const spec = { parameters: { integratedGradientsAttribution: { stepCount: 50 } } };
    const [status, answer] = await mar({ instances: IRIS, explanationSpec: spec });
    expect(status, answer.error).toBe(200);
    const a = answer.explanations![1]!.attributions[0]!;
    const probabilities = (answer.predictions![1] as { probabilities: number[] }).probabilities;
    expect(a.instanceOutputValue).toBeCloseTo(Math.max(...probabilities), 5);
    expect(a.outputDisplayName).toBe(['setosa', 'versicolor', 'virginica'][a.outputIndex![0]!]);
    expect(Object.keys(a.featureAttributions)).toEqual(['0', '1', '2', '3']);
    expectComplete(a);
  });

  it('the AutoML image artifact: base64 content resized to imageSize, softmax confidences explained', async () => {
    const [own, served] = JSON.parse(await run(['-c', AUTOML, join(root, 'automl')])) as [Answer, Answer];
    for (const answer of [own!, served!]) {
      const [top, second] = answer.explanations![0]!.attributions;
      expect(top!.outputDisplayName).toMatch(/^[abc]$/);
      expect(top!.instanceOutputValue).toBeGreaterThan(0);
      expect(top!.instanceOutputValue).toBeLessThan(1);
      const map = (top!.featureAttributions.image as { attributions: number[][] }).attributions;
      expect([map.length, map[0]!.length]).toEqual([16, 16]);
      expectComplete(top!);
      expectComplete(second!);
    }
    // Through the AutoML server's own preprocessing: the explained output is the confidence it predicts.
    const prediction = served!.predictions![0] as { displayNames: string[]; confidences: number[] };
    const top = served!.explanations![0]!.attributions[0]!;
    expect(top.outputDisplayName).toBe(prediction.displayNames[0]);
    expect(top.instanceOutputValue).toBeCloseTo(prediction.confidences[0]!, 5);
    expect(top.instanceOutputValue).toBeCloseTo(
      own!.explanations![0]!.attributions[0]!.instanceOutputValue,
      2,
    );
  });
});
