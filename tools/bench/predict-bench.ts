/**
 * Online prediction benchmark: p50 / p99 latency and throughput of one scikit-learn model under concurrent
 * load, each path beside calling the same model in-process (same run, same concurrency levels):
 *   - in-process: `model.predict(np.asarray([row]))` in Python, from as many threads as concurrent requests;
 *   - the model server alone (`python -m tvx_serving`, what the emulator runs per replica), HTTP via autocannon;
 *   - `Endpoint.predict()` through the official client (@google-cloud/aiplatform over gRPC) to the emulator;
 *   - the emulator's REST route `POST /v1/{endpoint}:predict`, driven by autocannon;
 * the emulator paths on 1 replica, then on 2. The emulator runs in this process.
 * Usage: node tools/bench/predict-bench.ts [--quick]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeClients, Endpoint, init, Model } from '@terra-vertex/core';
import { type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import { ms, type Summary, summarize } from './stats.ts';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface CannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface Cannon extends PromiseLike<CannonResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: object) => Cannon;

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('../../', import.meta.url));
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const LEVELS = [1, 4, 16];
const N = quick ? 100 : 600;
const WARM = quick ? 10 : 60;
const ROW = [5.1, 3.5, 1.4, 0.2];
const BODY = JSON.stringify({ instances: [ROW] });
const PY_ENV = { ...process.env, OMP_NUM_THREADS: '1', PYTHONUNBUFFERED: '1' }; // as the emulator's replicas
const work = mkdtempSync(join(tmpdir(), 'tvx-predict-bench-'));
const modelDir = join(work, 'model');

const TRAIN = `
import os, sys, joblib
from sklearn.datasets import load_iris
from sklearn.ensemble import GradientBoostingClassifier
X, y = load_iris(return_X_y=True)
os.makedirs(sys.argv[1], exist_ok=True)
joblib.dump(GradientBoostingClassifier(n_estimators=100, random_state=0).fit(X, y), sys.argv[1] + '/model.joblib')
`;

/**
 * Per concurrency level: latencies (ms) of `n` calls shared by `c` threads, and the wall time (s). As the
 * load tools do (closed loop), a call is timed from when its thread's previous call returned: waits for the
 * GIL count.
 */
const IN_PROCESS = `
import json, sys, threading, time, joblib, numpy as np
model = joblib.load(sys.argv[1] + '/model.joblib')
row, n, warm = json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for _ in range(warm):
    model.predict(np.asarray([row]))
out = {}
for c in json.loads(sys.argv[5]):
    lock, left, lat = threading.Lock(), [n], []
    def work():
        t = time.perf_counter()
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            model.predict(np.asarray([row]))
            now = time.perf_counter()
            lat.append((now - t) * 1000)
            t = now
    threads = [threading.Thread(target=work) for _ in range(c)]
    t0 = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    out[c] = {'lat': lat, 'wall': time.perf_counter() - t0}
print(json.dumps(out))
`;

interface Run extends Summary {
  rps: number;
}

function inProcess(): Map<number, Run> {
  const args = [modelDir, JSON.stringify(ROW), String(N), String(WARM), JSON.stringify(LEVELS)];
  const out = execFileSync(PY, ['-c', IN_PROCESS, ...args], { env: PY_ENV, encoding: 'utf8' });
  const parsed = JSON.parse(out) as Record<string, { lat: number[]; wall: number }>;
  return new Map(
    LEVELS.map((c) => {
      const r = parsed[c]!;
      return [c, { ...summarize(r.lat), rps: r.lat.length / r.wall }];
    }),
  );
}

/** `n` calls of `call`, `c` at a time, after `WARM` sequential warm-up calls. */
async function drive(call: () => Promise<unknown>, c: number): Promise<Run> {
  for (let i = 0; i < WARM; i++) await call();
  const lat: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (started++ < N) {
        const t = performance.now();
        await call();
        lat.push(performance.now() - t);
      }
    }),
  );
  return { ...summarize(lat), rps: N / ((performance.now() - t0) / 1000) };
}

/**
 * `amount` POSTs of BODY over `c` connections with autocannon; every response must be 2xx. Throughput is
 * timed to the last response: autocannon notices that `amount` is reached only at its next 1 s tick.
 */
