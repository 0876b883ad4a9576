import { describe, expect, it } from 'vitest';
import { confusionMatrix, prPoints } from './evaluation.ts';
import { columns, runsOf, runsTable } from './experiments.ts';
import { byParameter, byTrialSeries, trialMetric } from './tuning.ts';

const trial = (id: string, params: Record<string, unknown>, value?: number) => ({
  id,
  parameters: Object.entries(params).map(([parameterId, v]) => ({ parameterId, value: v })),
  ...(value === undefined ? {} : { finalMeasurement: { metrics: [{ metricId: 'acc', value }] } }),
});

describe('tuning plots', () => {
  const trials = [
    trial('1', { lr: 0.1, opt: 'sgd' }, 0.7),
    trial('2', { lr: 0.01, opt: 'adam' }, 0.9),
    trial('3', { lr: 0.05, opt: 'adam' }, 0.8),
    trial('4', { lr: 0.02, opt: 'sgd' }),
  ];

  it('plots the objective by trial and the best so far, for either goal', () => {
    expect(byTrialSeries(trials, { metricId: 'acc', maximize: true })).toEqual([
      {
        label: 'acc',
        kind: 'points',
        points: [
          [1, 0.7],
          [2, 0.9],
          [3, 0.8],
        ],
      },
      {
        label: 'best so far',
        kind: 'step',
        points: [
          [1, 0.7],
          [2, 0.9],
          [3, 0.9],
        ],
      },
    ]);
    expect(byTrialSeries(trials, { metricId: 'acc', maximize: false })[1]!.points.map((p) => p[1])).toEqual([
      0.7, 0.7, 0.7,
    ]);
  });

  it('plots the objective against numeric and categorical parameters', () => {
    const o = { metricId: 'acc', maximize: true };
    expect(byParameter(trials, o, 'lr')).toEqual({
      points: [
        [0.1, 0.7],
        [0.01, 0.9],
        [0.05, 0.8],
      ],
    });
    expect(byParameter(trials, o, 'opt')).toEqual({
      points: [
        [1, 0.7],
        [0, 0.9],
        [0, 0.8],
      ],
      xNames: ['adam', 'sgd'],
    });
  });

  it("reads a running trial's latest measurement", () => {
    expect(
      trialMetric(
        {
          measurements: [
            { metrics: [{ metricId: 'acc', value: 0.1 }] },
            { metrics: [{ metricId: 'acc', value: 0.3 }] },
          ],
        },
        'acc',
      ),
    ).toBe(0.3);
    expect(trialMetric({}, 'acc')).toBeUndefined();
  });
});

describe('evaluations', () => {
  it('sorts the PR curve by recall and keeps the zero-threshold entry Vertex sends without a threshold', () => {
    expect(
      prPoints({
        confidenceMetrics: [
          { recall: 1, precision: 0.2 },
          { confidenceThreshold: 0.5, recall: 0.8, precision: 0.9 },
          { confidenceThreshold: 0.9 },
        ],
      }),
    ).toEqual([
      [0.8, 0.9],
      [1, 0.2],
    ]);
  });

  it('escapes label names in the confusion matrix', () => {
    const out = confusionMatrix({
      annotationSpecs: [{ displayName: '<a>' }, { id: '2' }],
      rows: [
        [3, 1],
        [0, 4],
      ],
    }).value;
    expect(out).toContain('<th>&lt;a&gt;</th>');
    expect(out).toContain('<th>2</th>');
    expect(out).toContain('rgba(26, 127, 55, 0.637)'); // 3 of 4
  });
});

describe('experiment runs', () => {
  const exp = { name: 'e', schemaTitle: 'system.Experiment' };
  const runs = [
    {
      name: 'r2',
      displayName: 'b',
      schemaTitle: 'system.ExperimentRun',
      parentContexts: ['e'],
      createTime: '2',
      metadata: { _params: { lr: 1 }, _metrics: { acc: 0.5 }, _state: 'COMPLETE' },
    },
    {
      name: 'r1',
      displayName: 'a',
      schemaTitle: 'system.ExperimentRun',
      parentContexts: ['e'],
      createTime: '1',
      metadata: { _params: { depth: 3, lr: 2 } },
    },
    { name: 'x', schemaTitle: 'system.ExperimentRun', parentContexts: ['other'] },
  ];

  it('keeps the runs of the experiment, oldest first, and the union of their columns', () => {
    const mine = runsOf([exp, ...runs], exp);
    expect(mine.map((r) => r.name)).toEqual(['r1', 'r2']);
    expect(columns(mine, '_params')).toEqual(['depth', 'lr']);
    expect(columns(mine, '_metrics')).toEqual(['acc']);
    expect(runsTable(mine).value).toContain('<th class="num metric">metric.acc</th>');
  });
});
