/**
 * AutoML Vision benchmark (issue 7): scikit-learn's digits (1,797 8×8 images, upscaled to 32×32 PNGs) trained
 * by the emulator's AutoML image trainer under several budgets, each beside a baseline from the same run:
 *   - the trainer alone (`python -m tvx_automl`, 2 threads) per budget and seed: test accuracy, auPrc, wall
 *     time, epochs and stop reason, beside scikit-learn's LogisticRegression on the same pixels and the same
 *     seeded 80/10/10 split (fit time, test accuracy);
 *   - the whole notebook path on the emulator (ImageDataset.create from a CSV, AutoMLImageTrainingJob.run,
 *     model.evaluations()) at one budget, beside the trainer alone at that budget.
 * Usage: node tools/bench/automl-bench.ts [--quick] [--seeds 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AutoMLImageTrainingJob,
  closeClients,
  ensureBucket,
  IMAGE_SCHEMA,
  ImageDataset,
  init,
  resolveConfig,
  storageClient,
  uploadFile,
} from '@terra-vertex/core';
import { startEmulator } from '@terra-vertex/emulator';

const quick = process.argv.includes('--quick');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEEDS = arg('--seeds', quick ? 1 : 3);
/** Budgets in milli node hours and model types; locally 7.5 s per 1,000 (15 s, 30 s, 60 s). */
const BUDGETS: [number, string][] = quick
  ? [[1000, 'MOBILE_TF_VERSATILE_1']]
  : [
      [2000, 'MOBILE_TF_VERSATILE_1'],
      [4000, 'MOBILE_TF_VERSATILE_1'],
      [8000, 'CLOUD'],
    ];
const PIPELINE_BUDGET = BUDGETS[Math.min(1, BUDGETS.length - 1)]!;
const root = fileURLToPath(new URL('../../', import.meta.url));
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const PYTHON_DIR = join(root, 'packages/emulator/python');
const work = mkdtempSync(join(tmpdir(), 'tvx-automl-bench-'));
const seconds = (mnh: number) => (mnh / 1000) * 7.5;

execFileSync(PY, [
  join(root, 'tools/bench/automl_images.py'),
  'digits',
  work,
  '--gcs-prefix',
  'gs://digits/d',
]);
const examples = JSON.parse(readFileSync(join(work, 'examples.json'), 'utf8')) as {
  file: string;
  labels: string[];
}[];
const names = [...new Set(examples.flatMap((e) => e.labels))].sort();

interface Run {
  accuracy: number;
  auPrc: number;
  wall: number;
  epochs: number;
  reason: string;
}

/** One trainer run, as the emulator starts it (a spec with the seeded default split). */
function trainAlone(budget: number, modelType: string, seed: number): Run {
  const dir = join(work, `run-${budget}-${seed}`);
  writeFileSync(
    join(work, 'spec.json'),
    JSON.stringify({
      modelDir: join(dir, 'model'),
      outputDir: join(dir, 'out'),
      labels: names.map((displayName, i) => ({ id: String(i + 1), displayName })),
      examples: examples.map((e) => ({ path: join(work, e.file), labels: [names.indexOf(e.labels[0]!)] })),
      multiLabel: false,
      modelType,
      budgetSeconds: seconds(budget),
      budgetMilliNodeHours: budget,
      earlyStopping: true,
      seed,
      threads: 2,
    }),
  );
  const started = performance.now();
  const r = spawnSync(PY, ['-m', 'tvx_automl', '--spec', join(work, 'spec.json')], {
    cwd: PYTHON_DIR,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: PYTHON_DIR, OMP_NUM_THREADS: '2' },
  });
  if (r.status !== 0) throw new Error(`tvx_automl failed: ${r.stderr}`);
  const wall = (performance.now() - started) / 1000;
  const t = JSON.parse(readFileSync(join(dir, 'out/training.json'), 'utf8'));
  const m = JSON.parse(readFileSync(join(dir, 'out/evaluation.json'), 'utf8'));
  return { accuracy: t.testAccuracy, auPrc: m.auPrc, wall, epochs: t.epochs, reason: t.successfulStopReason };
}

