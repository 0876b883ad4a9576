/**
 * Hyperparameter search benchmark (issue 5), all in one run with fixed seeds (0..n-1): the emulator's GP
 * bandit and random search (through `suggest()`, as the emulator calls them) beside Optuna's TPE (Debian's
 * python3-optuna, same budget and seeds) on
 *   - Branin and Hartmann-6: median simple regret after 50 trials over 10 seeds;
 *   - scaler + RBF SVC on scikit-learn's digits (search-problems.ts, sklearn_objective.py): median best 3-fold CV
 *     accuracy after 30 trials over 10 seeds;
 * then the suggestion latency of the GP bandit per trial up to 100 trials. Prints markdown tables.
 * Usage: node tools/bench/search-bench.ts [--seeds 10] [--trials 50] [--sklearn-seeds 10] [--sklearn-trials 30]
 *        [--quick] (a short smoke run: 2 seeds, 10 trials, 20 latency trials)
 */
import {
  type ParameterSpec,
  type ParameterValues,
  SearchWorker,
  type SuggestRequest,
  suggest,
} from '../../packages/emulator/src/tuning/search.ts';
import {
  SKLEARN_PROBLEM,
  SklearnEvaluator,
  sklearnSpace,
  synthetic,
  tpeRegrets,
  tpeSklearn,
} from './search-problems.ts';
import { ms, percentile, summarize } from './stats.ts';

const quick = process.argv.includes('--quick');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEEDS = arg('--seeds', quick ? 2 : 10);
const TRIALS = arg('--trials', quick ? 10 : 50);
const SK_SEEDS = arg('--sklearn-seeds', quick ? 2 : 10);
const SK_TRIALS = arg('--sklearn-trials', quick ? 10 : 30);
const LAT_TRIALS = quick ? 20 : 100;

type Goal = 'MINIMIZE' | 'MAXIMIZE';
type Evaluate = (p: ParameterValues) => number | Promise<number>;

/** One GP-bandit study driven sequentially (batch size 1); returns values and per-suggestion latencies. */
async function gpStudy(
  worker: SearchWorker,
  space: ParameterSpec[],
  goal: Goal,
  evaluate: Evaluate,
  seed: number,
  trials: number,
) {
  const completed: NonNullable<SuggestRequest['completed']> = [];
  const latency: number[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    const { suggestions } = await suggest(
      { parameters: space, metric: { metricId: 'f', goal }, completed, seed },
      { worker },
    );
    latency.push(performance.now() - t0);
    completed.push({ parameters: suggestions[0]!, value: await evaluate(suggestions[0]!) });
  }
  return { values: completed.map((c) => c.value), latency, completed };
}

const best = (v: number[], goal: Goal) => (goal === 'MINIMIZE' ? Math.min(...v) : Math.max(...v));
const randomPoints = async (space: ParameterSpec[], seed: number, count: number) =>
  (await suggest({ algorithm: 'RANDOM_SEARCH', parameters: space, count, seed })).suggestions;

const q = (v: number[], p: number) =>
  percentile(
    [...v].sort((a, b) => a - b),
    p,
  );
const median = (v: number[]) => q(v, 50);
const fmt = (v: number) => (v === 0 ? '0' : v < 0.01 ? v.toExponential(1) : v.toFixed(3));
const regretCell = (v: number[] | undefined) =>
  v ? `${fmt(median(v))} (${fmt(q(v, 10))} / ${fmt(q(v, 90))})` : 'n/a';
const accCell = (v: number[] | undefined) =>
  v ? `${median(v).toFixed(4)} (${Math.min(...v).toFixed(4)} / ${Math.max(...v).toFixed(4)})` : 'n/a';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const t0 = performance.now();
/** Problems on which the GP bandit's median is at least as good as TPE's. */
const gpAtLeastTpe: string[] = [];
const compared: string[] = [];

// 1. Branin and Hartmann-6: one warm worker per problem, the two in parallel (one core each).
const gp = await Promise.all(
  synthetic.map(async (p) => {
    const worker = new SearchWorker();
    try {
      const out: number[] = [];
      for (const s of range(SEEDS)) {
        out.push(
          best((await gpStudy(worker, p.space, 'MINIMIZE', p.f, s, TRIALS)).values, 'MINIMIZE') - p.min,
        );
      }
      return out;
    } finally {
      await worker.close();
    }
  }),
);
const regretRows: string[] = [];
for (const [i, p] of synthetic.entries()) {
  const rnd = await Promise.all(
    range(SEEDS).map(async (s) => Math.min(...(await randomPoints(p.space, s, TRIALS)).map(p.f)) - p.min),
  );
  const tpe = await tpeRegrets(p, SEEDS, TRIALS);
  regretRows.push(
    `| ${p.name} | ${regretCell(gp[i])} | ${regretCell(rnd)} | ${regretCell(tpe ?? undefined)} |`,
  );
  if (tpe) {
    compared.push(p.name);
    if (median(gp[i]!) <= median(tpe)) gpAtLeastTpe.push(p.name);
  }
}
const tSynthetic = performance.now();