async function cannon(url: string, c: number, amount = N): Promise<Run> {
  const opts = { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY };
  const lat: number[] = [];
  const t0 = performance.now();
  let last = t0;
  const run = autocannon({ ...opts, connections: c, amount, timeout: 30, sampleInt: 100 });
  run.on('response', (_client, _status, _bytes, took) => {
    lat.push(took);
    last = performance.now();
  });
  const r = await run;
  const wall = (last - t0) / 1000;
  if (r['2xx'] !== amount || r.non2xx || r.errors || r.timeouts)
    throw new Error(`${url}: ${r['2xx']} of ${amount} 2xx, ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { ...summarize(lat), rps: amount / wall };
}

async function restRuns(url: string): Promise<Map<number, Run>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
  const json = (await res.json()) as { predictions?: unknown[] };
  if (res.status !== 200 || json.predictions?.length !== 1)
    throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
  const out = new Map<number, Run>();
  for (const c of LEVELS) {
    await cannon(url, c, Math.max(WARM, c));
    out.set(c, await cannon(url, c));
  }
  return out;
}

/** The emulator's model server on its own (same module, artifacts and PYTHONPATH order; default routes). */
async function startModelServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(PY, ['-m', 'tvx_serving'], {
    env: {
      ...PY_ENV,
      PYTHONPATH: [join(root, 'packages/emulator/python'), process.env.PYTHONPATH].filter(Boolean).join(':'),
      AIP_HTTP_PORT: '0',
      AIP_STORAGE_URI: modelDir,
      TVX_SERVING_FRAMEWORK: 'sklearn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const port = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      const found = /ready on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (!found) return;
      child.stdout!.off('data', onData).resume(); // then one line per request, drained
      resolve(found);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the model server exited ${code}: ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/predict` };
}

async function emulatorRuns(endpoint: Endpoint, restUrl: string) {
  const client = new Map<number, Run>();
  for (const c of LEVELS) client.set(c, await drive(() => endpoint.predict([ROW]), c));
  return { client, rest: await restRuns(restUrl) };
}

const t0 = performance.now();
const byReplicas = new Map<number, Awaited<ReturnType<typeof emulatorRuns>>>();
let alone = new Map<number, Run>();
let base = new Map<number, Run>();
let emu: RunningEmulator | undefined;
try {
  execFileSync(PY, ['-c', TRAIN, modelDir], { env: PY_ENV });
  base = inProcess();
  const server = await startModelServer();
  try {
    alone = await restRuns(server.url);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }

  emu = await startEmulator();
  init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
  const model = await Model.upload({
    artifactUri: modelDir,
    servingContainerImageUri: IMAGE,
    displayName: 'bench-iris-gb',
  });
  const endpoint = await Endpoint.create({ displayName: 'bench-predict' });
  const restUrl = `${emu.httpAddress}/v1/${endpoint.resourceName}:predict`;
  for (const replicas of [1, 2]) {
    await endpoint.deploy(model, { minReplicaCount: replicas, maxReplicaCount: replicas });
    byReplicas.set(replicas, await emulatorRuns(endpoint, restUrl));
    await endpoint.undeployAll();
  }
  await endpoint.delete({ force: true });
  await model.delete();
} finally {
  await closeClients();
  await emu?.stop();
  rmSync(work, { recursive: true, force: true });
}

const cell = (r: Run) => `${ms(r.median)} / ${ms(r.p99)}, ${Math.round(r.rps)}/s`;
const over = (r: Run, b: Run) => {
  const ratio = r.median / b.median;
  return `+${ms(r.median - b.median)} (${ratio.toFixed(ratio < 10 ? 1 : 0)}×)`;
};
const row = (name: string, f: (c: number) => string) =>
  console.log(`| ${name} | ${LEVELS.map(f).join(' | ')} |`);
const paths: [string, Map<number, Run>][] = [
  ['model server alone (`python -m tvx_serving`), HTTP via autocannon', alone],
];
for (const [replicas, runs] of byReplicas) {
  const on = `${replicas} replica${replicas > 1 ? 's' : ''}`;
  paths.push([`\`endpoint.predict()\`, official client (gRPC), ${on}`, runs.client]);
  paths.push([`REST \`:predict\` via autocannon, ${on}`, runs.rest]);
}
console.log(
  `\n(GradientBoostingClassifier, 100 trees × 3 classes, on iris; one instance a request; ${N} requests ` +
    `a cell after ${WARM} warm-up; ${((performance.now() - t0) / 1000).toFixed(0)} s in all)\n`,
);
console.log(`| path | ${LEVELS.map((c) => `${c} concurrent: p50 / p99, req/s`).join(' | ')} |`);
console.log(`| --- |${' --- |'.repeat(LEVELS.length)}`);
row('in-process `model.predict()`, a thread per concurrent call', (c) => cell(base.get(c)!));
for (const [name, runs] of paths) row(name, (c) => cell(runs.get(c)!));
console.log(
  `\n| overhead vs in-process, p50 (ratio) | ${LEVELS.map((c) => `${c} concurrent`).join(' | ')} |`,
);
console.log(`| --- |${' --- |'.repeat(LEVELS.length)}`);
for (const [name, runs] of paths) row(name, (c) => over(runs.get(c)!, base.get(c)!));
