import { describe, expect, it } from 'vitest';
import { type ParameterSpec, SearchError, suggest } from './search.ts';

const grid: ParameterSpec[] = [
  { parameterId: 'layers', integerValueSpec: { minValue: '1', maxValue: '3' } },
  {
    parameterId: 'optimizer',
    categoricalValueSpec: { values: ['adam', 'sgd'] },
    conditionalParameterSpecs: [
      {
        parameterSpec: { parameterId: 'momentum', discreteValueSpec: { values: [0.5, 0.9] } },
        parentCategoricalValues: { values: ['sgd'] },
      },
    ],
  },
];

describe('GRID_SEARCH', () => {
  it('enumerates the exact cartesian product in order, conditional children nested under their parent value', async () => {
    const res = await suggest({ algorithm: 'GRID_SEARCH', parameters: grid, count: 100 });
    const expected = [1, 2, 3].flatMap((layers) => [
      { layers, optimizer: 'adam' },
      { layers, optimizer: 'sgd', momentum: 0.5 },
      { layers, optimizer: 'sgd', momentum: 0.9 },
    ]);
    expect(res).toEqual({ suggestions: expected, exhausted: true });
  });

  it('skips completed and pending points and reports exhaustion only at the end', async () => {
    const first = await suggest({ algorithm: 'GRID_SEARCH', parameters: grid, count: 4 });
    expect(first.exhausted).toBe(false);
    expect(first.suggestions).toHaveLength(4);
    const [a, b, ...rest] = first.suggestions;
    const next = await suggest({
      algorithm: 'GRID_SEARCH',
      parameters: grid,
      completed: [
        { parameters: a!, value: 1 },
        { parameters: b!, value: 2 },
      ],
      pending: rest.map((parameters) => ({ parameters })),
      count: 5,
    });
    expect(next).toEqual({
      suggestions: [
        { layers: 2, optimizer: 'sgd', momentum: 0.5 },
        { layers: 2, optimizer: 'sgd', momentum: 0.9 },
        { layers: 3, optimizer: 'adam' },
        { layers: 3, optimizer: 'sgd', momentum: 0.5 },
        { layers: 3, optimizer: 'sgd', momentum: 0.9 },
      ],
      exhausted: true,
    });
  });

  it('rejects a double range with a message naming the field', async () => {
    const parameters: ParameterSpec[] = [
      { parameterId: 'lr', doubleValueSpec: { minValue: 0.1, maxValue: 1 } },
    ];
    await expect(suggest({ algorithm: 'GRID_SEARCH', parameters })).rejects.toThrow(
      /^parameters\[0\]\.doubleValueSpec: GRID_SEARCH needs INTEGER, CATEGORICAL or DISCRETE/,
    );
  });
});

