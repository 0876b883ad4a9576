/**
 * `python -m tvx_serving` end to end: real artifacts (scikit-learn, XGBoost, the PyTorch trainer template's
 * `model.mar`, a bare TorchScript `model.pt`) are served on loopback and answer like Vertex AI's prebuilt
 * prediction containers; predictions are compared with what the same model predicts in Python.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTrainer } from '../../../templates/src/index.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const PYTHONPATH = fileURLToPath(new URL('../../python', import.meta.url));
const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [5.0, 2.0, 3.5, 1.0],
  [6.9, 3.2, 5.7, 2.3],
];
const CLASSES = ['setosa', 'versicolor', 'virginica'];

/** Trains on iris and saves `<sk>/model.joblib` and `<xgb>/model.bst`; prints what they predict for ROWS. */
const TRAIN_TREES = `
import json, sys, joblib, numpy as np, xgboost as xgb
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
x, y = load_iris(return_X_y=True)
sk = LogisticRegression(max_iter=500).fit(x, y)
joblib.dump(sk, sys.argv[1] + '/model.joblib')
booster = xgb.train({'objective': 'binary:logistic', 'max_depth': 2, 'nthread': 1},
                    xgb.DMatrix(x, label=(y == 2).astype(int)), num_boost_round=5)
booster.save_model(sys.argv[2] + '/model.bst')
rows = np.asarray(json.loads(sys.argv[3]))
print(json.dumps({'sklearn': sk.predict(rows).tolist(), 'xgboost': booster.predict(xgb.DMatrix(rows)).tolist()}))
`;

/** Run from the rendered PyTorch trainer: its TabularNet saved by its save_model (model.pt + model.mar). */
const SAVE_TORCH = `
import json, os, sys, torch
from trainer.model import TabularNet, save_model
torch.manual_seed(0)
x = torch.tensor(json.loads(sys.argv[1]))
net = TabularNet(x.mean(dim=0), x.std(dim=0), 3, hidden_units=8)
save_model(net, os.environ['AIP_MODEL_DIR'], json.loads(sys.argv[2]))
with torch.no_grad():
    logits = net(x)
print(json.dumps({'logits': logits.tolist(), 'probabilities': torch.softmax(logits, dim=1).tolist()}))
`;

interface Prediction {
  label: string;
  probabilities: number[];
}
interface Reply {
  status: number;
  body: { predictions?: unknown[]; error?: string };
}
interface Served {
  proc: ChildProcess;
  base: string;
  out: string[];
  err: string[];
}

function python(args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      PY,
      args,
      { cwd, env: { ...process.env, OMP_NUM_THREADS: '1', ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${PY} ${args[0]} failed: ${error.message}\n${stderr}`));
        else resolve(stdout.trim().split('\n').at(-1) ?? '');
      },
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const key of Object.keys(clean))
    if (key.startsWith('AIP_') || key.startsWith('TVX_')) delete clean[key];
  return { ...clean, PYTHONPATH, OMP_NUM_THREADS: '1', ...env };
}

const running: ChildProcess[] = [];

async function serve(env: Record<string, string>, healthRoute = '/health'): Promise<Served> {
  const port = await freePort();
  const proc = spawn(PY, ['-m', 'tvx_serving'], { env: serverEnv({ AIP_HTTP_PORT: String(port), ...env }) });
  running.push(proc);
  const served: Served = { proc, base: `http://127.0.0.1:${port}`, out: [], err: [] };
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => served.out.push(chunk));
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => served.err.push(chunk));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}: ${served.err.join('')}`);
    try {
      const res = await fetch(served.base + healthRoute);
      if (res.status === 200) return served;
    } catch {
      // not listening yet (the model loads before the port is bound)
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not healthy after 30 s: ${served.err.join('')}`);
}

/** Runs `python -m tvx_serving [args]` to its exit (it must not start serving). */
function runToExit(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      PY,
      ['-m', 'tvx_serving', ...args],
      { env: serverEnv(env), timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr });
      },
    );
  });
}

async function post(url: string, body: unknown): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

