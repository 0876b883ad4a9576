import { describe, expect, it } from 'vitest';
import { batchRunWrites, fromTimestamp, pointsIn, scalarValuesOf, toTimestamp } from './scalars.ts';

describe('scalar points on the wire', () => {
  it('round-trips wall times through Timestamps', () => {
    expect(toTimestamp(1700000000.25)).toEqual({ seconds: '1700000000', nanos: 250000000 });
    expect(toTimestamp(1.9999999999)).toEqual({ seconds: '2', nanos: 0 });
    expect(fromTimestamp({ seconds: '1700000000', nanos: 500000000 })).toBe(1700000000.5);
    expect(fromTimestamp(undefined)).toBe(0);
  });

  it('reads TimeSeriesData points sorted by step, int64 steps as numbers', () => {
    const points = scalarValuesOf({
      values: [
        { step: '2', wallTime: { seconds: '10' }, scalar: { value: 0.5 } },
        { step: 1 as never, wallTime: { seconds: 9, nanos: 5e8 }, scalar: { value: 0.7 } },
      ],
    });
    expect(points).toEqual([
      { step: 1, wallTime: 9.5, value: 0.7 },
      { step: 2, wallTime: 10, value: 0.5 },
    ]);
  });

  it('batches writes under the byte budget, keeping every point once and in order', () => {
    const points = Array.from({ length: 500 }, (_, i) => ({ step: i, value: i / 10, wallTime: 1000 + i }));
    const runs = [
      {
        runName: 'projects/p/locations/l/tensorboards/1/experiments/e/runs/a',
        series: [{ timeSeriesId: 'loss', points }],
      },
      {
        runName: 'projects/p/locations/l/tensorboards/1/experiments/e/runs/b',
        series: [
          { timeSeriesId: 'acc', points: points.slice(0, 10) },
          { timeSeriesId: 'empty', points: [] },
        ],
      },
    ];
    const batches = batchRunWrites(runs, 4096);
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.reduce((n, b) => n + pointsIn(b), 0)).toBe(510);
    for (const b of batches) expect(pointsIn(b) * 48).toBeLessThanOrEqual(4096);
    const loss = batches.flatMap((b) =>
      b.filter((r) => r.tensorboardRun.endsWith('/a')).flatMap((r) => r.timeSeriesData[0]!.values),
    );
    expect(loss.map((v) => Number(v.step))).toEqual(points.map((p) => p.step));
    expect(loss[3]).toEqual({ step: '3', wallTime: { seconds: '1003', nanos: 0 }, scalar: { value: 0.3 } });
    const last = batches.at(-1)!;
    expect(last.at(-1)!.timeSeriesData.map((s) => s.tensorboardTimeSeriesId)).toEqual(['acc']);
    expect(batchRunWrites([{ runName: 'r', series: [] }])).toEqual([]);
  });
});