describe('RANDOM_SEARCH', () => {
  const parameters: ParameterSpec[] = [
    { parameterId: 'lr', doubleValueSpec: { minValue: 1e-5, maxValue: 1 }, scaleType: 'UNIT_LOG_SCALE' },
    { parameterId: 'units', integerValueSpec: { minValue: '8', maxValue: '12' } },
    { parameterId: 'act', categoricalValueSpec: { values: ['relu', 'tanh'] } },
    {
      parameterId: 'beta',
      doubleValueSpec: { minValue: 0.001, maxValue: 1 },
      scaleType: 'UNIT_REVERSE_LOG_SCALE',
    },
  ];

  it('respects ranges, types and the log scale, and is reproducible by seed', async () => {
    const { suggestions } = await suggest({ algorithm: 'RANDOM_SEARCH', parameters, count: 400, seed: 7 });
    expect(suggestions).toHaveLength(400);
    for (const s of suggestions) {
      expect(s.lr).toBeGreaterThanOrEqual(1e-5);
      expect(s.lr).toBeLessThanOrEqual(1);
      expect(Number.isInteger(s.units) && (s.units as number) >= 8 && (s.units as number) <= 12).toBe(true);
      expect(['relu', 'tanh']).toContain(s.act);
      expect(s.beta).toBeGreaterThanOrEqual(0.001);
      expect(s.beta).toBeLessThanOrEqual(1);
    }
    // log-uniform: each decade holds about a fifth of the draws (uniform would put ~90% in the top decade)
    const decades = [0, 0, 0, 0, 0];
    for (const s of suggestions) decades[Math.min(4, Math.floor(Math.log10(s.lr as number) + 5))]! += 1;
    for (const n of decades) expect(n).toBeGreaterThan(50);
    // every integer value is drawn, the end values too
    for (const u of [8, 9, 10, 11, 12])
      expect(suggestions.filter((s) => s.units === u).length).toBeGreaterThan(50);
    // reverse log: values crowd towards the top of the range (about 2/3 above 0.9; linear would give 1/10)
    expect(suggestions.filter((s) => (s.beta as number) > 0.9).length).toBeGreaterThan(220);
    const again = await suggest({ algorithm: 'RANDOM_SEARCH', parameters, count: 3, seed: 7 });
    expect(again.suggestions).toEqual(suggestions.slice(0, 3));
  });
});

describe('invalid specs', () => {
  const cases: [string, ParameterSpec[], RegExp][] = [
    [
      'min > max',
      [
        { parameterId: 'a', discreteValueSpec: { values: [1, 2] } },
        { parameterId: 'b', doubleValueSpec: { minValue: 2, maxValue: 1 } },
      ],
      /^parameters\[1\]\.doubleValueSpec: minValue 2 > maxValue 1/,
    ],
    [
      'log scale with min <= 0',
      [{ parameterId: 'lr', doubleValueSpec: { minValue: 0, maxValue: 1 }, scaleType: 'UNIT_LOG_SCALE' }],
      /^parameters\[0\]\.scaleType: UNIT_LOG_SCALE needs a strictly positive range/,
    ],
    [
      'duplicate ids',
      [
        { parameterId: 'a', integerValueSpec: { minValue: '1', maxValue: '2' } },
        { parameterId: 'a', integerValueSpec: { minValue: '1', maxValue: '2' } },
      ],
      /^parameters\[1\]\.parameterId: duplicate parameter id 'a'/,
    ],
    [
      'empty categorical',
      [{ parameterId: 'c', categoricalValueSpec: { values: [] } }],
      /^parameters\[0\]\.categoricalValueSpec\.values: a non-empty list/,
    ],
    [
      'discrete values not increasing',
      [{ parameterId: 'd', discreteValueSpec: { values: [2, 1] } }],
      /^parameters\[0\]\.discreteValueSpec\.values: must be increasing/,
    ],
    [
      'conditional on a double parent',
      [
        {
          parameterId: 'p',
          integerValueSpec: { minValue: '1', maxValue: '4' },
          conditionalParameterSpecs: [
            {
              parameterSpec: { parameterId: 'c', doubleValueSpec: { minValue: 0, maxValue: 1 } },
              parentCategoricalValues: { values: ['x'] },
            },
          ],
        },
      ],
      /^parameters\[0\]\.conditionalParameterSpecs\[0\]\.parentCategoricalValues: does not fit parent 'p'/,
    ],
  ];
  it.each(cases)('%s', async (_name, parameters, message) => {
    const err = await suggest({ algorithm: 'RANDOM_SEARCH', parameters }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect((err as Error).message).toMatch(message);
  });

  it('an unknown metric goal', async () => {
    const parameters: ParameterSpec[] = [{ parameterId: 'a', doubleValueSpec: { minValue: 0, maxValue: 1 } }];
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid on the wire
    await expect(suggest({ parameters, metric: { goal: 'BIGGER' as any } })).rejects.toThrow(
      /^metric\.goal: unknown goal/,
    );
  });
});
