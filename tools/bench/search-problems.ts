/**
 * Problems of the search benchmark (search-bench.ts): Branin and Hartmann-6 (known minima, scored by simple
 * regret), and scaler + SVC on scikit-learn's digits (sklearn_objective.py, scored by CV accuracy), each with an
 * Optuna TPE runner that evaluates the same function on the same space.
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ParameterSpec, ParameterValues } from '../../packages/emulator/src/tuning/search.ts';

export const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const SKLEARN_SCRIPT = fileURLToPath(new URL('sklearn_objective.py', import.meta.url));
const run = promisify(execFile);
/** One BLAS/OpenMP thread per Python process: the bench runs two lanes on two cores. */
const oneThread = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** A synthetic test function to MINIMIZE, with its known minimum. */
export interface SyntheticProblem {
  name: string;
  space: ParameterSpec[];
  f: (p: ParameterValues) => number;
  min: number;
  /** The same function in Python, for Optuna (`x` is a list of floats, bounds `lo`/`hi`). */
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

export const synthetic: SyntheticProblem[] = [
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

/** Optuna TPE (TPESampler(seed) for seeds 0..seeds-1, defaults otherwise); null when optuna is missing. */
export async function tpeRegrets(
  p: SyntheticProblem,
  seeds: number,
  trials: number,
): Promise<number[] | null> {
  const script = `
import json, math, sys
try:
    import optuna
except ImportError:
    print("null"); sys.exit(0)
optuna.logging.set_verbosity(optuna.logging.WARNING)
${p.py}
out = []
for seed in range(${seeds}):
    s = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    s.optimize(lambda tr: f([tr.suggest_float(f"x{i}", lo[i], hi[i]) for i in range(len(lo))]), n_trials=${trials})
    out.append(s.best_value - (${p.min}))
print(json.dumps(out))
`;
  const { stdout } = await run(PY, ['-c', script], { env: oneThread, maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim());
}

/** The scikit-learn problem's space: the RBF SVC's C and gamma on log scales, and the scaler before it. */
export const sklearnSpace: ParameterSpec[] = [
  { parameterId: 'C', doubleValueSpec: { minValue: 1e-3, maxValue: 1e3 }, scaleType: 'UNIT_LOG_SCALE' },
  { parameterId: 'gamma', doubleValueSpec: { minValue: 1e-5, maxValue: 10 }, scaleType: 'UNIT_LOG_SCALE' },
  { parameterId: 'scaler', categoricalValueSpec: { values: ['none', 'standard', 'minmax'] } },
];
export const SKLEARN_PROBLEM = 'scaler + SVC on digits (3-fold CV accuracy)';

/** One long-lived `sklearn_objective.py --serve` process; evaluations are answered in order. */
export class SklearnEvaluator {
  private readonly child = spawn(PY, [SKLEARN_SCRIPT, '--serve'], {
    env: oneThread,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  private readonly waiting: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;
  /** Seconds spent in objective() per evaluation, as the evaluator measured them. */
  readonly seconds: number[] = [];

  constructor() {
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      const out = JSON.parse(line) as { value?: number; error?: string; seconds: number };
      if (out.error !== undefined || out.value === undefined) {
        next?.reject(new Error(`sklearn objective failed: ${out.error}`));
        return;
      }
      this.seconds.push(out.seconds);
      next?.resolve(out.value);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    this.child.on('error', fail);
    this.child.on('close', (code) => fail(new Error(`sklearn evaluator exited (${code})`)));
  }

  evaluate(params: ParameterValues): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(params)}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.failure) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    await closed;
  }
}

/** Optuna TPE on the identical objective() and space, in sklearn_objective.py; null without optuna. */
export async function tpeSklearn(
  seeds: number,
  trials: number,
): Promise<{ best: number[]; seconds: number } | null> {
  const { stdout } = await run(
    PY,
    [
      SKLEARN_SCRIPT,
      '--tpe',
      JSON.stringify(sklearnSpace),
      '--seeds',
      String(seeds),
      '--trials',
      String(trials),
    ],
    { env: oneThread, maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim());
}
