/** The colour maps of Vertex's image visualization, as RGB plus opacity for a highlight strength and sign. */
import type { ResolvedVisualization } from './visualization.ts';

/** Red, green and blue, 0–255. @inline */
type Rgb = readonly [number, number, number];

export const GREEN: Rgb = [0, 255, 0];
export const PINK: Rgb = [255, 0, 255];
export const RED: Rgb = [255, 0, 0];
const WHITE: Rgb = [255, 255, 255];
/** Matplotlib's viridis at 0, 1/8 … 1. */
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

const mix = (a: Rgb, b: Rgb, f: number): Rgb => [
  a[0] + (b[0] - a[0]) * f,
  a[1] + (b[1] - a[1]) * f,
  a[2] + (b[2] - a[2]) * f,
];

/**
 * The colour and opacity of a highlighted pixel: `pink_green`, `red`, `green` and `red_green` blend their
 * colour with opacity `t`; `viridis` (t along the map) and `pink_white_green` (white to the sign's colour)
 * are opaque wherever `t > 0`.
 */
export function colourOf(
  t: number,
  positive: boolean,
  map: ResolvedVisualization['colorMap'],
): { rgb: Rgb; alpha: number } {
  if (map === 'viridis') {
    const at = t * (VIRIDIS.length - 1);
    const low = Math.min(VIRIDIS.length - 2, Math.max(0, Math.floor(at)));
    return { rgb: mix(VIRIDIS[low]!, VIRIDIS[low + 1]!, at - low), alpha: t > 0 ? 1 : 0 };
  }
  if (map === 'pink_white_green')
    return { rgb: mix(WHITE, positive ? GREEN : PINK, t), alpha: t > 0 ? 1 : 0 };
  const [up, down] =
    map === 'red'
      ? [RED, RED]
      : map === 'green'
        ? [GREEN, GREEN]
        : map === 'red_green'
          ? [GREEN, RED]
          : [GREEN, PINK];
  return { rgb: positive ? up : down, alpha: t };
}