describe('python -m tvx_serving', () => {
  const root = mkdtempSync(join(tmpdir(), 'tvx-serving-'));
  const mount = join(root, 'gcs');
  const dirs = {
    sklearn: join(mount, 'models', 'iris-sklearn'),
    xgboost: join(root, 'xgb'),
    mar: join(root, 'torch'),
    bare: join(root, 'torchscript'),
    empty: join(root, 'empty'),
  };
  let expected: { sklearn: number[]; xgboost: number[]; logits: number[][]; probabilities: number[][] };
  let sk: Served;
  let xg: Served;
  let mar: Served;
  let bare: Served;

  beforeAll(async () => {
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    const trainer = join(root, 'pt-trainer');
    await writeTrainer(trainer, {
      name: 'pt-trainer',
      framework: 'pytorch',
      metric: { id: 'accuracy', goal: 'maximize' },
    });
    const [trees, torch] = await Promise.all([
      python(['-c', TRAIN_TREES, dirs.sklearn, dirs.xgboost, JSON.stringify(ROWS)], root),
      python(['-c', SAVE_TORCH, JSON.stringify(ROWS), JSON.stringify(CLASSES)], trainer, {
        AIP_MODEL_DIR: dirs.mar,
      }),
    ]);
    expected = { ...JSON.parse(trees), ...JSON.parse(torch) };
    copyFileSync(join(dirs.mar, 'model.pt'), join(dirs.bare, 'model.pt'));
    [sk, xg, mar, bare] = await Promise.all([
      // gs:// through TVX_GCS_MOUNT, framework detected from the files, default routes.
      serve({ AIP_STORAGE_URI: 'gs://models/iris-sklearn', TVX_GCS_MOUNT: mount }),
      serve(
        {
          AIP_STORAGE_URI: dirs.xgboost,
          TVX_SERVING_FRAMEWORK: 'xgboost',
          AIP_PREDICT_ROUTE: '/v1/models/iris:predict',
          AIP_HEALTH_ROUTE: '/v1/models/iris',
        },
        '/v1/models/iris',
      ),
      serve({ AIP_STORAGE_URI: dirs.mar, TVX_SERVING_FRAMEWORK: 'pytorch' }),
      serve({ AIP_STORAGE_URI: dirs.bare }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(running.map(stop));
    rmSync(root, { recursive: true, force: true });
  });

  it('answers the health route with 200 {} once the model is loaded', async () => {
    const res = await fetch(`${sk.base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await fetch(`${xg.base}/v1/models/iris`)).status).toBe(200);
    expect(sk.out.join('')).toMatch(/ready on http:\/\/127\.0\.0\.1:\d+ \(sklearn model\.joblib;/);
  });

  it('serves scikit-learn model.joblib from gs:// like the sklearn container', async () => {
    const reply = await post(`${sk.base}/predict`, { instances: ROWS, parameters: {} });
    expect(reply).toEqual({ status: 200, body: { predictions: expected.sklearn } });
    expect(expected.sklearn).toEqual([0, 1, 2]);
    // The server logs a request after answering it: wait for the line.
    await expect
      .poll(() => sk.out.join(''), { timeout: 5000 })
      .toMatch(/POST \/predict 200 \d+\.\dms instances=3/);
  });

  it('serves an XGBoost Booster model.bst on the AIP_PREDICT_ROUTE', async () => {
    const reply = await post(`${xg.base}/v1/models/iris:predict`, { instances: ROWS });
    expect(reply.status).toBe(200);
    const predictions = reply.body.predictions as number[];
    expect(predictions).toHaveLength(3);
    predictions.forEach((p, i) => {
      expect(p).toBeCloseTo(expected.xgboost[i]!, 6);
    });
    expect((await post(`${xg.base}/predict`, { instances: ROWS })).status).toBe(404);
  });

  it("serves the PyTorch template's model.mar through its TorchServe handler", async () => {
    const reply = await post(`${mar.base}/predict`, { instances: ROWS });
    expect(reply.status).toBe(200);
    const predictions = reply.body.predictions as Prediction[];
    expect(predictions).toHaveLength(3);
    predictions.forEach((p, i) => {
      const want = expected.probabilities[i]!;
      want.forEach((v, j) => {
        expect(p.probabilities[j]).toBeCloseTo(v, 6);
      });
      expect(p.label).toBe(CLASSES[want.indexOf(Math.max(...want))]);
    });
  });

  it('serves a bare TorchScript model.pt (the logits)', async () => {
    const reply = await post(`${bare.base}/predict`, { instances: ROWS });
    expect(reply.status).toBe(200);
    (reply.body.predictions as number[][]).forEach((row, i) => {
      row.forEach((v, j) => {
        expect(v).toBeCloseTo(expected.logits[i]![j]!, 6);
      });
    });
  });

  it('answers 400 with what is wrong for bad JSON, missing or empty instances', async () => {
    const url = `${sk.base}/predict`;
    const bad = await post(url, '{"instances": [[1, 2');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not valid JSON .*send JSON like \{"instances"/);
    const missing = await post(url, { rows: ROWS });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/"instances" is missing/);
    const empty = await post(url, { instances: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/"instances" is empty/);
    const notList = await post(url, { instances: { a: 1 } });
    expect(notList.body.error).toMatch(/"instances" must be a list/);
    expect(sk.out.join('')).toMatch(/POST \/predict 400 \d+\.\dms error: "instances" is missing/);
  });

  it('answers 400 with the model error for the wrong number of features', async () => {
    const sklearn = await post(`${sk.base}/predict`, { instances: [[1, 2, 3]] });
    expect(sklearn.status).toBe(400);
    expect(sklearn.body.error).toMatch(/X has 3 features, but LogisticRegression is expecting 4 features/);
    const xgboost = await post(`${xg.base}/v1/models/iris:predict`, { instances: [[1, 2, 3, 4, 5]] });
    expect(xgboost.status).toBe(400);
    expect(xgboost.body.error).toMatch(/xgboost model failed .*Number of columns does not match/);
    const torch = await post(`${mar.base}/predict`, { instances: [[1, 2, 3]] });
    expect(torch.status).toBe(400);
    expect(torch.body.error).toMatch(/pytorch model failed .*size of tensor a \(3\) must match .* \(4\)/);
    expect(torch.body.error).not.toMatch(/\n/);
  });

  it('answers 404 and 405 naming the routes it serves', async () => {
    const unknown = await fetch(`${sk.base}/v1/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'no route GET /v1/nope: predictions are POST /predict, health is GET /health',
    });
    const get = await fetch(`${sk.base}/predict`);
    expect(get.status).toBe(405);
  });

  it('answers 10 parallel requests', async () => {
    for (const [served, route] of [
      [sk, '/predict'],
      [mar, '/predict'],
    ] as const) {
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => post(served.base + route, { instances: [ROWS[i % 3]] })),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
      replies.forEach((r, i) => {
        expect(r.body.predictions).toHaveLength(1);
        if (served === sk) expect(r.body.predictions).toEqual([expected.sklearn[i % 3]]);
      });
    }
  });

  it('exits 3 with one clear stderr line when the folder has no model', async () => {
    const { code, stderr } = await runToExit({ AIP_STORAGE_URI: dirs.empty });
    expect(code).toBe(3);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^tvx_serving: no model artifacts in ${dirs.empty}: looked for model\\.joblib or model\\.pkl`,
      ),
    );
    expect(lines[0]).toContain('the folder is empty');
  });

  it('exits 3 when the framework has no artifact there, and 2 for a bad variable', async () => {
    const mismatch = await runToExit({ AIP_STORAGE_URI: dirs.xgboost, TVX_SERVING_FRAMEWORK: 'sklearn' });
    expect(mismatch.code).toBe(3);
    expect(mismatch.stderr).toMatch(/no sklearn model in .*the folder holds: model\.bst .*xgboost/);
    const missing = await runToExit({ AIP_STORAGE_URI: 'gs://nobucket/model', TVX_GCS_MOUNT: mount });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`gs://nobucket/model (${join(mount, 'nobucket/model')}`);
    const port = await runToExit({ AIP_HTTP_PORT: 'eighty', AIP_STORAGE_URI: dirs.xgboost });
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/^tvx_serving: AIP_HTTP_PORT='eighty' is not a port number/);
  });

  it('--check loads without serving', async () => {
    const ok = await runToExit({}, ['--check', dirs.xgboost]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/ok: loaded xgboost model model\.bst/);
    expect((await runToExit({}, ['--check', dirs.empty])).code).toBe(3);
  });
});
