/**
 * Vertex AI's image `Visualization` settings and the highlight they select, shared by the overlay renderer.
 * The rules match the emulator's `b64_jpeg` rendering (tvx_serving `explain/visualize.py`):
 *
 * 1. polarity picks the magnitudes shown: positive `max(a, 0)`, negative `max(-a, 0)`, both `|a|`;
 * 2. clipping: magnitudes at or below the `clipPercentLowerbound` percentile are dropped, those above the
 *    `clipPercentUpperbound` percentile saturate: `t = (m − lo) / (hi − lo)` in [0, 1];
 * 3. `pixels` shows `t` per pixel; `outlines` marks the border pixels of the highlighted region.
 */

/** Vertex's `Visualization` message, with its enum values in lower case. */
export interface VisualizationOptions {
  /** `outlines` (default for integrated gradients) or `pixels` (default for XRAI). */
  type?: 'pixels' | 'outlines';
  /** Which attributions are highlighted (default `positive`). */
  polarity?: 'positive' | 'negative' | 'both';
  /** Default `pink_green` for integrated gradients (positive green, negative pink), `viridis` for XRAI. */
  colorMap?: 'pink_green' | 'viridis' | 'red' | 'green' | 'red_green' | 'pink_white_green';
  /** Magnitudes above this percentile saturate (default 99.9). */
  clipPercentUpperbound?: number;
  /** Magnitudes at or below this percentile are not highlighted (default 62). */
  clipPercentLowerbound?: number;
  /** What is under the highlight: black (`none`, default), the image, its grey levels, or the image masked. */
  overlayType?: 'none' | 'original' | 'grayscale' | 'mask_black';
  /** Which method's defaults apply to unset fields (default `integrated_gradients`). */
  method?: 'integrated_gradients' | 'xrai';
}

/** Every field set: the given options over Vertex's defaults for the method. */
export type ResolvedVisualization = Required<Omit<VisualizationOptions, 'method'>>;

/**
 * Fills in Vertex's defaults. Accepts Vertex's upper-case enum names too (`PIXELS`, `PINK_GREEN` …), as an
 * `ExplanationMetadata` visualization holds them; `*_UNSPECIFIED` means the default.
 */
export function resolveVisualization(options: VisualizationOptions = {}): ResolvedVisualization {
  const xrai = options.method === 'xrai';
  const pick = <T extends string>(value: string | undefined, fallback: T): T => {
    const v = value?.toLowerCase();
    return (!v || v.endsWith('_unspecified') ? fallback : v) as T;
  };
  const upper = options.clipPercentUpperbound ?? 99.9;
  const lower = options.clipPercentLowerbound ?? 62;
  for (const [name, value] of [
    ['clipPercentUpperbound', upper],
    ['clipPercentLowerbound', lower],
  ] as const)
    if (!(value >= 0 && value <= 100))
      throw new RangeError(
        `visualization.${name}: ${value} is not a percentile; give a number from 0 to 100`,
      );
  return {
    type: pick(options.type, xrai ? 'pixels' : 'outlines'),
    polarity: pick(options.polarity, 'positive'),
    colorMap: pick(options.colorMap, xrai ? 'viridis' : 'pink_green'),
    clipPercentUpperbound: upper,
    clipPercentLowerbound: lower,
    overlayType: pick(options.overlayType, 'none'),
  };
}

/** The `p`-th percentile of `values` with linear interpolation (NumPy's default method). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/**
 * The highlight strength `t` in [0, 1] of each pixel (row-major `width × height`) under the polarity,
 * clipping and type of `v`; 0 means not highlighted.
 */
export function highlight(
  values: ArrayLike<number>,
  width: number,
  height: number,
  v: ResolvedVisualization,
): Float32Array {
  const n = width * height;
  if (values.length !== n)
    throw new RangeError(`highlight: ${values.length} attribution values for a ${width} × ${height} image`);
  const magnitude = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = values[i]!;
    magnitude[i] =
      v.polarity === 'positive' ? Math.max(a, 0) : v.polarity === 'negative' ? Math.max(-a, 0) : Math.abs(a);
  }
  const hi = percentile(magnitude, v.clipPercentUpperbound);
  const lo = percentile(magnitude, v.clipPercentLowerbound);
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = magnitude[i]!;
    t[i] = hi > lo ? Math.min(1, Math.max(0, (m - lo) / (hi - lo))) : m >= hi && m > 0 ? 1 : 0;
  }
  if (v.type !== 'outlines') return t;
  const inside = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && t[y * width + x]! > 0;
  const outline = new Float32Array(n);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (inside(x, y) && !(inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1)))
        outline[y * width + x] = 1;
  return outline;
}
