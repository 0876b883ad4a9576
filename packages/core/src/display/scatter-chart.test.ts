import { describe, expect, it } from 'vitest';
import { scatterChartSvg } from './scatter-chart.ts';

/** The markup of one series' marker group. */
const group = (svg: string, name: string) =>
  svg.match(new RegExp(`<g data-series="${name}">(.*?)</g>`))?.[1] ?? '';

function expectWellFormedTags(svg: string): void {
  for (const tag of svg.match(/<[a-z]+ [^>]*>/g) ?? []) {
    const names = [...tag.matchAll(/ ([a-z-]+)=/g)].map((m) => m[1]);
    expect(new Set(names).size, `duplicate attribute in ${tag}`).toBe(names.length);
  }
  expect(svg).not.toContain('NaN');
}

describe('scatter chart', () => {
  it('draws one marker per point, lines under markers, and a legend', () => {
    const svg = scatterChartSvg(
      [
        {
          name: 'line',
          points: [
            { x: 1, y: 1 },
            { x: 2, y: 3 },
          ],
          line: 'step',
          marker: 'none',
        },
        {
          name: 'points',
          points: [
            { x: 1, y: 1 },
            { x: 2, y: 3 },
            { x: 3, y: 2 },
          ],
        },
        { name: 'failed', points: [{ x: 4 }], marker: 'cross', onXAxis: true },
      ],
      { title: 'chart', xLabel: 'x', yLabel: 'y' },
    );
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="560" height="320"/);
    expect(group(svg, 'points').match(/<circle/g)).toHaveLength(3);
    expect(group(svg, 'failed').match(/<path/g)).toHaveLength(1);
    expect(svg).toMatch(/<path data-series="line" d="M[\d.]+,[\d.]+H[\d.]+V[\d.]+"/);
    expect(svg.indexOf('data-series="line"')).toBeLessThan(svg.indexOf('<g data-series="points"'));
    for (const name of ['line', 'points', 'failed']) expect(svg).toContain(`>${name}</text>`);
    expectWellFormedTags(svg);
  });

  it('puts markers of onXAxis series on the x axis line', () => {
    const svg = scatterChartSvg([
      { name: 'a', points: [{ x: 1, y: 5 }] },
      { name: 'b', points: [{ x: 2 }], marker: 'diamond', onXAxis: true },
    ]);
    const axisY = Number(svg.match(/<path d="M[\d.]+,[\d.]+V([\d.]+)H/)![1]);
    const diamond = group(svg, 'b').match(/<path d="M[\d.]+,([\d.]+)L/)!;
    expect(Number(diamond[1]) + 5).toBeCloseTo(axisY, 5);
  });

  it('draws categorical x values in bands named on the axis, with shared jitter by id', () => {
    const svg = scatterChartSvg(
      [
        { name: 'all', points: ['a', 'a', 'b'].map((x, i) => ({ x, y: i, id: String(i) })) },
        { name: 'best', points: [{ x: 'a', y: 1, id: '1' }], marker: 'ring' },
      ],
      { categories: ['a', 'b', 'c'] },
    );
    expect(svg.match(/fill="#f4f6f8"/g)).toHaveLength(1);
    for (const c of ['a', 'b', 'c']) expect(svg).toContain(`>${c}</text>`);
    const xs = [...group(svg, 'all').matchAll(/cx="([\d.]+)"/g)].map((m) => m[1]);
    expect(xs[0]).not.toBe(xs[1]);
    expect(group(svg, 'best')).toContain(`cx="${xs[1]}"`);
  });

  it('slants category names too long for their band, shortening very long ones in the middle', () => {
    const names = ['a_rather_long_category_name', 'another_long_category_name_2', 'short'];
    const svg = scatterChartSvg([{ name: 'all', points: names.map((x, i) => ({ x, y: i })) }], {
      width: 300,
    });
    expect(svg.match(/text-anchor="end" transform="rotate\(-35 /g)).toHaveLength(3);
    expect(svg).toContain('>a_rather_lon…tegory_name</text>');
    expect(svg).toContain('>short</text>');
    const roomy = scatterChartSvg([{ name: 'all', points: [{ x: 'a', y: 1 }] }]);
    expect(roomy).not.toContain('rotate(-35');
  });

  it('escapes names, tooltips and colours', () => {
    const svg = scatterChartSvg(
      [
        { name: '<a> & "b"', points: [{ x: 1, y: 1, tooltip: '<script>' }], colour: '"red' },
        { name: 'c', points: [{ x: 2, y: 2 }] },
      ],
      { title: "it's <b>" },
    );
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<a>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('&lt;a&gt; &amp; &quot;b&quot;');
    expect(svg).toContain('it&#39;s &lt;b&gt;');
    expectWellFormedTags(svg);
  });

  it('writes a message instead of a plot when there are no points', () => {
    const svg = scatterChartSvg([{ name: 'a', points: [] }], { emptyMessage: 'Nothing yet' });
    expect(svg).toContain('>Nothing yet</text>');
    expect(svg).not.toContain('<circle');
    expect(scatterChartSvg([])).toContain('>No data</text>');
    expectWellFormedTags(svg);
  });
});
