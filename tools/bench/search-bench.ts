/**
 * Hyperparameter search benchmark (issue 5): median simple regret after 50 trials over fixed seeds on
 * Branin and Hartmann-6 for the emulator's GP bandit and random search (through `suggest()`, as the
 * emulator calls them) beside Optuna's TPE (Debian's python3-optuna, same budget and seeds), then the
 * suggestion latency of the GP bandit per trial up to 100 trials. Prints markdown tables.
 * Usage: node tools/bench/search-bench.ts [--seeds 10] [--trials 50]
 */
import { execFileSync } from 'node:child_process';
import {
  type ParameterSpec,
  type ParameterValues,
  SearchWorker,
  type SuggestRequest,
  suggest,
} from '../../packages/emulator/src/tuning/search.ts';
import { ms, percentile, summarize } from './stats.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEEDS = arg('--seeds', 10);
const TRIALS = arg('--trials', 50);
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';

interface Problem {
  name: string;
  space: ParameterSpec[];
  f: (p: ParameterValues) => number;
  min: number;
  /** The same function in Python, for Optuna (`x` is a list of floats). */
  py: string;
}

const HA = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HP = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));
const HALPHA = [1.0, 1.2, 3.0, 3.2];

const problems: Problem[] = [
  {
    name: 'Branin',
    space: [
      { parameterId: 'x0', doubleValueSpec: { minValue: -5, maxValue: 10 } },
      { parameterId: 'x1', doubleValueSpec: { minValue: 0, maxValue: 15 } },
    ],
    f: (p) => {
      const [x1, x2] = [p.x0 as number, p.x1 as number];
      const b = 5.1 / (4 * Math.PI ** 2);
      return (
        (x2 - b * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10
      );
    },
    min: 0.397887,
    py: `def f(x):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10
lo, hi = [-5, 0], [10, 15]`,
  },
  {
    name: 'Hartmann-6',
    space: [0, 1, 2, 3, 4, 5].map((i) => ({
      parameterId: `x${i}`,
      doubleValueSpec: { minValue: 0, maxValue: 1 },
    })),
    f: (p) => {
      const x = [0, 1, 2, 3, 4, 5].map((j) => p[`x${j}`] as number);
      return -HALPHA.reduce(
        (s, a, i) => s + a * Math.exp(-x.reduce((t, xj, j) => t + HA[i]![j]! * (xj - HP[i]![j]!) ** 2, 0)),
        0,
      );
    },
    min: -3.32237,
    py: `A = ${JSON.stringify(HA)}
P = ${JSON.stringify(HP)}
AL = ${JSON.stringify(HALPHA)}
def f(x):
    return -sum(AL[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4))
lo, hi = [0] * 6, [1] * 6`,
  },
];
const metric = { metricId: 'f', goal: 'MINIMIZE' } as const;

/** One GP-bandit study driven sequentially (batch size 1); returns regrets and per-suggestion latencies. */
async function gpStudy(worker: SearchWorker, p: Problem, seed: number, trials: number) {
  const completed: NonNullable<SuggestRequest['completed']> = [];
  const latency: number[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    const { suggestions } = await suggest({ parameters: p.space, metric, completed, seed }, { worker });
    latency.push(performance.now() - t0);
    completed.push({ parameters: suggestions[0]!, value: p.f(suggestions[0]!) });
  }
  return { regret: Math.min(...completed.map((c) => c.value)) - p.min, latency, completed };
}

async function randomRegret(p: Problem, seed: number): Promise<number> {
  const { suggestions } = await suggest({
    algorithm: 'RANDOM_SEARCH',
    parameters: p.space,
    count: TRIALS,
    seed,
  });
  return Math.min(...suggestions.map(p.f)) - p.min;
}

/** Optuna TPE (defaults), one study per seed, in one Python process; null when optuna is missing. */
function tpeRegrets(p: Problem): { regrets: number[]; msPerTrial: number } | null {
  const script = `
import json, math, time, sys
try:
    import optuna
except ImportError:
    print("null"); sys.exit(0)
optuna.logging.set_verbosity(optuna.logging.WARNING)
${p.py}
out, t = [], time.time()
for seed in range(${SEEDS}):
    s = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    s.optimize(lambda tr: f([tr.suggest_float(f"x{i}", lo[i], hi[i]) for i in range(len(lo))]), n_trials=${TRIALS})
    out.append(s.best_value - (${p.min}))
print(json.dumps({"regrets": out, "msPerTrial": (time.time() - t) * 1000 / (${SEEDS} * ${TRIALS})}))
`;
  return JSON.parse(execFileSync(PY, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim());
}

const median = (v: number[]) =>
  percentile(
    [...v].sort((a, b) => a - b),
    50,
  );
const q = (v: number[], p: number) =>
  percentile(
    [...v].sort((a, b) => a - b),
    p,
  );
const fmt = (v: number) => (v === 0 ? '0' : v < 0.01 ? v.toExponential(1) : v.toFixed(3));
const cell = (v: number[] | undefined) =>
  v ? `${fmt(median(v))} (${fmt(q(v, 10))} / ${fmt(q(v, 90))})` : 'n/a';

const t0 = performance.now();
const seeds = Array.from({ length: SEEDS }, (_, i) => i);
const rows: string[] = [];
// One warm worker per problem, the two problems in parallel (one core each).
const gp = await Promise.all(
  problems.map(async (p) => {
    const worker = new SearchWorker();
    try {
      const out: number[] = [];
      for (const s of seeds) out.push((await gpStudy(worker, p, s, TRIALS)).regret);
      return out;
    } finally {
      await worker.close();
    }
  }),
);
for (const [i, p] of problems.entries()) {
  const rnd = await Promise.all(seeds.map((s) => randomRegret(p, s)));
  const tpe = tpeRegrets(p);
  rows.push(`| ${p.name} | ${cell(gp[i])} | ${cell(rnd)} | ${cell(tpe?.regrets)} |`);
}
console.log(`\n### Simple regret after ${TRIALS} trials, median (p10 / p90) over ${SEEDS} seeds\n`);
console.log('| problem | GP bandit (ours) | random (ours) | Optuna TPE |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(r);

// Latency: one 100-trial Hartmann-6 study through a warm worker, plus cold single-call suggest() at 99 trials.
const worker = new SearchWorker();
const h6 = problems[1]!;
const study = await gpStudy(worker, h6, 0, 100);
await worker.close();
const cold: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await suggest({ parameters: h6.space, metric, completed: study.completed.slice(0, 99), seed: 0 });
  cold.push(performance.now() - t);
}
const lat = study.latency;
console.log('\n### GP-bandit suggestion latency (Hartmann-6, one trial at a time)\n');
console.log('| trials so far | median | p90 |');
console.log('| --- | --- | --- |');
const windows: [number, number][] = [
  [0, 25],
  [25, 50],
  [50, 75],
  [75, 100],
];
for (const [a, b] of windows) {
  const s = summarize(lat.slice(a, b));
  console.log(`| ${a}–${b - 1} (warm worker) | ${ms(s.median)} | ${ms(s.p90)} |`);
}
console.log(`| 99 (cold: new process per call) | ${ms(median(cold))} | ${ms(q(cold, 90))} |`);
console.log(
  `\nmean over the 100 trials (warm): ${ms(lat.reduce((s, v) => s + v, 0) / lat.length)}; total bench ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
