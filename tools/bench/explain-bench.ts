/**
 * Explanation benchmark: time per image of `Endpoint.explain()` with integrated gradients (25 and 50 steps)
 * and XRAI (25 steps) on a 32×32 digit CNN, beside `Endpoint.predict()` of the same images on the same
 * endpoint (the baseline, same run), and beside the same explanations computed in-process in Python
 * (tvx_serving's `explain` package called directly: no HTTP, no gRPC) to show what serving adds. One image a
 * request, sequential; the emulator runs in this process.
 * Usage: node tools/bench/explain-bench.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  closeClients,
  Endpoint,
  ensureBucket,
  init,
  Model,
  resolveConfig,
  storageClient,
  uploadFile,
} from '@terra-vertex/core';
import { startEmulator } from '@terra-vertex/emulator';
import { ms, type Summary, summarize } from './stats.ts';

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('../../', import.meta.url));
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.2-1:latest';
const N = quick ? 8 : 40;
const N_XRAI = quick ? 4 : 15;
const work = mkdtempSync(join(tmpdir(), 'tvx-explain-bench-'));

/** The digits CNN of packages/core/test/explain.e2e.test.ts: 8×8 digits upscaled into 32×32, 3 epochs. */
const TRAIN = `
import json, os, sys, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
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
os.makedirs(sys.argv[1], exist_ok=True)
torch.jit.script(net.eval()).save(sys.argv[1] + '/model.pt')
print(json.dumps(x[100:110].numpy().round(4).tolist()))
`;

/** Per method, milliseconds per image of the explain package called in-process (after one warm-up). */
const IN_PROCESS = `
import json, sys, time
from tvx_serving.artifacts import Location, load_model
from tvx_serving.explain import Explainer
folder, images, specs, counts = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
model = load_model(Location(folder, folder), 'pytorch')
explainer = Explainer(model, folder)
out = {}
for (name, spec), n in zip(specs.items(), counts):
    if spec is None:
        run = lambda image: model.predict([image], {})
    else:
        run = lambda image: explainer.explain([image], {}, spec)
    run(images[0])
    lat = []
    for i in range(n):
        t = time.perf_counter(); run(images[i % len(images)]); lat.append((time.perf_counter() - t) * 1000)
    out[name] = lat
print(json.dumps(out))
`;

const metadata = { inputs: { image: { modality: 'image' } }, outputs: { logits: {} } };
const SPECS = {
  'integrated gradients, 25 steps': {
    parameters: { integratedGradientsAttribution: { stepCount: 25 } },
    metadata,
  },
  'integrated gradients, 50 steps': {
    parameters: { integratedGradientsAttribution: { stepCount: 50 } },
    metadata,
  },
  'XRAI, 25 steps': { parameters: { xraiAttribution: { stepCount: 25 } }, metadata },
};
const count = (name: string) => (name.startsWith('XRAI') ? N_XRAI : N);

async function time(n: number, call: (i: number) => Promise<unknown>): Promise<Summary> {
  await call(0);
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(i);
    lat.push(performance.now() - t);
  }
  return summarize(lat);
}

const t0 = performance.now();
const emu = await startEmulator({ dataDir: join(work, 'data') });
try {
  init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
  const images = JSON.parse(
    execFileSync(PY, ['-c', TRAIN, join(work, 'digits')], { encoding: 'utf8' }),
  ) as unknown[];
  const storage = await storageClient(await resolveConfig());
  await ensureBucket(storage, 'bench-models');
  await uploadFile(storage, join(work, 'digits', 'model.pt'), 'gs://bench-models/digits/model.pt');
  const model = await Model.upload({
    displayName: 'digits-cnn',
    artifactUri: 'gs://bench-models/digits',
    servingContainerImageUri: IMAGE,
  });
  const endpoint = await Endpoint.create({ displayName: 'explain-bench' });
  const deployed: Record<string, string> = {};
  for (const [name, spec] of Object.entries(SPECS)) {
    const split = Object.keys(deployed).length ? { [Object.values(deployed)[0]!]: 100, '0': 0 } : undefined;
    deployed[name] = (
      await endpoint.deploy(model, { explanationSpec: spec, ...(split ? { trafficSplit: split } : {}) })
    ).id;
  }
  const served: Record<string, Summary> = {
    'plain predict (baseline)': await time(N, (i) => endpoint.predict([images[i % images.length]])),
  };
  for (const name of Object.keys(SPECS))
    served[name] = await time(count(name), (i) =>
      endpoint.explain([images[i % images.length]], { deployedModelId: deployed[name]! }),
    );
  const local = JSON.parse(
    execFileSync(
      PY,
      [
        '-c',
        IN_PROCESS,
        join(work, 'digits'),
        JSON.stringify(images),
        JSON.stringify({ 'plain predict (baseline)': null, ...SPECS }),
        JSON.stringify([N, ...Object.keys(SPECS).map(count)]),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONPATH: join(root, 'packages/emulator/python') },
      },
    ),
  ) as Record<string, number[]>;
  const base = served['plain predict (baseline)']!;
  console.log(
    `\n(32×32 digit CNN, 2 conv layers, TorchScript on the pytorch-cpu prebuilt image; one image a request, ` +
      `sequential, after one warm-up; ${N} requests a row, ${N_XRAI} for XRAI; ${((performance.now() - t0) / 1000).toFixed(0)} s in all)\n`,
  );
  console.log(
    '| per image | `Endpoint.explain()` / `predict()`: p50 / p90 | vs predict, p50 | in-process Python: p50 |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const [name, s] of Object.entries(served)) {
    const ratio = s.median / base.median;
    const py = summarize(local[name]!);
    console.log(
      `| ${name} | ${ms(s.median)} / ${ms(s.p90)} | ${name.startsWith('plain') ? '1×' : `${ratio.toFixed(ratio < 10 ? 1 : 0)}×`} | ${ms(py.median)} |`,
    );
  }
} finally {
  await closeClients();
  await emu.stop();
  rmSync(work, { recursive: true, force: true });
}
