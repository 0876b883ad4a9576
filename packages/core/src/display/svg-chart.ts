/**
 * Small SVG charts for notebooks (a line chart and a timeline), as strings: show them with
 * `tslab.display.svg(…)` or {@link showSvg}. No fonts or scripts are embedded.
 */
import { escapeHtml, formatValue } from './html.ts';

/** Colours of successive series (colour-blind-safe Tableau 10 order). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];

/** One line of a {@link lineChartSvg}. */
export interface Series {
  name: string;
  /** `[x, y]` pairs; drawn in the order given. */
  points: ReadonlyArray<readonly [number, number]>;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels (default 480 × 280). */
  width?: number;
  height?: number;
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

/** Chart size and margins in pixels (shared by the chart modules, not exported from the package). */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A `<text>` element with the charts' font; `content` is escaped. */
export function text(x: number, y: number, content: string, attrs = '', size = 11): string {
  return `<text x="${x}" y="${y}" font-family="sans-serif" font-size="${size}" fill="#333"${attrs}>${escapeHtml(content)}</text>`;
}

/** The opening `<svg>` tag, a white background and the optional bold title. */
export function svgOpen(frame: Frame, title?: string): string {
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}">`;
  const background = `<rect width="${frame.width}" height="${frame.height}" fill="#fff"/>`;
  const caption = title ? text(frame.left, 16, title, ' font-weight="bold"', 13) : '';
  return head + background + caption;
}

function extent(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/**
 * A line chart of one or more series with axes, ticks and a legend.
 *
 * @example
 * tslab.display.svg(lineChartSvg([{ name: 'loss', points: [[1, 0.7], [2, 0.4]] }], { xLabel: 'epoch' }));
 */
export function lineChartSvg(series: readonly Series[], options: LineChartOptions = {}): string {
  const f: Frame = {
    width: options.width ?? 480,
    height: options.height ?? 280,
    left: 56,
    right: 16 + (series.length > 1 ? 110 : 0),
    top: options.title ? 28 : 12,
    bottom: 40,
  };
  const all = series.flatMap((s) => s.points);
  const xTicks = niceTicks(...extent(all.map(([x]) => x)));
  const yTicks = niceTicks(...extent(all.map(([, y]) => y)));
  const [x0, x1] = extent([...all.map(([x]) => x), ...xTicks]);
  const [y0, y1] = extent([...all.map(([, y]) => y), ...yTicks]);
  const plotW = f.width - f.left - f.right;
  const plotH = f.height - f.top - f.bottom;
  const sx = (x: number) => Number((f.left + ((x - x0) / (x1 - x0)) * plotW).toFixed(2));
  const sy = (y: number) => Number((f.top + plotH - ((y - y0) / (y1 - y0)) * plotH).toFixed(2));
  const parts = [svgOpen(f, options.title)];
  for (const t of yTicks) {
    parts.push(`<line x1="${f.left}" x2="${f.left + plotW}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`);
    parts.push(text(f.left - 6, sy(t) + 4, formatValue(t), ' text-anchor="end"'));
  }
  for (const t of xTicks)
    parts.push(text(sx(t), f.top + plotH + 16, formatValue(t), ' text-anchor="middle"'));
  parts.push(`<path d="M${f.left},${f.top}V${f.top + plotH}H${f.left + plotW}" fill="none" stroke="#888"/>`);
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x)},${sy(y)}`).join('');
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [x, y] of s.points)
      parts.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="2.5" fill="${colour}"/>`);
    if (series.length > 1) {
      const ly = f.top + 8 + i * 16;
      parts.push(
        `<rect x="${f.width - f.right + 12}" y="${ly - 8}" width="10" height="10" fill="${colour}"/>`,
      );
      parts.push(text(f.width - f.right + 26, ly + 1, s.name));
    }
  });
  if (options.xLabel)
    parts.push(text(f.left + plotW / 2, f.height - 6, options.xLabel, ' text-anchor="middle"'));
  if (options.yLabel) {
    const y = f.top + plotH / 2;
    parts.push(text(12, y, options.yLabel, ` text-anchor="middle" transform="rotate(-90 12 ${y})"`));
  }
  return `${parts.join('')}</svg>`;
}

/** One bar of a {@link timelineSvg}: a labelled interval, in milliseconds (e.g. `Date.getTime()`). */
export interface TimelineBar {
  label: string;
  start: number;
  end: number;
  /** Default: the palette colour of the bar's index. */
  colour?: string;
}

/**
 * A timeline (Gantt chart) of labelled intervals, with seconds from the earliest start on the x axis:
 * e.g. when each replica of a distributed job ran.
 */
export function timelineSvg(
  bars: readonly TimelineBar[],
  options: { title?: string; width?: number } = {},
): string {
  const rowH = 22;
  const f: Frame = {
    width: options.width ?? 480,
    height: (options.title ? 28 : 12) + bars.length * rowH + 36,
    left: 120,
    right: 16,
    top: options.title ? 28 : 12,
    bottom: 36,
  };
  const t0 = bars.length ? Math.min(...bars.map((b) => b.start)) : 0;
  const t1 = bars.length ? Math.max(...bars.map((b) => b.end)) : 1;
  const ticks = niceTicks(0, Math.max((t1 - t0) / 1000, 0.001));
  const span = Math.max(ticks.at(-1) ?? 1, (t1 - t0) / 1000);
  const plotW = f.width - f.left - f.right;
  const sx = (ms: number) => Number((f.left + ((ms - t0) / 1000 / span) * plotW).toFixed(2));
  const parts = [svgOpen(f, options.title)];
  bars.forEach((b, i) => {
    const y = f.top + i * rowH;
    const colour = b.colour ?? PALETTE[i % PALETTE.length];
    const w = Math.max(1, sx(b.end) - sx(b.start));
    parts.push(text(f.left - 6, y + 15, b.label, ' text-anchor="end"'));
    parts.push(
      `<rect x="${sx(b.start)}" y="${y + 4}" width="${w.toFixed(2)}" height="${rowH - 8}" fill="${colour}"/>`,
    );
  });
  const axisY = f.top + bars.length * rowH + 4;
  parts.push(`<line x1="${f.left}" x2="${f.left + plotW}" y1="${axisY}" y2="${axisY}" stroke="#888"/>`);
  for (const t of ticks) {
    parts.push(text(sx(t0 + t * 1000), axisY + 14, formatValue(t), ' text-anchor="middle"'));
  }
  parts.push(text(f.left + plotW / 2, axisY + 30, 'seconds', ' text-anchor="middle"'));
  return `${parts.join('')}</svg>`;
}
