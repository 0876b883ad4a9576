import { describe, expect, it } from 'vitest';
import { MEDIAN_RULE_MIN_COMPLETED, median, medianRuleStop } from './median-stopping.ts';

const curve = (...values: number[]) => values.map((value, i) => ({ at: i + 1, value }));

describe('median automated stopping rule', () => {
  it('computes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('stops a trial whose best value is strictly below the median running average (maximize)', () => {
    const completed = [curve(0.5, 0.7, 0.9), curve(0.6, 0.8, 0.9), curve(0.4, 0.6, 0.8)];
    // Running averages up to step 2: 0.6, 0.7, 0.5 → median 0.6.
    expect(medianRuleStop(curve(0.3, 0.55), completed, true)).toMatch(/below the median 0.6/);
    expect(medianRuleStop(curve(0.3, 0.6), completed, true)).toBeUndefined();
  });

  it('mirrors the rule when minimizing', () => {
    const completed = [curve(5, 3), curve(4, 2), curve(6, 4)];
    // Up to step 1: 5, 4, 6 → median 5.
    expect(medianRuleStop(curve(5.5), completed, false)).toMatch(/above the median 5/);
    expect(medianRuleStop(curve(5), completed, false)).toBeUndefined();
  });

  it('waits for enough completed trials with measurements up to the running trial position', () => {
    const few = Array.from({ length: MEDIAN_RULE_MIN_COMPLETED - 1 }, () => curve(1, 1));
    expect(medianRuleStop(curve(0), few, true)).toBeUndefined();
    const late = Array.from({ length: 5 }, () => [{ at: 10, value: 1 }]);
    expect(medianRuleStop(curve(0), late, true)).toBeUndefined();
    expect(medianRuleStop([], [curve(1), curve(1), curve(1)], true)).toBeUndefined();
  });
});
