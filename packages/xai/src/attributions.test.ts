import { svgToPng } from '@terra-vertex/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Explanation, explain, toAttributionResults } from './attributions.ts';
import { showAttributions } from './show.ts';
import { tabularAttributionsSvg } from './tabular-chart.ts';

const base = { baselineOutputValue: 0.1, instanceOutputValue: 0.9, approximationError: 0.01 };
const IMAGE: Explanation = {
  predictions: [[0.1, 0.9]],
  deployedModelId: '7',
  explanations: [
    {
      attributions: [
        {
          ...base,
          outputIndex: [1],
          outputDisplayName: 'cat',
          featureAttributions: {
            image: {
              b64_jpeg: Buffer.from('jpeg').toString('base64'),
              attributions: [
                [0.5, 0.25],
                [0, 0.05],
              ],
            },
          },
        },
        {
          ...base,
          instanceOutputValue: 0.1,
          outputIndex: [0],
          featureAttributions: {
            image: {
              attributions: [
                [0, 0],
                [0, 0],
              ],
            },
          },
        },
      ],
    },
  ],
};
const TABULAR: Explanation = {
  predictions: [2],
  deployedModelId: '8',
  explanations: [
    {
      attributions: [
        { ...base, outputIndex: [], featureAttributions: { age: 0.5, income: -0.3, zip: 0.01 } },
      ],
    },
  ],
};

afterEach(() => {
  delete (globalThis as Record<string, unknown>).__tslab__;
});

describe('attribution results', () => {
  it('an image input becomes a per-pixel map with the rendered JPEG and every output', () => {
    const r = toAttributionResults(IMAGE)[0]!;
    expect(r.kind).toBe('image');
    if (r.kind !== 'image') return;
    expect(r).toMatchObject({
      instance: 0,
      deployedModelId: '7',
      label: 'cat',
      outputIndex: [1],
      prediction: [0.1, 0.9],
    });
    expect([r.map.feature, r.map.width, r.map.height]).toEqual(['image', 2, 2]);
    expect([...r.map.values]).toEqual([0.5, 0.25, 0, 0.05].map(Math.fround));
    expect(Buffer.from(r.map.visualization!).toString()).toBe('jpeg');
    expect(r.outputs.map((o) => o.outputIndex)).toEqual([[1], [0]]);
  });

  it('C×H×W and H×W×C arrays are summed over channels', () => {
    const chw = {
      ...IMAGE,
      explanations: [
        { attributions: [{ ...base, outputIndex: [0], featureAttributions: { x: [[[1, 2]], [[3, 4]]] } }] },
      ],
    };
    const r = toAttributionResults(chw)[0]!;
    expect(r.kind === 'image' && [...r.map.values]).toEqual([4, 6]);
    const hwc = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => [1, 1, 1]));
    const s = toAttributionResults({
      ...IMAGE,
      explanations: [{ attributions: [{ ...base, outputIndex: [0], featureAttributions: { x: hwc } }] }],
    })[0]!;
    expect(s.kind === 'image' && [s.map.width, s.map.values[0]]).toEqual([5, 3]);
  });

  it('tabular attributions: named scalars, or one array named by featureNames', () => {
    const [r] = toAttributionResults(TABULAR);
    expect(r).toMatchObject({ kind: 'tabular', map: { age: 0.5, income: -0.3, zip: 0.01 }, outputIndex: [] });
    const flat = {
      ...TABULAR,
      explanations: [{ attributions: [{ ...base, outputIndex: [], featureAttributions: { row: [1, 2] } }] }],
    };
    expect(toAttributionResults(flat)[0]!.map).toEqual({ 'row[0]': 1, 'row[1]': 2 });
    expect(toAttributionResults(flat, ['a', 'b'])[0]!.map).toEqual({ a: 1, b: 2 });
  });

  it('explain() calls the endpoint with the options and converts', async () => {
    const seen: unknown[] = [];
    const endpoint = {
      explain: async (...args: unknown[]) => {
        seen.push(args);
        return TABULAR;
      },
    };
    const [r] = await explain(endpoint as never, [[1, 2, 3]], { deployedModelId: '8', featureNames: ['x'] });
    expect(seen).toEqual([[[[1, 2, 3]], { deployedModelId: '8' }]]);
    expect(r!.kind).toBe('tabular');
  });

  it('a bar chart sorted by |value|, signed colours, the rest summed', () => {
    const [r] = toAttributionResults(TABULAR);
    const svg = tabularAttributionsSvg(r as never, { maxFeatures: 2 });
    expect(svg.startsWith('<svg')).toBe(true);
    const names = [...svg.matchAll(/class="feature">([^<]+)</g)].map((m) => m[1]);
    expect(names.slice(0, 3)).toEqual(['age', 'income', '1 other features']);
    expect(svg).toContain('fill="#2ca02c"');
    expect(svg).toContain('fill="#d62728"');
    expect(svg).toMatch(/Attributions: output 0.9 vs baseline 0.1/);
    expect(tabularAttributionsSvg({ 'a<b': 1 }, { title: 'T&T' })).toContain('a&lt;b');
    // Well-formed SVG: resvg parses it strictly (a repeated attribute once made browsers show nothing).
    expect(svgToPng(tabularAttributionsSvg({ a: 1, b: -2 }, { title: 'T' })).length).toBeGreaterThan(100);
  });

  it('showAttributions shows a caption and the PNG or SVG in tslab, nothing elsewhere', () => {
    const results = [...toAttributionResults(IMAGE), ...toAttributionResults(TABULAR)];
    expect(showAttributions(results)).toBe(false);
    const shown: string[] = [];
    const display = {
      html: () => shown.push('html'),
      svg: () => shown.push('svg'),
      png: () => shown.push('png'),
    };
    (globalThis as Record<string, unknown>).__tslab__ = {
      require: () => ({ display, newDisplay: () => display }),
    };
    expect(showAttributions(results, { visualization: { type: 'pixels' } })).toBe(true);
    expect(shown).toEqual(['html', 'png', 'html', 'svg']);
  });
});
