import { describe, expect, it } from 'vitest';
import { buildAxis, categoriesOf, logTicks, tickLabel } from './axis.ts';

describe('chart axes', () => {
  it('puts log ticks on powers of ten, or on 1-2-5 multiples within a decade', () => {
    expect(logTicks(1e-4, 0.1)).toEqual([1e-4, 1e-3, 0.01, 0.1]);
    expect(logTicks(0.0015, 0.009)).toEqual([0.002, 0.005]);
    expect(logTicks(3, 4.5)).toEqual([3, 4]);
    expect(logTicks(1e-12, 1e12).length).toBeLessThanOrEqual(9);
    expect(logTicks(0, 1)).toEqual([]);
  });

  it('places values of a log axis by their logarithm, padded inside [0, 1]', () => {
    const axis = buildAxis([0.001, 0.01, 0.1], 'log');
    const [a, b, c] = [0.001, 0.01, 0.1].map((v) => axis.position(v));
    expect(b! - a!).toBeCloseTo(c! - b!, 9);
    expect(a).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
    expect(axis.ticks.map((t) => t.label)).toEqual(['0.001', '0.01', '0.1']);
    expect(() => buildAxis([0, 1], 'log')).toThrow(/positive/);
  });

  it('spreads values near the top on a reverse-log axis', () => {
    const axis = buildAxis([0.9, 0.99, 0.999], 'reverse_log');
    const [a, b, c] = [0.9, 0.99, 0.999].map((v) => axis.position(v));
    expect(b! - a!).toBeCloseTo(c! - b!, 9);
    expect(axis.ticks.map((t) => t.value)).toEqual([0.9, 0.99, 0.999]);
  });

  it('gives each category a band, numeric categories sorted by value', () => {
    expect(categoriesOf([32, 'adam', 8, '16', 'adam'])).toEqual(['8', '16', '32', 'adam']);
    const axis = buildAxis(['sgd', 'adam', 'sgd'], 'category');
    expect(axis.categories).toEqual(['sgd', 'adam']);
    expect(axis.position('sgd')).toBe(0.25);
    expect(axis.position('adam')).toBe(0.75);
    expect(axis.position('other')).toBeNaN();
  });

  it('keeps whole-number ticks for integer axes and writes tiny or huge ticks in exponent form', () => {
    expect(
      buildAxis([1, 2, 3], 'linear', { integer: true }).ticks.every((t) => Number.isInteger(t.value)),
    ).toBe(true);
    expect(tickLabel(1e-5)).toBe('1e-5');
    expect(tickLabel(2.5e7)).toBe('2.5e7');
    expect(tickLabel(0.25)).toBe('0.25');
  });
});
