/**
 * A scatter chart as an SVG string: points with several marker shapes, optional straight or step lines,
 * linear / log / reverse-log / categorical x axes, markers placed on the x axis for points without a value,
 * tooltips and a legend. Show it with {@link showSvg}, or rasterize it with {@link svgToPng}.
 */
import { type Axis, type AxisScale, buildAxis } from './axis.ts';
import { escapeHtml } from './html.ts';
import { type Frame, PALETTE, svgOpen, text } from './svg-chart.ts';

/** Marker of a {@link ScatterSeries}: `ring` is an open circle, e.g. to highlight a point drawn by another series. */
export type MarkerShape = 'circle' | 'ring' | 'cross' | 'diamond' | 'none';

/** One point of a {@link ScatterSeries}. */
export interface ScatterPoint {
  /** A number, or a category name on a `category` axis. */
  x: number | string;
  /** Ignored (may be left out) in a series drawn `onXAxis`. */
  y?: number;
  /** Identifies the same item across series, so category jitter puts it at the same place. */
  id?: string;
  /** Shown on hover (an SVG `<title>`). */
  tooltip?: string;
}

/** A set of points drawn alike, with one legend entry. */
export interface ScatterSeries {
  name: string;
  points: readonly ScatterPoint[];
  /** Default: the palette colour of the series' index. */
  colour?: string;
  /** Default `circle`. */
  marker?: MarkerShape;
  /** Join the points in the order given: `straight` segments, or a `step` line (horizontal, then vertical). */
  line?: 'none' | 'straight' | 'step';
  /** Draw the markers on the x axis, ignoring `y` (e.g. trials that failed without a value). */
  onXAxis?: boolean;
  /** Leave this series out of the legend. */
  hideInLegend?: boolean;
}

/** Options of {@link scatterChartSvg}. */
export interface ScatterChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels (default 560 × 320). */
  width?: number;
  height?: number;
  /** Default `linear`; `category` when some x value is a string. */
  xScale?: AxisScale;
  /** Category axes: the categories in order (default: sorted numerically, else as first seen). */
  categories?: readonly string[];
  /** Whole-number x ticks only (e.g. trial numbers). */
  integerX?: boolean;
  /** Show the legend (default: when two or more series have points). */
  legend?: boolean;
  /** Written in the middle of the plot when no series has a point (default `No data`). */
  emptyMessage?: string;
}

const CHAR = 6.5; // approximate width of an 11px sans-serif character

/** `label` cut to `chars` characters with an ellipsis at the end, or in the `middle` (keeping both ends). */
function fit(label: string, chars: number, middle = false): string {
  if (label.length <= chars) return label;
  if (chars <= 1) return '…';
  const head = middle ? Math.ceil((chars - 1) / 2) : chars - 1;
  return `${label.slice(0, head)}…${label.slice(label.length - (chars - 1 - head))}`;
}

const LONGEST_CATEGORY = 24; // characters of a category name shown before it is shortened

const n2 = (v: number) => Number(v.toFixed(2));

function markerSvg(shape: MarkerShape, x: number, y: number, colour: string, tooltip?: string): string {
  const tip = tooltip ? `<title>${escapeHtml(tooltip)}</title>` : '';
  const close = (tag: string) => (tip ? `>${tip}</${tag}>` : '/>');
  switch (shape) {
    case 'circle':
      return `<circle cx="${x}" cy="${y}" r="3.5" fill="${colour}" fill-opacity="0.85"${close('circle')}`;
    case 'ring':
      return `<circle cx="${x}" cy="${y}" r="7" fill="none" stroke="${colour}" stroke-width="2.5"${close('circle')}`;
    case 'cross': {
      const s = 4;
      const d = `M${n2(x - s)},${n2(y - s)}L${n2(x + s)},${n2(y + s)}M${n2(x - s)},${n2(y + s)}L${n2(x + s)},${n2(y - s)}`;
      return `<path d="${d}" stroke="${colour}" stroke-width="2" fill="none"${close('path')}`;
    }
    case 'diamond': {
      const s = 5;
      const d = `M${x},${n2(y - s)}L${n2(x + s)},${y}L${x},${n2(y + s)}L${n2(x - s)},${y}Z`;
      return `<path d="${d}" fill="${colour}"${close('path')}`;
    }
    default:
      return '';
  }
}

