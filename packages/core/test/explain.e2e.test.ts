/**
 * `Endpoint.explain()` against the in-process emulator, which computes the attributions for real: a small
 * CNN trained here on digits (scikit-learn's 8×8 digits upscaled into 32×32 images) deployed with
 * integrated gradients and with XRAI, an iris classifier with sampled Shapley; the ExplainResponse shape,
 * completeness within the stated approximation error, an overlay whose highlighted pixels fall on the
 * digit's ink, and the errors (no spec, bad spec).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { decodePng, explain, imageFromTensor, imageOverlayPng } from '@terra-vertex/xai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explanation } from '../src/endpoints/explain.ts';
import {
  ApiError,
  type DeployedModel,
  Endpoint,
  ensureBucket,
  init,
  Model,
  resolveConfig,
  storageClient,
  uploadFile,
} from '../src/index.ts';
import { recordedRequests, stopEmulator, useEmulator } from './helpers.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const TORCH_IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.2-1:latest';
const SKLEARN_IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const IRIS = [
  [5.1, 3.5, 1.4, 0.2],
  [7.7, 3.0, 6.1, 2.3],
];
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** Trains the digits CNN (a few seconds, one thread) and an iris model; prints a few digits as 1×32×32. */
const TRAIN = `
import json, os, sys, joblib, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits, load_iris
from sklearn.linear_model import LogisticRegression
torch.manual_seed(0); torch.set_num_threads(1)
d = load_digits()
small = torch.tensor(d.images / 16.0, dtype=torch.float32)[:, None]
x = F.pad(F.interpolate(small, size=(20, 20), mode='bilinear', align_corners=False).clamp(0, 1), (6, 6, 6, 6))
y = torch.tensor(d.target)
net = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 8, 3, padding=1),
                    nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 8 * 8, 10))
opt = torch.optim.Adam(net.parameters(), 3e-3)
for epoch in range(3):
    for b in torch.randperm(len(x)).split(64):
        opt.zero_grad(); F.cross_entropy(net(x[b]), y[b]).backward(); opt.step()
for name in ('digits', 'iris'): os.makedirs(os.path.join(sys.argv[1], name), exist_ok=True)
torch.jit.script(net.eval()).save(sys.argv[1] + '/digits/model.pt')
X, Y = load_iris(return_X_y=True)
joblib.dump(LogisticRegression(max_iter=500).fit(X, Y), sys.argv[1] + '/iris/model.joblib')
print(json.dumps({'digits': x[[0, 2, 4]].numpy().round(4).tolist(), 'labels': y[[0, 2, 4]].tolist()}))
`;

const igSpec = {
  parameters: { integratedGradientsAttribution: { stepCount: 50 } },
  metadata: { inputs: { image: { modality: 'image' } }, outputs: { logits: {} } },
};
const xraiSpec = { ...igSpec, parameters: { xraiAttribution: { stepCount: 25 } } };

/** Σ of a per-pixel map (nested lists). */
const sum = (v: unknown): number =>
  Array.isArray(v) ? v.reduce((s: number, x) => s + sum(x), 0) : Number(v);

