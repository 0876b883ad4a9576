/**
 * Chart axes: linear, logarithmic, reverse-logarithmic and categorical scales with their ticks. Pure
 * functions; {@link scatterChartSvg} draws with them.
 */
import { formatValue } from './html.ts';
import { niceTicks } from './svg-chart.ts';

/**
 * How values map onto an axis. `log` needs positive values; `reverse_log` spreads out values near the top
 * of the range (e.g. momentum 0.9, 0.99, 0.999: distance to 1 on a log scale); `category` gives each
 * distinct value an evenly spaced band.
 */
export type AxisScale = 'linear' | 'log' | 'reverse_log' | 'category';

/** One labelled tick of an {@link Axis}. */
export interface AxisTick {
  value: number | string;
  /** Position along the axis, 0 (start) to 1 (end). */
  at: number;
  label: string;
}

/** A scale fitted to some values: where each value goes, and the ticks to label. */
export interface Axis {
  scale: AxisScale;
  /** Position of a value along the axis, 0 (start) to 1 (end); NaN for a value the axis cannot place. */
  position(value: number | string): number;
  ticks: AxisTick[];
  /** Category axes: the categories in axis order. */
  categories?: string[];
}

/** Options of {@link buildAxis}. */
export interface AxisOptions {
  /** Category axes: the categories in order (default: numeric ones sorted, others as first seen). */
  categories?: readonly string[];
  /** Numeric axes: keep whole-number ticks only (e.g. trial numbers). */
  integer?: boolean;
  /** About how many ticks (default 5). */
  tickCount?: number;
}

/** Compact tick text: `1e-4` rather than `0.0001` for very small or large magnitudes. */
export function tickLabel(value: number): string {
  const magnitude = Math.abs(value);
  if (value !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    return Number(value.toPrecision(3)).toExponential().replace('e+', 'e');
  }
  return formatValue(value);
}

const clean = (value: number) => Number(value.toPrecision(12));

/**
 * Round tick values for a logarithmic axis over [min, max] (both positive): powers of ten when the range
 * spans at least one, else 1-2-5 or 1…9 multiples of them, else linear {@link niceTicks}.
 */
export function logTicks(min: number, max: number, count = 5): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const inRange = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const k0 = Math.floor(Math.log10(min));
  const k1 = Math.ceil(Math.log10(max));
  const candidates = (multiples: number[]) => {
    const out: number[] = [];
    for (let k = k0; k <= k1; k++) for (const m of multiples) out.push(clean(m * 10 ** k));
    return out.filter(inRange);
  };
  const decades = candidates([1]);
  if (decades.length >= 2) {
    const every = Math.ceil(decades.length / Math.max(count + 3, 2));
    return decades.filter((_, i) => i % every === 0);
  }
  for (const multiples of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const ticks = candidates(multiples);
    if (ticks.length >= 2 && ticks.length <= count + 4) return ticks;
  }
  return niceTicks(min, max, count).filter((t) => t > 0);
}

function extentOf(values: number[], pad: (lo: number, hi: number) => number): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const margin = pad(lo, hi);
  lo -= margin;
  hi += margin;
  return [lo, hi];
}

function numericAxis(scale: 'linear' | 'log' | 'reverse_log', values: number[], options: AxisOptions): Axis {
  const count = options.tickCount ?? 5;
  // Map to a linear "transformed" space t, pad there, and place ticks back in value space.
  let offset = 1;
  if (scale === 'reverse_log') {
    const max = Math.max(...values);
    const min = Math.min(...values);
    offset = max < 1 ? 1 : max + min;
  }
  const forward = (v: number) =>
    scale === 'log' ? Math.log10(v) : scale === 'reverse_log' ? -Math.log10(offset - v) : v;
  const backward = (t: number) =>
    scale === 'log' ? 10 ** t : scale === 'reverse_log' ? offset - 10 ** -t : t;
  const transformed = values.map(forward);
  if (transformed.some((t) => !Number.isFinite(t))) {
    throw new RangeError(
      `${scale} axis: cannot place ${values.find((v) => !Number.isFinite(forward(v)))}; ` +
        (scale === 'log' ? 'values must be positive' : `values must be below ${offset}`),
    );
  }
  const [t0, t1] = extentOf(transformed, (lo, hi) =>
    lo === hi ? (scale === 'linear' ? Math.abs(lo) * 0.1 || 1 : 0.5) : (hi - lo) * 0.05,
  );
  const v0 = backward(t0);
  const v1 = backward(t1);
  let values_: number[];
  if (scale === 'linear') values_ = niceTicks(v0, v1, count);
  else if (scale === 'log') values_ = logTicks(v0, v1, count);
  else
    values_ = logTicks(offset - v1, offset - v0, count)
      .map((u) => clean(offset - u))
      .reverse();
  if (options.integer) values_ = values_.filter(Number.isInteger);
  const position = (value: number | string) => (forward(Number(value)) - t0) / (t1 - t0);
  const ticks = values_.map((v) => ({ value: v, at: position(v), label: tickLabel(v) }));
  return { scale, position, ticks: ticks.filter((t) => t.at >= -1e-9 && t.at <= 1 + 1e-9) };
}

/** Distinct values as category names: numeric ones sorted by value, then the others as first seen. */
export function categoriesOf(values: readonly (number | string)[]): string[] {
  const distinct = [...new Set(values.map(String))];
  const numeric = distinct.filter((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  const other = distinct.filter((v) => !numeric.includes(v));
  return [...numeric.sort((a, b) => Number(a) - Number(b)), ...other];
}

/**
 * An axis fitted to `values` (padded by 5% on numeric scales).
 *
 * @throws RangeError when a `log` axis gets a value ≤ 0 (or a `reverse_log` one cannot place a value).
 */
export function buildAxis(
  values: readonly (number | string)[],
  scale: AxisScale,
  options: AxisOptions = {},
): Axis {
  if (scale === 'category') {
    const categories = options.categories ? [...options.categories] : categoriesOf(values);
    const index = new Map(categories.map((c, i) => [c, i]));
    const position = (value: number | string) =>
      ((index.get(String(value)) ?? Number.NaN) + 0.5) / categories.length;
    const ticks = categories.map((c) => ({ value: c, at: position(c), label: c }));
    return { scale, position, ticks, categories };
  }
  const numbers = values.map(Number).filter(Number.isFinite);
  return numericAxis(scale, numbers, options);
}
