/**
 * The pictures of a comparison report: ROC and precision–recall curves as SVG line charts on the unit
 * square (rendered to PNG with core's `svgToPng`), and confusion matrices as core's PNG heatmaps with
 * their class labels around them in HTML. Hand-written instead of core's `lineChartSvg` because that
 * one marks every point (a micro-averaged curve of 10 classes has thousands) and has 7 colours (digits
 * have 10 classes), and curves need fixed [0, 1] axes and a chance diagonal.
 */
import { escapeHtml, heatmapPng, PALETTE, svgToPng } from '@terra-vertex/core';
import type { CurvePoint } from './types.ts';

/** Tableau 10: core's seven colours and the three that complete the set. */
export const CURVE_COLOURS = [...PALETTE, '#ff9da7', '#9c755f', '#bab0ac'];

/** One curve of a {@link curveChartSvg}. */
export interface CurveSeries {
  name: string;
  points: readonly CurvePoint[];
  /** Default: the colour of the series' index; `dashed` draws it black and dashed (e.g. the micro average). */
  colour?: string;
  dashed?: boolean;
}

/** Options of {@link curveChartSvg}. */
export interface CurveChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Draw the chance line y = x (ROC curves). */
  diagonal?: boolean;
  /** Plot area side in pixels (default 300); the legend adds 210 on the right. */
  size?: number;
}

function text(x: number, y: number, content: string, attrs = '', size = 11): string {
  return `<text x="${x}" y="${y}" font-family="sans-serif" font-size="${size}" fill="#333"${attrs}>${escapeHtml(content)}</text>`;
}

/** Curves on the unit square with ticks every 0.2, a legend on the right and a bold title. */
export function curveChartSvg(series: readonly CurveSeries[], o: CurveChartOptions): string {
  const size = o.size ?? 300;
  const left = 48;
  const top = 30;
  const width = left + size + 210;
  const height = top + size + 42;
  const sx = (x: number) => (left + x * size).toFixed(1);
  const sy = (y: number) => (top + size - y * size).toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    text(left, 18, o.title, ' font-weight="bold"', 13),
  ];
  for (let i = 0; i <= 5; i++) {
    const v = i / 5;
    parts.push(`<line x1="${left}" x2="${left + size}" y1="${sy(v)}" y2="${sy(v)}" stroke="#eee"/>`);
    parts.push(`<line x1="${sx(v)}" x2="${sx(v)}" y1="${top}" y2="${top + size}" stroke="#eee"/>`);
    parts.push(text(left - 6, Number(sy(v)) + 4, v.toFixed(1), ' text-anchor="end"'));
    parts.push(text(Number(sx(v)), top + size + 16, v.toFixed(1), ' text-anchor="middle"'));
  }
  parts.push(`<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#888"/>`);
  if (o.diagonal) {
    parts.push(
      `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(1)}" y2="${sy(1)}" stroke="#aaa" stroke-dasharray="4 4"/>`,
    );
  }
  series.forEach((s, i) => {
    const colour = s.dashed ? '#222' : (s.colour ?? CURVE_COLOURS[i % CURVE_COLOURS.length]);
    const dash = s.dashed ? ' stroke-dasharray="6 3"' : '';
    const finite = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    const d = finite.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x)},${sy(p.y)}`).join('');
    if (d)
      parts.push(
        `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${s.dashed ? 2 : 1.5}"${dash}/>`,
      );
    const ly = top + 6 + i * 15;
    parts.push(
      `<line x1="${left + size + 12}" x2="${left + size + 30}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`,
    );
    parts.push(text(left + size + 34, ly + 4, s.name, '', 10));
  });
  parts.push(text(left + size / 2, height - 8, o.xLabel, ' text-anchor="middle"'));
  const my = top + size / 2;
  parts.push(text(12, my, o.yLabel, ` text-anchor="middle" transform="rotate(-90 12 ${my})"`));
  return `${parts.join('')}</svg>`;
}

/** PNG bytes as a `data:` URI for an `<img src>`. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

/** An `<img>` of the chart: rendered at twice its size so it stays sharp on high-density screens. */
export function chartImg(svg: string, alt: string): { html: string; png: Uint8Array } {
  const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 480);
  const png = svgToPng(svg, { width: width * 2, background: '#fff' });
  return { png, html: `<img src="${pngDataUri(png)}" width="${width}" alt="${escapeHtml(alt)}">` };
}

/**
 * A confusion matrix heatmap (core's `heatmapPng`, rows: truth, columns: prediction) framed by its class
 * labels in an HTML grid whose cells line up with the image's.
 */
export function confusionMatrixFigure(
  labels: readonly string[],
  counts: readonly (readonly number[])[],
  caption: string,
): { html: string; png: Uint8Array } {
  const cell = labels.length > 12 ? 24 : 32;
  const png = heatmapPng(counts, { cellSize: cell });
  const side = labels.length * cell + 1;
  const label = (l: string, extra = '') =>
    `<div style="width:${cell}px;height:${cell}px;line-height:${cell}px;overflow:hidden;text-align:center;font-size:11px${extra}" title="${escapeHtml(l)}">${escapeHtml(l)}</div>`;
  const columns = labels.map((l) => label(l)).join('');
  const rows = labels.map((l) => label(l)).join('');
  return {
    png,
    html:
      `<figure class="cm" style="margin:8px 0"><figcaption style="font-weight:bold;font-size:13px;margin-bottom:4px">${escapeHtml(caption)}</figcaption>` +
      `<div style="font-size:11px;color:#666;margin-left:${cell}px">predicted →</div>` +
      `<div style="display:grid;grid-template-columns:${cell}px ${side}px">` +
      `<div style="font-size:10px;color:#666;writing-mode:vertical-rl;transform:rotate(180deg);text-align:right">true ↓</div>` +
      `<div style="display:flex">${columns}</div>` +
      `<div>${rows}</div>` +
      `<img src="${pngDataUri(png)}" width="${side}" height="${side}" alt="${escapeHtml(caption)}">` +
      '</div></figure>',
  };
}
