import { describe, expect, it } from 'vitest';
import { colourOf } from './colormaps.ts';
import { highlight, percentile, resolveVisualization } from './visualization.ts';

describe('visualization settings', () => {
  it("fills in Vertex's defaults per method and reads its enum names", () => {
    expect(resolveVisualization()).toEqual({
      type: 'outlines',
      polarity: 'positive',
      colorMap: 'pink_green',
      clipPercentUpperbound: 99.9,
      clipPercentLowerbound: 62,
      overlayType: 'none',
    });
    expect(resolveVisualization({ method: 'xrai' })).toMatchObject({ type: 'pixels', colorMap: 'viridis' });
    const vertex = { type: 'PIXELS', colorMap: 'COLOR_MAP_UNSPECIFIED', overlayType: 'GRAYSCALE' } as never;
    expect(resolveVisualization(vertex)).toMatchObject({
      type: 'pixels',
      colorMap: 'pink_green',
      overlayType: 'grayscale',
    });
    expect(() => resolveVisualization({ clipPercentLowerbound: 120 })).toThrow(/clipPercentLowerbound: 120/);
  });

  it('percentiles interpolate linearly, as NumPy', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i),
        62,
      ),
    ).toBeCloseTo(61.38, 10);
    expect(percentile([5], 99.9)).toBe(5);
  });

  it('polarity and clipping choose the highlighted pixels', () => {
    const values = Array.from({ length: 100 }, (_, i) => i - 50); // −50 … 49
    const v = resolveVisualization({ type: 'pixels', clipPercentLowerbound: 90, clipPercentUpperbound: 100 });
    const positive = highlight(values, 10, 10, v);
    expect([...positive].filter((t) => t > 0)).toHaveLength(10); // 40…49: above 39.1, the 90th percentile of max(a, 0)
    expect(positive[99]).toBe(1);
    const negative = highlight(values, 10, 10, { ...v, polarity: 'negative' });
    expect(negative[0]).toBe(1);
    expect(negative[99]).toBe(0);
    const both = highlight(values, 10, 10, { ...v, polarity: 'both', clipPercentUpperbound: 95 });
    expect(both[0]).toBe(1); // |−50| saturates above the 95th percentile
    expect(both[99]).toBe(1);
    expect([...both].filter((t) => t > 0).length).toBeGreaterThan(4);
  });

  it('outlines mark the border of the highlighted region only', () => {
    const values = Array.from({ length: 36 }, (_, i) =>
      i % 6 >= 1 && i % 6 <= 4 && i >= 6 && i < 30 ? 1 : 0,
    );
    const v = resolveVisualization({ type: 'outlines', clipPercentLowerbound: 10 });
    const t = highlight(values, 6, 6, v);
    expect(t[1 * 6 + 1]).toBe(1); // corner of the 4×4 square
    expect(t[2 * 6 + 2]).toBe(0); // inside
    expect(t[0]).toBe(0); // outside
    expect([...t].filter((x) => x > 0)).toHaveLength(12);
  });

  it('colour maps: signed greens and pinks, opaque viridis and pink-white-green', () => {
    expect(colourOf(0.5, true, 'pink_green')).toEqual({ rgb: [0, 255, 0], alpha: 0.5 });
    expect(colourOf(0.5, false, 'pink_green').rgb).toEqual([255, 0, 255]);
    expect(colourOf(1, false, 'red_green').rgb).toEqual([255, 0, 0]);
    expect(colourOf(1, false, 'green').rgb).toEqual([0, 255, 0]);
    expect(colourOf(1, true, 'red').rgb).toEqual([255, 0, 0]);
    expect(colourOf(1, true, 'viridis')).toEqual({ rgb: [253, 231, 37], alpha: 1 });
    expect(colourOf(0, true, 'viridis').alpha).toBe(0);
    expect(colourOf(0.01, true, 'viridis').rgb[0]).toBeCloseTo(68, 0);
    expect(colourOf(0.01, true, 'pink_white_green')).toMatchObject({ alpha: 1 });
    expect(colourOf(0.01, true, 'pink_white_green').rgb[0]).toBeGreaterThan(250); // nearly white
  });
});