describe('Endpoint.explain against the emulator', () => {
  let emu: RunningEmulator;
  let work: string;
  let digits: number[][][][];
  let digitsEndpoint: Endpoint;
  let irisEndpoint: Endpoint;
  let ig: DeployedModel;
  let xrai: DeployedModel;
  let plain: DeployedModel;
  let shapley: DeployedModel;
  let iris: Model;

  beforeAll(async () => {
    emu = await useEmulator();
    work = mkdtempSync(join(tmpdir(), 'tvx-explain-'));
    digits = JSON.parse(execFileSync(PY, ['-c', TRAIN, work], { encoding: 'utf8' })).digits;
    // A bare TorchScript model.pt is served by the emulator but not accepted from a local folder: stage it.
    const storage = await storageClient(await resolveConfig());
    await ensureBucket(storage, 'explain-models');
    await uploadFile(storage, join(work, 'digits', 'model.pt'), 'gs://explain-models/digits/model.pt');
    const cnn = await Model.upload({
      displayName: 'digits-cnn',
      artifactUri: 'gs://explain-models/digits',
      servingContainerImageUri: TORCH_IMAGE,
    });
    iris = await Model.upload({
      displayName: 'iris',
      artifactUri: join(work, 'iris'),
      servingContainerImageUri: SKLEARN_IMAGE,
    });
    [digitsEndpoint, irisEndpoint] = await Promise.all([
      Endpoint.create({ displayName: 'digits' }),
      Endpoint.create({ displayName: 'iris' }),
    ]);
    ig = await digitsEndpoint.deploy(cnn, { explanationSpec: igSpec });
    xrai = await digitsEndpoint.deploy(cnn, {
      explanationSpec: xraiSpec,
      trafficSplit: { [ig.id]: 100, '0': 0 },
    });
    plain = await irisEndpoint.deploy(iris);
    shapley = await irisEndpoint.deploy(iris, {
      trafficSplit: { [plain.id]: 100, '0': 0 },
      explanationSpec: {
        parameters: { sampledShapleyAttribution: { pathCount: 10 } },
        metadata: {
          inputs: Object.fromEntries(FEATURES.map((f) => [f, {}])),
          outputs: { probabilities: {} },
        },
      },
    });
  }, 180_000);
  afterAll(async () => {
    await stopEmulator(emu);
    rmSync(work, { recursive: true, force: true });
  });

  it('integrated gradients: ExplainResponse shape, completeness within the approximation error', async () => {
    const ex: Explanation = await digitsEndpoint.explain(digits.slice(0, 2));
    expect(ex.deployedModelId).toBe(ig.id); // the traffic split's choice
    expect(ex.predictions).toHaveLength(2);
    expect(ex.explanations).toHaveLength(2);
    ex.explanations.forEach((e, i) => {
      const [a] = e.attributions;
      const logits = ex.predictions[i] as number[];
      expect(a!.outputIndex).toEqual([logits.indexOf(Math.max(...logits))]);
      expect(a!.outputName).toBe('logits');
      expect(a!.instanceOutputValue).toBeCloseTo(Math.max(...logits), 4);
      const image = (a!.featureAttributions as { image: { b64_jpeg: string; attributions: number[][] } })
        .image;
      expect(typeof image.b64_jpeg).toBe('string');
      const diff = a!.instanceOutputValue - a!.baselineOutputValue;
      expect(Math.abs(sum(image.attributions) - diff)).toBeCloseTo(a!.approximationError * Math.abs(diff), 4);
      expect(a!.approximationError).toBeLessThan(0.05);
    });
  });

  it('an overlay PNG decodes and its highlighted pixels (top 10%) fall on the digit', async () => {
    const results = await explain(digitsEndpoint, digits, { deployedModelId: ig.id });
    for (const [i, result] of results.entries()) {
      expect(result.kind).toBe('image');
      if (result.kind !== 'image') continue;
      expect([result.map.width, result.map.height]).toEqual([32, 32]);
      const png = imageOverlayPng(undefined, result, { type: 'pixels', clipPercentLowerbound: 90 });
      const { width, height, rgba } = decodePng(png);
      expect([width, height]).toEqual([32, 32]);
      let lit = 0;
      let onInk = 0;
      for (let p = 0; p < width * height; p++) {
        if (rgba[p * 4]! + rgba[p * 4 + 1]! + rgba[p * 4 + 2]! === 0) continue;
        lit++;
        if (digits[i]![0]![Math.floor(p / width)]![p % width]! > 0) onInk++;
      }
      expect(lit).toBeGreaterThan(10);
      expect(onInk / lit).toBeGreaterThan(0.7);
      // Over the digit itself, as a notebook would show it.
      const over = decodePng(
        imageOverlayPng(imageFromTensor(digits[i]![0]!), result, { overlayType: 'grayscale' }),
      );
      expect(over.width).toBe(32);
    }
  });

  it('XRAI, chosen by deployedModelId: a region map of the image size', async () => {
    const ex = await digitsEndpoint.explain([digits[0]], { deployedModelId: xrai.id });
    expect(ex.deployedModelId).toBe(xrai.id);
    const image = (
      ex.explanations[0]!.attributions[0]!.featureAttributions as { image: { attributions: number[][] } }
    ).image;
    expect([image.attributions.length, image.attributions[0]!.length]).toEqual([32, 32]);
  });

  it('sampled Shapley on scikit-learn, over gRPC and over REST', async () => {
    const ex = await irisEndpoint.explain(IRIS, { deployedModelId: shapley.id });
    const [setosa, virginica] = ex.explanations.map((e) => e.attributions[0]!);
    expect([setosa!.outputIndex, virginica!.outputIndex]).toEqual([[0], [2]]);
    for (const a of [setosa!, virginica!]) {
      expect(Object.keys(a.featureAttributions as object)).toEqual(FEATURES);
      expect(sum(Object.values(a.featureAttributions as object))).toBeCloseTo(
        a.instanceOutputValue - a.baselineOutputValue,
        6,
      );
    }
    const [result] = await explain(irisEndpoint, [IRIS[1]], { deployedModelId: shapley.id });
    expect(result!.kind).toBe('tabular');
    init({ apiTransport: 'rest' });
    try {
      const rest = await new Endpoint(irisEndpoint.resourceName).explain(IRIS, {
        deployedModelId: shapley.id,
      });
      expect(rest.explanations).toEqual(ex.explanations);
      const [last] = (await recordedRequests(emu, 'PredictionService/Explain')).slice(-1);
      expect((last as { transport?: string }).transport).toBe('http');
      expect((last!.request as { instances: unknown }).instances).toEqual(IRIS);
    } finally {
      init({ apiTransport: 'grpc' });
    }
  });

  it('FAILED_PRECONDITION for a deployed model without an explanation spec', async () => {
    const err = await irisEndpoint.explain(IRIS).catch((e: unknown) => e); // the split sends it to `plain`
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe('FAILED_PRECONDITION');
    expect((err as ApiError).serverMessage).toMatch(
      new RegExp(
        `Deployed model ${plain.id} has no explanation spec.*deploy the model with an explanationSpec`,
      ),
    );
  });

  it('INVALID_ARGUMENT naming the field for a bad spec or override', async () => {
    const bad = async (spec: object) => {
      const err = await irisEndpoint
        .deploy(iris, { explanationSpec: spec, trafficSplit: { [plain.id]: 100, [shapley.id]: 0, '0': 0 } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe('INVALID_ARGUMENT');
      return (err as ApiError).serverMessage;
    };
    expect(await bad({ parameters: { integratedGradientsAttribution: { stepCount: 50 } } })).toMatch(
      /deployed_model.explanation_spec.parameters.integrated_gradients_attribution; Message: .*use sampledShapleyAttribution/,
    );
    expect(await bad({ parameters: { sampledShapleyAttribution: { pathCount: 51 } } })).toMatch(
      /sampled_shapley_attribution.path_count; Message: Must be an integer from 1 to 50/,
    );
    const err = await digitsEndpoint
      .explain([digits[0]], {
        explanationSpecOverride: { parameters: { sampledShapleyAttribution: { pathCount: 5 } } },
      })
      .catch((e: unknown) => e);
    expect((err as ApiError).status).toBe('INVALID_ARGUMENT');
    expect((err as ApiError).serverMessage).toMatch(/override cannot change the attribution method/);
    const fewer = await digitsEndpoint.explain([digits[0]], {
      explanationSpecOverride: { parameters: { integratedGradientsAttribution: { stepCount: 2 } } },
    });
    expect(fewer.explanations[0]!.attributions[0]!.approximationError).toBeGreaterThan(0);
  });
});
