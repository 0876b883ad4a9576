import { describe, expect, it } from 'vitest';
import { mergeMeasurements } from '../runtime/trial-metrics.ts';
import { completedTrial, optimalTrials } from './vizier-trials.ts';

const m = (value: number, step: number, metricId = 'acc') => ({
  stepCount: String(step),
  metrics: [{ metricId, value }],
});
const spec = { metrics: [{ metricId: 'acc', goal: 'MAXIMIZE' }] };

describe('Vizier trial rules', () => {
  it('completes with the given measurement, the selected one, or as INFEASIBLE', () => {
    const trial = { name: 's/trials/1', state: 'ACTIVE', measurements: [m(0.5, 1), m(0.9, 2), m(0.7, 3)] };
    expect(completedTrial(trial, { finalMeasurement: m(0.1, 9) }, spec).finalMeasurement).toEqual(m(0.1, 9));
    expect(completedTrial(trial, {}, spec).finalMeasurement).toEqual(m(0.7, 3)); // unset selection = last
    const best = { ...spec, measurementSelectionType: 'BEST_MEASUREMENT' };
    expect(completedTrial(trial, {}, best).finalMeasurement).toEqual(m(0.9, 2));
    const none = completedTrial({ ...trial, measurements: [m(1, 1, 'loss')] }, {}, spec);
    expect(none.state).toBe('INFEASIBLE');
    expect(none.infeasibleReason).toMatch(/no measurement of acc/);
    expect(completedTrial(trial, { trialInfeasible: true, infeasibleReason: 'nan' }, spec)).toMatchObject({
      state: 'INFEASIBLE',
      infeasibleReason: 'nan',
    });
    expect(() => completedTrial(trial, { trialInfeasible: true, finalMeasurement: m(1, 1) }, spec)).toThrow(
      /final_measurement must not be set/,
    );
    expect(() => completedTrial({ ...trial, state: 'SUCCEEDED' }, {}, spec)).toThrow(/already SUCCEEDED/);
  });

  it('lists the trials tied for the best value, or the Pareto front with several metrics', () => {
    const done = (id: string, acc: number, ms?: number) => ({
      id,
      state: 'SUCCEEDED',
      finalMeasurement: {
        metrics: [
          { metricId: 'acc', value: acc },
          ...(ms === undefined ? [] : [{ metricId: 'ms', value: ms }]),
        ],
      },
    });
    const one = [done('1', 0.8), done('2', 0.9), done('3', 0.9), { id: '4', state: 'INFEASIBLE' }];
    expect(optimalTrials(one, spec).map((t) => t.id)).toEqual(['2', '3']);
    const two = { metrics: [...spec.metrics, { metricId: 'ms', goal: 'MINIMIZE' }] };
    const pareto = [done('1', 0.8, 10), done('2', 0.9, 30), done('3', 0.85, 40), done('4', 0.7, 5)];
    expect(optimalTrials(pareto, two).map((t) => t.id)).toEqual(['1', '2', '4']);
  });

  it('keeps measurements a rewritten metrics file no longer holds', () => {
    const at = (value: number, s: number) => ({ ...m(value, s), elapsedDuration: `${s}.000s` });
    expect(mergeMeasurements([at(0.1, 1), at(0.2, 2)], [at(0.2, 2), at(0.3, 3)])).toEqual([
      at(0.1, 1),
      at(0.2, 2),
      at(0.3, 3),
    ]);
    expect(mergeMeasurements([], [at(0.3, 3)])).toEqual([at(0.3, 3)]);
  });
});