/** Horizontal offsets (fractions of a band) spreading the points that share a category. */
function jitter(series: readonly ScatterSeries[]): Map<string, number> {
  const byCategory = new Map<string, string[]>();
  series.forEach((s, i) => {
    s.points.forEach((p, j) => {
      const ids = byCategory.get(String(p.x)) ?? [];
      const id = p.id ?? `${i}:${j}`;
      if (!ids.includes(id)) ids.push(id);
      byCategory.set(String(p.x), ids);
    });
  });
  const offsets = new Map<string, number>();
  for (const [category, ids] of byCategory) {
    ids.forEach((id, k) => {
      offsets.set(`${category}\u0000${id}`, ids.length > 1 ? ((k + 0.5) / ids.length - 0.5) * 0.6 : 0);
    });
  }
  return offsets;
}

/**
 * A scatter chart of one or more series, with axes, ticks, tooltips and a legend.
 *
 * @example
 * showSvg(scatterChartSvg([{ name: 'trials', points: [{ x: 0.01, y: 0.9 }, { x: 0.1, y: 0.8 }] }], { xScale: 'log' }));
 * @throws RangeError when a `log` x axis gets a value ≤ 0.
 */
export function scatterChartSvg(series: readonly ScatterSeries[], options: ScatterChartOptions = {}): string {
  const withPoints = series.filter((s) => s.points.length > 0);
  const legend = (options.legend ?? withPoints.length > 1) ? withPoints.filter((s) => !s.hideInLegend) : [];
  const xValues = series.flatMap((s) => s.points.map((p) => p.x));
  const xScale = options.xScale ?? (xValues.some((x) => typeof x === 'string') ? 'category' : 'linear');
  const yValues = series
    .filter((s) => !s.onXAxis)
    .flatMap((s) => s.points.map((p) => p.y ?? Number.NaN).filter(Number.isFinite));
  const empty = withPoints.length === 0;
  const xAxis: Axis = buildAxis(empty ? [] : xValues, xScale === 'category' || !empty ? xScale : 'linear', {
    categories: options.categories,
    integer: options.integerX,
  });
  const yAxis = buildAxis(yValues, 'linear');
  const yLabelChars = Math.max(1, ...yAxis.ticks.map((t) => t.label.length));
  const legendChars = Math.max(0, ...legend.map((s) => s.name.length));
  const width = options.width ?? 560;
  let left = Math.round((options.yLabel ? 22 : 6) + yLabelChars * CHAR + 8);
  const right = legend.length ? Math.round(34 + Math.min(legendChars, 24) * CHAR) : 16;
  // Category names too long for their band are written slanted, below the axis.
  const categoryChars = Math.min(
    LONGEST_CATEGORY,
    Math.max(0, ...(xAxis.categories ?? []).map((c) => c.length)),
  );
  const band0 = (width - left - right) / Math.max(1, xAxis.categories?.length ?? 1);
  const slanted = !empty && categoryChars * CHAR > band0 - 6;
  // …and the first one must not run off the left edge.
  if (slanted) left = Math.max(left, Math.ceil(categoryChars * CHAR * 0.82 - band0 / 2 + 4));
  const f: Frame = {
    width,
    height: options.height ?? 320,
    left,
    right,
    top: options.title ? 30 : 12,
    bottom: (options.xLabel ? 42 : 26) + (slanted ? Math.round(categoryChars * CHAR * 0.58) : 0),
  };
  const plotW = f.width - f.left - f.right;
  const plotH = f.height - f.top - f.bottom;
  const bottom = f.top + plotH;
  const title = options.title && fit(options.title, Math.floor((f.width - f.left) / 7.5));
  const parts = [svgOpen(f, title)];
  const sx = (x: number | string) => n2(f.left + xAxis.position(x) * plotW);
  // Room above the x axis, so markers drawn on it stay apart from the lowest values.
  const gap = series.some((s) => s.onXAxis && s.points.length > 0) ? 14 : 0;
  const sy = (y: number) => n2(f.top + (plotH - gap) * (1 - yAxis.position(y)));

  // Bands and category names, or grid lines and numbers.
  if (xAxis.categories && !empty) {
    const band = plotW / Math.max(1, xAxis.categories.length);
    xAxis.categories.forEach((c, i) => {
      const x = f.left + i * band;
      if (i % 2 === 1)
        parts.push(`<rect x="${n2(x)}" y="${f.top}" width="${n2(band)}" height="${plotH}" fill="#f4f6f8"/>`);
      const label = fit(c, LONGEST_CATEGORY, true);
      const cx = n2(x + band / 2);
      if (slanted)
        parts.push(
          text(
            cx + 4,
            bottom + 12,
            label,
            ` text-anchor="end" transform="rotate(-35 ${cx + 4} ${bottom + 12})"`,
          ),
        );
      else parts.push(text(cx, bottom + 16, label, ' text-anchor="middle"'));
    });
  } else if (!empty) {
    for (const t of xAxis.ticks) {
      parts.push(
        `<line x1="${sx(t.value)}" x2="${sx(t.value)}" y1="${f.top}" y2="${bottom}" stroke="#f0f0f0"/>`,
      );
      parts.push(text(sx(t.value), bottom + 16, t.label, ' text-anchor="middle"'));
    }
  }
  if (yValues.length > 0) {
    for (const t of yAxis.ticks) {
      parts.push(
        `<line x1="${f.left}" x2="${f.left + plotW}" y1="${sy(Number(t.value))}" y2="${sy(Number(t.value))}" stroke="#e8e8e8"/>`,
      );
      parts.push(text(f.left - 6, sy(Number(t.value)) + 4, t.label, ' text-anchor="end"'));
    }
  }
  parts.push(`<path d="M${f.left},${f.top}V${bottom}H${f.left + plotW}" fill="none" stroke="#888"/>`);
  if (empty) {
    const message = options.emptyMessage ?? 'No data';
    parts.push(
      text(
        n2(f.left + plotW / 2),
        n2(f.top + plotH / 2),
        message,
        ' text-anchor="middle" fill-opacity="0.8"',
        13,
      ),
    );
  }

  const offsets = xAxis.categories ? jitter(series) : undefined;
  const band = xAxis.categories ? plotW / Math.max(1, xAxis.categories.length) : 0;
  const colours = series.map((s, i) => escapeHtml(s.colour ?? PALETTE[i % PALETTE.length]));
  const place = (s: ScatterSeries, i: number, j: number): [number, number] | undefined => {
    const p = s.points[j]!;
    let x = sx(p.x);
    if (offsets) x = n2(x + (offsets.get(`${String(p.x)}\u0000${p.id ?? `${i}:${j}`}`) ?? 0) * band);
    const y = s.onXAxis ? bottom : p.y === undefined ? Number.NaN : sy(p.y);
    return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : undefined;
  };
  // Lines first, markers on top, each series in its own group.
  const lines: string[] = [];
  const markers: string[] = [];
  series.forEach((s, i) => {
    const placed = s.points.map((_, j) => place(s, i, j));
    const kept = placed.filter((p): p is [number, number] => p !== undefined);
    if (s.line && s.line !== 'none' && kept.length > 0) {
      const d = kept
        .map(([x, y], j) => (j === 0 ? `M${x},${y}` : s.line === 'step' ? `H${x}V${y}` : `L${x},${y}`))
        .join('');
      lines.push(
        `<path data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${colours[i]}" stroke-width="2"/>`,
      );
    }
    const shape = s.marker ?? 'circle';
    const drawn = placed.map((p, j) =>
      p ? markerSvg(shape, p[0], p[1], colours[i]!, s.points[j]!.tooltip) : '',
    );
    if (shape !== 'none' && kept.length > 0)
      markers.push(`<g data-series="${escapeHtml(s.name)}">${drawn.join('')}</g>`);
  });
  parts.push(...lines, ...markers);

  legend.forEach((s, k) => {
    const i = series.indexOf(s);
    const x = f.width - f.right + 14;
    const y = f.top + 10 + k * 18;
    const shape = s.marker ?? 'circle';
    if (shape === 'none' || (s.line && s.line !== 'none' && shape === 'circle'))
      parts.push(
        `<line x1="${x - 6}" x2="${x + 6}" y1="${y}" y2="${y}" stroke="${colours[i]}" stroke-width="2"/>`,
      );
    if (shape !== 'none') parts.push(markerSvg(shape === 'ring' ? 'ring' : shape, x, y, colours[i]!));
    parts.push(text(x + 14, y + 4, fit(s.name, 24)));
  });
  if (options.xLabel)
    parts.push(text(n2(f.left + plotW / 2), f.height - 8, options.xLabel, ' text-anchor="middle"'));
  if (options.yLabel) {
    const y = n2(f.top + plotH / 2);
    const x = Math.max(14, Math.round(f.left - yLabelChars * CHAR - 16));
    parts.push(text(x, y, options.yLabel, ` text-anchor="middle" transform="rotate(-90 ${x} ${y})"`));
  }
  return `${parts.join('')}</svg>`;
}
