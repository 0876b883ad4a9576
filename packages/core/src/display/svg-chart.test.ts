import { describe, expect, it } from 'vitest';
import { lineChartSvg, niceTicks, timelineSvg } from './svg-chart.ts';

describe('SVG charts', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 10)).toEqual([2, 4, 6, 8, 10]);
    expect(niceTicks(0.13, 0.71, 4)).toEqual([0.2, 0.4, 0.6]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it('draws a line chart with a path per series, a legend for several series, and escaped labels', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'rank 0',
          points: [
            [1, 0.7],
            [2, 0.5],
            [3, 0.3],
          ],
        },
        {
          name: 'rank <1>',
          points: [
            [1, 0.8],
            [2, 0.6],
            [3, 0.2],
          ],
        },
      ],
      { title: 'loss', xLabel: 'epoch', yLabel: 'loss' },
    );
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="480" height="280"/);
    expect(svg).toMatch(/<\/svg>$/);
    expect(svg.match(/stroke-width="2"/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(6);
    expect(svg).toContain('rank &lt;1&gt;');
    expect(svg).toContain('>epoch<');
    expect(svg).not.toContain('NaN');
    for (const tag of svg.match(/<[a-z]+ [^>]*>/g) ?? []) {
      const names = [...tag.matchAll(/ ([a-z-]+)=/g)].map((m) => m[1]);
      expect(new Set(names).size, `duplicate attribute in ${tag}`).toBe(names.length);
    }
  });

  it('handles a single point and an empty chart', () => {
    expect(lineChartSvg([{ name: 'a', points: [[1, 1]] }])).not.toContain('NaN');
    expect(lineChartSvg([])).toMatch(/<\/svg>$/);
  });

  it('draws a timeline bar per interval, scaled in seconds from the earliest start', () => {
    const svg = timelineSvg(
      [
        { label: 'workerpool0-0', start: 1000, end: 5000 },
        { label: 'workerpool1-0', start: 2000, end: 5000 },
      ],
      { title: 'replicas' },
    );
    const widths = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[0]! / widths[1]!).toBeCloseTo(4 / 3, 2);
    expect(svg).toContain('>seconds<');
    expect(timelineSvg([])).toMatch(/<\/svg>$/);
  });
});
