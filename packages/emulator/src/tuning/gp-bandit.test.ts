import { afterAll, describe, expect, it } from 'vitest';
import {
  type ParameterSpec,
  type ParameterValues,
  SearchWorker,
  type SuggestRequest,
  suggest,
} from './search.ts';

/** Branin on x1 ∈ [−5, 10], x2 ∈ [0, 15]; global minimum 0.397887. */
function branin(p: ParameterValues): number {
  const x1 = p.x1 as number;
  const x2 = p.x2 as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}
const BRANIN_MIN = 0.397887;
const space: ParameterSpec[] = [
  { parameterId: 'x1', doubleValueSpec: { minValue: -5, maxValue: 10 } },
  { parameterId: 'x2', doubleValueSpec: { minValue: 0, maxValue: 15 } },
];
const metric = { metricId: 'branin', goal: 'MINIMIZE' } as const;

describe('Gaussian-process bandit (ALGORITHM_UNSPECIFIED)', () => {
  const worker = new SearchWorker();
  afterAll(() => worker.close());

  it('converges on Branin in 50 sequential trials and beats random search with the same seed', async () => {
    const seed = 3;
    const completed: SuggestRequest['completed'] & object = [];
    for (let i = 0; i < 50; i++) {
      const { suggestions } = await suggest(
        { parameters: space, metric, completed, count: 1, seed },
        { worker },
      );
      expect(suggestions).toHaveLength(1);
      completed.push({ parameters: suggestions[0]!, value: branin(suggestions[0]!) });
    }
    const gpRegret = Math.min(...completed.map((t) => t.value)) - BRANIN_MIN;
    // random search, same seed and budget (one call gives the same points as 50 sequential calls)
    const random = await suggest(
      { algorithm: 'RANDOM_SEARCH', parameters: space, metric, count: 50, seed },
      { worker },
    );
    const randomRegret = Math.min(...random.suggestions.map(branin)) - BRANIN_MIN;
    expect(gpRegret).toBeLessThanOrEqual(0.01);
    expect(gpRegret).toBeLessThan(randomRegret);
  }, 120_000);

  it('suggests a batch of distinct points beside pending trials, respecting types and scales', async () => {
    const parameters: ParameterSpec[] = [
      { parameterId: 'lr', doubleValueSpec: { minValue: 1e-4, maxValue: 1 }, scaleType: 'UNIT_LOG_SCALE' },
      { parameterId: 'depth', integerValueSpec: { minValue: '1', maxValue: '8' } },
      { parameterId: 'kind', categoricalValueSpec: { values: ['a', 'b', 'c'] } },
    ];
    const f = (p: ParameterValues) =>
      -((Math.log10(p.lr as number) + 2) ** 2) - ((p.depth as number) - 5) ** 2 + (p.kind === 'b' ? 1 : 0);
    const first = await suggest({ parameters, count: 8, seed: 1 }, { worker });
    const completed = first.suggestions.slice(0, 6).map((p) => ({ parameters: p, value: f(p) }));
    const pending = first.suggestions.slice(6).map((p) => ({ parameters: p }));
    const { suggestions } = await suggest({ parameters, completed, pending, count: 4, seed: 1 }, { worker });
    expect(suggestions).toHaveLength(4);
    const keys = new Set([...first.suggestions, ...suggestions].map((s) => JSON.stringify(s)));
    expect(keys.size).toBe(12);
    for (const s of suggestions) {
      expect(s.lr).toBeGreaterThanOrEqual(1e-4);
      expect(s.lr).toBeLessThanOrEqual(1);
      expect(Number.isInteger(s.depth)).toBe(true);
      expect(['a', 'b', 'c']).toContain(s.kind);
    }
  });

  it('includes a conditional child only when its parent value matches', async () => {
    const parameters: ParameterSpec[] = [
      {
        parameterId: 'optimizer',
        categoricalValueSpec: { values: ['adam', 'sgd'] },
        conditionalParameterSpecs: [
          {
            parameterSpec: { parameterId: 'momentum', doubleValueSpec: { minValue: 0, maxValue: 0.99 } },
            parentCategoricalValues: { values: ['sgd'] },
          },
        ],
      },
      { parameterId: 'lr', doubleValueSpec: { minValue: 1e-4, maxValue: 1 }, scaleType: 'UNIT_LOG_SCALE' },
    ];
    const completed = (
      await suggest({ algorithm: 'RANDOM_SEARCH', parameters, count: 10, seed: 2 })
    ).suggestions.map((p) => ({
      parameters: p,
      value: p.optimizer === 'sgd' ? 1 - (p.momentum as number) : 2,
    }));
    const { suggestions } = await suggest({ parameters, completed, count: 3, seed: 2 }, { worker });
    for (const s of [...suggestions, ...completed.map((c) => c.parameters)]) {
      expect('momentum' in s).toBe(s.optimizer === 'sgd');
    }
  });
});
