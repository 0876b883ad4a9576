/** Tabular attributions as a horizontal bar chart (SVG): features sorted by |attribution|, signed colours. */
import { escapeHtml, niceTicks, tickLabel } from '@terra-vertex/core';
import type { TabularAttributionMap, TabularAttributionResult } from './attributions.ts';

/** Options of {@link tabularAttributionsSvg}. */
export interface TabularChartOptions {
  /** Default: the explained output and its value against the baseline's. */
  title?: string;
  /** The strongest features shown (default 20); the rest are summed into one "other features" bar. */
  maxFeatures?: number;
  /** Pixels (default 560). */
  width?: number;
  /** Colours of positive and negative bars (default green and red, as Vertex's red_green map). */
  positiveColour?: string;
  negativeColour?: string;
}

const ROW = 22;

function label(x: number, y: number, content: string, attrs = '', size = 11, fill = '#333'): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="sans-serif" font-size="${size}" fill="${fill}"${attrs}>${escapeHtml(content)}</text>`;
}

/**
 * A bar chart of tabular attributions: one bar per feature from zero, longest first, positive to the
 * right in green and negative to the left in red, each with its value.
 *
 * @example
 * showSvg(tabularAttributionsSvg(result));
 */
export function tabularAttributionsSvg(
  result: TabularAttributionResult | TabularAttributionMap,
  options: TabularChartOptions = {},
): string {
  const map = ('kind' in result ? result.map : result) as TabularAttributionMap;
  const sorted = Object.entries(map)
    .filter(([, v]) => Number.isFinite(v))
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const limit = Math.max(1, options.maxFeatures ?? 20);
  const rows: [string, number][] = sorted.slice(0, limit);
  if (sorted.length > limit)
    rows.push([
      `${sorted.length - limit} other features`,
      sorted.slice(limit).reduce((s, [, v]) => s + v, 0),
    ]);
  const title =
    options.title ??
    ('kind' in result
      ? `Attributions${result.label ? ` for ${result.label}` : ''}: output ${tickLabel(result.instanceOutputValue)} vs baseline ${tickLabel(result.baselineOutputValue)}`
      : 'Attributions');
  const width = options.width ?? 560;
  const left = Math.min(220, 16 + 6.5 * Math.max(4, ...rows.map(([n]) => n.length)));
  const right = 56;
  const top = 34;
  const height = top + Math.max(1, rows.length) * ROW + 30;
  const values = rows.map(([, v]) => v);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values, 1e-12), 4);
  const lo = Math.min(0, ticks[0] ?? 0, ...values);
  const hi = Math.max(0, ticks.at(-1) ?? 0, ...values);
  const span = hi - lo || 1;
  // Room for the value printed left of a negative bar, so that it does not run into the feature names.
  const pad = values.some((v) => v < 0) ? 44 : 0;
  const x = (v: number) => left + pad + ((v - lo) / span) * (width - left - pad - right);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    label(8, 18, title, ' font-weight="bold"', 13),
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top - 4}" y2="${height - 26}" stroke="#eee"/>`,
    );
    parts.push(label(x(t), height - 12, tickLabel(t), ' text-anchor="middle"', 11, '#666'));
  }
  rows.forEach(([name, v], i) => {
    const y = top + i * ROW;
    const x0 = Math.min(x(0), x(v));
    const colour = v >= 0 ? (options.positiveColour ?? '#2ca02c') : (options.negativeColour ?? '#d62728');
    parts.push(label(left - 8, y + 15, name, ' text-anchor="end" class="feature"'));
    parts.push(
      `<rect x="${x0.toFixed(1)}" y="${y + 4}" width="${Math.max(1, Math.abs(x(v) - x(0))).toFixed(1)}" height="${ROW - 8}" fill="${colour}"><title>${escapeHtml(`${name}: ${v}`)}</title></rect>`,
    );
    const end = v >= 0 ? x(v) + 4 : x(v) - 4;
    parts.push(label(end, y + 15, tickLabel(Number(v.toPrecision(3))), v >= 0 ? '' : ' text-anchor="end"'));
  });
  parts.push(
    `<line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="${top - 4}" y2="${height - 26}" stroke="#333"/>`,
  );
  parts.push('</svg>');
  return parts.join('');
}
