import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { categoricalParameter, doubleParameter } from './parameter-spec.ts';
import {
  analyzeTrials,
  scalesFromParameterSpec,
  type TrialLike,
  type TrialMetric,
} from './trial-analysis.ts';
import { parameterChartSvg, showStudyCharts, studyChartsSvg, trialMetricChartSvg } from './trial-plots.ts';
import { toTrial } from './trials.ts';

const ACCURACY: TrialMetric = { metricId: 'accuracy', goal: 'maximize' };
const LOSS: TrialMetric = { metricId: 'loss', goal: 'minimize' };

function trial(
  id: string,
  value: number | undefined,
  parameters: TrialLike['parameters'],
  state = 'SUCCEEDED',
): TrialLike {
  return {
    id,
    state,
    parameters,
    ...(value === undefined ? {} : { finalMeasurement: { metrics: { accuracy: value, loss: 1 - value } } }),
  };
}

/** Ten trials, given out of order: 2 infeasible, 1 active, the best (0.93) is trial 7. */
const TRIALS: TrialLike[] = [
  trial('10', 0.9, { lr: 0.1, optimizer: 'adam' }),
  trial('1', 0.6, { lr: 0.001, optimizer: 'sgd' }),
  trial('2', 0.7, { lr: 0.01, optimizer: 'adam' }),
  trial('3', undefined, { lr: 0.5, optimizer: 'sgd' }, 'INFEASIBLE'),
  trial('4', 0.65, { lr: 0.0005, optimizer: 'adam' }),
  trial('5', 0.8, { lr: 0.03, optimizer: 'rmsprop' }),
  trial('6', undefined, { lr: 0.9, optimizer: 'adam' }, 'INFEASIBLE'),
  trial('7', 0.93, { lr: 0.02, optimizer: 'adam' }),
  trial('8', 0.75, { lr: 0.005, optimizer: 'sgd' }),
  trial('9', undefined, { lr: 0.04, optimizer: 'adam' }, 'ACTIVE'),
];

const group = (svg: string, name: string) =>
  svg.match(new RegExp(`<g data-series="${name}">(.*?)</g>`))?.[1] ?? '';
const count = (markup: string, pattern: RegExp) => markup.match(pattern)?.length ?? 0;
const tickLabels = (svg: string) =>
  [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*text-anchor="middle">([^<]*)<\/text>/g)].map(
    (m) => m[2],
  );

/** y coordinates of the best-so-far step path, in drawing order. */
function bestSoFarYs(svg: string): number[] {
  const d = svg.match(/<path data-series="best so far" d="([^"]+)"/)![1]!;
  return [...d.matchAll(/(?:M[\d.]+,|V)([\d.]+)/g)].map((m) => Number(m[1]));
}

afterEach(() => {
  delete (globalThis as Record<string, unknown>).__tslab__;
});