/** LogisticRegression on the same 32×32 pixels and the same seeded split (tvx_automl's own split code). */
const BASELINE = `
import json, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from tvx_automl import data
spec = json.load(open(sys.argv[1]))
out = []
for seed in map(int, sys.argv[2].split(',')):
    s = data.assign_splits(spec['examples'], None, seed)
    (xtr, ytr), (xte, yte) = [data.load_arrays(s[k], (32, 32), 1, 10, False) for k in ('training', 'test')]
    flat = lambda x: x.reshape(len(x), -1).astype(np.float32) / 255
    t0 = time.perf_counter()
    clf = LogisticRegression(max_iter=2000).fit(flat(xtr), ytr)
    fit = time.perf_counter() - t0
    out.append({'accuracy': float((clf.predict(flat(xte)) == yte).mean()), 'fit': fit})
print(json.dumps(out))
`;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]!;
const cell = (v: number[], digits = 4) =>
  v.length > 1
    ? `${median(v).toFixed(digits)} (${Math.min(...v).toFixed(digits)} / ${Math.max(...v).toFixed(digits)})`
    : v[0]!.toFixed(digits);

const seeds = Array.from({ length: SEEDS }, (_, i) => i);
const rows: string[] = [];
const alone = new Map<number, number[]>();
for (const [budget, type] of BUDGETS) {
  const runs = seeds.map((s) => trainAlone(budget, type, s));
  alone.set(
    budget,
    runs.map((r) => r.wall),
  );
  const reasons = [...new Set(runs.map((r) => r.reason))].join(', ');
  rows.push(
    `| ${budget} (${type}) → ${seconds(budget)} s | ${cell(runs.map((r) => r.accuracy))} | ${cell(runs.map((r) => r.auPrc))} | ${cell(
      runs.map((r) => r.wall),
      1,
    )} s | ${cell(
      runs.map((r) => r.epochs),
      0,
    )} | ${reasons} |`,
  );
  console.error(`budget ${budget}: ${JSON.stringify(runs)}`);
}
const baseline = JSON.parse(
  execFileSync(PY, ['-c', BASELINE, join(work, 'spec.json'), seeds.join(',')], {
    cwd: PYTHON_DIR,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: PYTHON_DIR },
  }),
) as { accuracy: number; fit: number }[];

// The notebook path on the emulator, in this process.
const emu = await startEmulator();
init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
const t0 = performance.now();
const storage = await storageClient(await resolveConfig());
await ensureBucket(storage, 'digits');
const files = [...examples.map((e) => e.file), 'import.csv'];
for (let i = 0; i < files.length; i += 64)
  await Promise.all(
    files.slice(i, i + 64).map((f) => uploadFile(storage, join(work, f), `gs://digits/d/${f}`)),
  );
const t1 = performance.now();
const dataset = await ImageDataset.create({
  displayName: 'digits',
  gcsSource: 'gs://digits/d/import.csv',
  importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
});
const t2 = performance.now();
const job = new AutoMLImageTrainingJob({ displayName: 'digits', modelType: PIPELINE_BUDGET[1] });
const model = await job.run({ dataset, budgetMilliNodeHours: PIPELINE_BUDGET[0] });
const t3 = performance.now();
const [evaluation] = await model!.evaluations();
await closeClients();
await emu.stop();
rmSync(work, { recursive: true, force: true });

const aloneMedian = median(alone.get(PIPELINE_BUDGET[0])!);
console.log(
  `\nDigits, ${examples.length} images, seeded 80/10/10 split (seeds ${seeds.join(', ')}), median (min / max):\n`,
);
console.log(
  '| budget (milli node hours) → local | AutoML test accuracy | auPrc | wall time | epochs | stop |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
console.log(
  `\nBaseline, same pixels and splits: LogisticRegression test accuracy ${cell(baseline.map((b) => b.accuracy))}, fit ${cell(
    baseline.map((b) => b.fit),
    2,
  )} s.\n`,
);
console.log('| notebook path on the emulator | terra-vertex | baseline (same run) | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| AutoMLImageTrainingJob.run(), budget ${PIPELINE_BUDGET[0]} | ${((t3 - t2) / 1000).toFixed(1)} s (test accuracy ${evaluation!.accuracy()!.toFixed(4)}, ${job.successfulStopReason}) | trainer alone ${aloneMedian.toFixed(1)} s | ${((t3 - t2) / 1000 / aloneMedian).toFixed(2)}× |`,
);
console.log(
  `\nData preparation: upload of ${files.length} files ${((t1 - t0) / 1000).toFixed(1)} s, ImageDataset.create (import) ${((t2 - t1) / 1000).toFixed(1)} s.`,
);
