import { describe, expect, it } from 'vitest';
import type { ScalarSeries } from './scalars.ts';
import { lastScalars, scalarsCharts, scalarsHtml, scalarsSvg, showScalars, tagsOf } from './scalars-chart.ts';

const series: ScalarSeries[] = [
  {
    run: 'lr-0-1',
    tag: 'loss',
    points: [1, 2, 3].map((step) => ({ step, wallTime: step, value: 1 / step })),
  },
  {
    run: 'lr-0-01',
    tag: 'loss',
    points: [1, 2, 3].map((step) => ({ step, wallTime: step, value: 2 / step })),
  },
  { run: 'lr-0-1', tag: 'eval/<acc>', points: [{ step: 3, wallTime: 3, value: 0.9 }] },
];

describe('scalar charts', () => {
  it('draws one line per run for a tag, with a legend naming the runs', () => {
    const svg = scalarsSvg(series, 'loss');
    expect(svg.match(/stroke-width="2"/g)).toHaveLength(2);
    expect(svg).toContain('>lr-0-1<');
    expect(svg).toContain('>lr-0-01<');
    expect(svg).toContain('>step<');
  });

  it('makes a chart per tag in order, escaping tags, and a table of last values', () => {
    expect(tagsOf(series)).toEqual(['eval/<acc>', 'loss']);
    expect(scalarsCharts(series, { tags: ['loss', 'eval/<acc>'] }).map((c) => c.tag)).toEqual([
      'loss',
      'eval/<acc>',
    ]);
    expect(lastScalars(series)[1]).toEqual({
      run: 'lr-0-01',
      tag: 'loss',
      step: 3,
      value: 2 / 3,
      min: 2 / 3,
      max: 2,
    });
    const html = scalarsHtml(series, { title: 'sweep <1>' });
    expect(html).toContain('sweep &lt;1&gt;');
    expect(html).toContain('eval/&lt;acc&gt;');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<table');
    expect(scalarsHtml(series, { runs: ['lr-0-01'], table: false }).match(/<svg /g)).toHaveLength(1);
    expect(scalarsHtml([])).toContain('No scalars yet.');
  });

  it('showScalars reads a source and returns its series (no display outside tslab)', async () => {
    expect(await showScalars({ readScalars: async () => series })).toEqual(series);
    expect(await showScalars(series)).toEqual(series);
  });
});