// 2. scikit-learn: the GP lane (worker + evaluator) beside random then TPE (one evaluator, then Optuna's process).
const [gpAcc, other] = await Promise.all([
  (async () => {
    const worker = new SearchWorker();
    const ev = new SklearnEvaluator();
    try {
      const out: number[] = [];
      for (const s of range(SK_SEEDS)) {
        const study = await gpStudy(worker, sklearnSpace, 'MAXIMIZE', (p) => ev.evaluate(p), s, SK_TRIALS);
        out.push(best(study.values, 'MAXIMIZE'));
      }
      return { best: out, seconds: ev.seconds };
    } finally {
      await Promise.all([worker.close(), ev.close()]);
    }
  })(),
  (async () => {
    const ev = new SklearnEvaluator();
    const rnd: number[] = [];
    try {
      for (const s of range(SK_SEEDS)) {
        const values: number[] = [];
        for (const p of await randomPoints(sklearnSpace, s, SK_TRIALS)) values.push(await ev.evaluate(p));
        rnd.push(best(values, 'MAXIMIZE'));
      }
    } finally {
      await ev.close();
    }
    return { rnd, seconds: ev.seconds, tpe: await tpeSklearn(SK_SEEDS, SK_TRIALS) };
  })(),
]);
if (other.tpe) {
  compared.push(SKLEARN_PROBLEM);
  if (median(gpAcc.best) >= median(other.tpe.best)) gpAtLeastTpe.push(SKLEARN_PROBLEM);
}
const evalSeconds = [...gpAcc.seconds, ...other.seconds];
const tSklearn = performance.now();

console.log(`\n### Simple regret after ${TRIALS} trials, median (p10 / p90) over ${SEEDS} seeds\n`);
console.log('| problem | GP bandit (ours) | random (ours) | Optuna TPE |');
console.log('| --- | --- | --- | --- |');
for (const r of regretRows) console.log(r);
console.log(
  `\n### Best accuracy after ${SK_TRIALS} trials, median (min / max) over ${SK_SEEDS} seeds (MAXIMIZE)\n`,
);
console.log('| problem | GP bandit (ours) | random (ours) | Optuna TPE |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| ${SKLEARN_PROBLEM} | ${accCell(gpAcc.best)} | ${accCell(other.rnd)} | ${accCell(other.tpe?.best)} |`,
);
const allBest = [...gpAcc.best, ...other.rnd, ...(other.tpe?.best ?? [])];
console.log(
  `\nRBF SVC: C in [1e-3, 1e3] and gamma in [1e-5, 10] (log scale), scaler in {none, standard, minmax}; best in ` +
    `this run ${Math.max(...allBest).toFixed(4)}; one evaluation ${(evalSeconds.reduce((s, v) => s + v, 0) / evalSeconds.length).toFixed(2)} s mean, ` +
    `${Math.max(...evalSeconds).toFixed(2)} s max (ours)${other.tpe ? `, ${other.tpe.seconds.toFixed(2)} s per TPE trial` : ''}.`,
);
console.log(
  `\nGP bandit at least as good as Optuna TPE (median regret lower or equal, accuracy higher or equal) on ` +
    `${gpAtLeastTpe.length} of ${compared.length} problems: ${gpAtLeastTpe.join(', ') || 'none'}` +
    `${compared.length < 3 ? ' (TPE missing: install python3-optuna)' : ''}.`,
);

// 3. Latency: one Hartmann-6 study through a warm worker, plus cold single-call suggest() at the last trial.
const worker = new SearchWorker();
const h6 = synthetic[1]!;
const study = await gpStudy(worker, h6.space, 'MINIMIZE', h6.f, 0, LAT_TRIALS);
await worker.close();
const cold: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await suggest({
    parameters: h6.space,
    metric: { metricId: 'f', goal: 'MINIMIZE' },
    completed: study.completed.slice(0, LAT_TRIALS - 1),
    seed: 0,
  });
  cold.push(performance.now() - t);
}
const lat = study.latency;
console.log('\n### GP-bandit suggestion latency (Hartmann-6, one trial at a time)\n');
console.log('| trials so far | median | p90 |');
console.log('| --- | --- | --- |');
const w = LAT_TRIALS / 4;
for (const a of [0, w, 2 * w, 3 * w]) {
  const s = summarize(lat.slice(a, a + w));
  console.log(`| ${a}–${a + w - 1} (warm worker) | ${ms(s.median)} | ${ms(s.p90)} |`);
}
console.log(`| ${LAT_TRIALS - 1} (cold: new process per call) | ${ms(median(cold))} | ${ms(q(cold, 90))} |`);
const sec = (a: number, b: number) => `${((b - a) / 1000).toFixed(0)} s`;
console.log(
  `\nmean over the ${LAT_TRIALS} trials (warm): ${ms(lat.reduce((s, v) => s + v, 0) / lat.length)}; ` +
    `total bench ${sec(t0, performance.now())} (synthetic ${sec(t0, tSynthetic)}, scikit-learn ${sec(tSynthetic, tSklearn)}, ` +
    `latency ${sec(tSklearn, performance.now())})`,
);