describe('trial metric chart', () => {
  it('draws a point per succeeded trial and a cross per infeasible one, in numeric id order', () => {
    const svg = trialMetricChartSvg(TRIALS, ACCURACY);
    expect(count(group(svg, 'succeeded'), /<circle/g)).toBe(7);
    expect(count(group(svg, 'infeasible'), /<path/g)).toBe(2);
    expect(count(group(svg, 'not finished'), /<path/g)).toBe(1);
    expect(count(group(svg, 'best: trial 7'), /<circle/g)).toBe(1);
    const xs = [...group(svg, 'succeeded').matchAll(/cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(group(svg, 'succeeded')).toContain(
      '<title>trial 7: accuracy = 0.93 (lr=0.02, optimizer=adam)</title>',
    );
    expect(svg).toContain('>accuracy by trial</text>');
    expect(svg).toContain('>trial</text>');
  });

  it('draws the best-so-far line monotone: rising for maximize, falling for minimize', () => {
    const up = bestSoFarYs(trialMetricChartSvg(TRIALS, ACCURACY));
    // SVG y grows downwards: a rising best value means non-increasing y.
    expect(up.length).toBeGreaterThan(3);
    for (let i = 1; i < up.length; i++) expect(up[i]).toBeLessThanOrEqual(up[i - 1]!);
    const down = bestSoFarYs(trialMetricChartSvg(TRIALS, LOSS));
    for (let i = 1; i < down.length; i++) expect(down[i]).toBeGreaterThanOrEqual(down[i - 1]!);
    expect(trialMetricChartSvg(TRIALS, LOSS)).toContain('best: trial 7');
  });

  it('renders a placeholder for an empty study', () => {
    const svg = trialMetricChartSvg([], ACCURACY);
    expect(svg).toContain('>No trials yet</text>');
    expect(svg).toMatch(/<\/svg>$/);
    expect(svg).not.toContain('NaN');
  });

  it('rejects a NaN metric, an unknown metric or goal, naming the field', () => {
    const bad = [...TRIALS, trial('11', Number.NaN, { lr: 0.1, optimizer: 'adam' })];
    expect(() => trialMetricChartSvg(bad, ACCURACY)).toThrow(
      /trials\[10\]\.finalMeasurement\.metrics\.accuracy: is NaN in trial 11/,
    );
    expect(() => trialMetricChartSvg(TRIALS, { metricId: 'acc', goal: 'maximize' })).toThrow(
      /metric\.metricId: no succeeded trial reports "acc"\. The trials report: accuracy, loss/,
    );
    const err = (() => {
      try {
        trialMetricChartSvg(TRIALS, { metricId: 'accuracy', goal: 'up' as 'maximize' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('metric.goal');
  });
});

describe('parameter chart', () => {
  it('uses a log axis with decade ticks for log parameters', () => {
    const svg = parameterChartSvg(TRIALS, ACCURACY, 'lr', { scales: { lr: 'log' } });
    expect(tickLabels(svg)).toEqual(expect.arrayContaining(['0.001', '0.01', '0.1']));
    expect(svg).toContain('>lr (log scale)</text>');
    expect(count(group(svg, 'succeeded'), /<circle/g)).toBe(7);
    expect(count(group(svg, 'infeasible'), /<path/g)).toBe(2);
    expect(count(group(svg, 'best: trial 7'), /<circle/g)).toBe(1);
    const linear = parameterChartSvg(TRIALS, ACCURACY, 'lr');
    expect(tickLabels(linear)).toEqual(expect.arrayContaining(['0.2', '0.4']));
  });

  it('draws categorical parameters as bands named by category', () => {
    const svg = parameterChartSvg(TRIALS, ACCURACY, 'optimizer');
    // Categories in first-seen order of the trials sorted by id (trial 1 is sgd).
    expect(tickLabels(svg).slice(0, 3)).toEqual(['sgd', 'adam', 'rmsprop']);
    expect(count(svg, /fill="#f4f6f8"/g)).toBe(1);
    expect(count(group(svg, 'succeeded'), /<circle/g)).toBe(7);
  });

  it('rejects an unknown parameter or values that do not fit the scale, naming the field', () => {
    expect(() => parameterChartSvg(TRIALS, ACCURACY, 'momentum')).toThrow(
      /parameterId: no trial has the parameter "momentum"\. The trials have: lr, optimizer/,
    );
    expect(() => parameterChartSvg(TRIALS, ACCURACY, 'optimizer', { scales: { optimizer: 'log' } })).toThrow(
      /scales\.optimizer: is log but trial \d+ has the value "\w+"/,
    );
    const zero = [...TRIALS, trial('11', 0.5, { lr: 0, optimizer: 'adam' })];
    expect(() => parameterChartSvg(zero, ACCURACY, 'lr', { scales: { lr: 'log' } })).toThrow(
      /scales\.lr: is log/,
    );
    expect(() => parameterChartSvg(TRIALS, ACCURACY, 'lr', { scales: { lr: 'cubic' as 'log' } })).toThrow(
      /scales\.lr: unknown scale/,
    );
  });

  it('escapes trial ids, parameter ids and categories', () => {
    const trials = [trial('<1>', 0.5, { '<p>': 'a&b' }), trial('"2"', 0.6, { '<p>': "it's" })];
    const svg = parameterChartSvg(trials, ACCURACY, '<p>');
    expect(svg).not.toMatch(/<p>|<1>|a&b|it's/);
    expect(svg).toContain('a&amp;b');
    expect(svg).toContain('best: trial &quot;2&quot;');
    expect(svg).toContain('accuracy vs &lt;p&gt;');
  });

  it('renders placeholders for an empty study', () => {
    expect(parameterChartSvg([], ACCURACY, 'lr')).toContain('>No trials yet</text>');
    expect(studyChartsSvg([], ACCURACY)).toEqual({
      byTrial: trialMetricChartSvg([], ACCURACY),
      byParameter: {},
    });
  });
});

describe('study charts', () => {
  it('returns the by-trial chart and one chart per parameter, with scales from a parameter spec', () => {
    const scales = scalesFromParameterSpec({
      lr: doubleParameter(1e-4, 1, 'log'),
      optimizer: categoricalParameter(['adam', 'sgd', 'rmsprop']),
    });
    expect(scales).toEqual({ lr: 'log', optimizer: 'categorical' });
    const charts = studyChartsSvg(TRIALS, ACCURACY, { scales });
    expect(Object.keys(charts.byParameter)).toEqual(['lr', 'optimizer']);
    expect(charts.byParameter.lr).toContain('(log scale)');
  });

  it('accepts the trials of a tuning job as they are', () => {
    const trials = [
      toTrial({
        id: '1',
        state: 'SUCCEEDED',
        parameters: [{ parameterId: 'lr', value: { numberValue: 0.1 } }],
        finalMeasurement: { stepCount: 3, metrics: [{ metricId: 'accuracy', value: 0.9 }] },
      }),
    ];
    expect(trialMetricChartSvg(trials, ACCURACY)).toContain('best: trial 1');
    expect(parameterChartSvg(trials, ACCURACY, 'lr')).toContain('trial 1: accuracy = 0.9 (lr=0.1)');
  });

  it('orders trials by numeric id', () => {
    expect(analyzeTrials(TRIALS, ACCURACY).trials.map((r) => r.trial.id)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
  });

  it('shows the charts in a notebook, and returns false outside one', () => {
    expect(showStudyCharts(TRIALS, ACCURACY)).toBe(false);
    const shown: string[] = [];
    const display = { svg: (s: string) => shown.push(s), html() {}, png() {}, markdown() {}, text() {} };
    (globalThis as Record<string, unknown>).__tslab__ = {
      require: () => ({ display, newDisplay: () => display }),
    };
    expect(showStudyCharts(TRIALS, ACCURACY)).toBe(true);
    expect(shown).toHaveLength(3);
    expect(shown[0]).toContain('accuracy by trial');
  });
});
