/**
 * TensorBoard scalars for notebooks: one SVG line chart per tag with a line per run, an HTML page of them
 * with a table of the last values, and a tslab display helper.
 */
import { escapeHtml, htmlTable } from '../display/html.ts';
import { showHtml } from '../display/notebook.ts';
import { lineChartSvg } from '../display/svg-chart.ts';
import type { ScalarSeries } from './scalars.ts';

/** Options of the scalar charts. */
export interface ScalarsChartOptions {
  /** Tags to draw, in this order (default: every tag, sorted). */
  tags?: string[];
  /** Runs to draw (default: all). */
  runs?: string[];
  /** Pixels per chart (default 420 × 260). */
  width?: number;
  height?: number;
}

/** Options of {@link scalarsHtml} and {@link showScalars}. */
export interface ScalarsHtmlOptions extends ScalarsChartOptions {
  /** Shown in bold above the charts. */
  title?: string;
  /** Add the table of each run's last value per tag (default true). */
  table?: boolean;
}

function pick(series: readonly ScalarSeries[], o: ScalarsChartOptions): ScalarSeries[] {
  return series.filter((s) => (!o.runs || o.runs.includes(s.run)) && (!o.tags || o.tags.includes(s.tag)));
}

/** The tags of `series` in display order (`options.tags` order, else sorted). */
export function tagsOf(series: readonly ScalarSeries[], options: ScalarsChartOptions = {}): string[] {
  const present = new Set(series.map((s) => s.tag));
  return options.tags ? options.tags.filter((t) => present.has(t)) : [...present].sort();
}

/**
 * A line chart of one tag: steps on the x axis, one line per run.
 *
 * @example
 * tslab.display.svg(scalarsSvg(await experiment.readScalars(), 'eval/accuracy'));
 */
export function scalarsSvg(
  series: readonly ScalarSeries[],
  tag: string,
  options: ScalarsChartOptions = {},
): string {
  const lines = pick(series, options)
    .filter((s) => s.tag === tag)
    .map((s) => ({ name: s.run, points: s.points.map((p) => [p.step, p.value] as const) }));
  return lineChartSvg(lines, {
    title: tag,
    xLabel: 'step',
    width: options.width ?? 420,
    height: options.height ?? 260,
  });
}

/** One chart per tag, in {@link tagsOf} order. */
export function scalarsCharts(
  series: readonly ScalarSeries[],
  options: ScalarsChartOptions = {},
): { tag: string; svg: string }[] {
  const chosen = pick(series, options);
  return tagsOf(chosen, options).map((tag) => ({ tag, svg: scalarsSvg(chosen, tag, options) }));
}

/** Each run's last point per tag, with the tag's lowest and highest value in that run. */
export function lastScalars(series: readonly ScalarSeries[]): Record<string, unknown>[] {
  return series
    .filter((s) => s.points.length)
    .map((s) => {
      const values = s.points.map((p) => p.value);
      const last = s.points.at(-1)!;
      return {
        run: s.run,
        tag: s.tag,
        step: last.step,
        value: last.value,
        min: Math.min(...values),
        max: Math.max(...values),
      };
    });
}

/**
 * The charts of every tag side by side (wrapping), then the table of last values: one HTML fragment.
 *
 * @example
 * tslab.display.html(scalarsHtml(await experiment.readScalars(), { title: 'iris sweep' }));
 */
export function scalarsHtml(series: readonly ScalarSeries[], options: ScalarsHtmlOptions = {}): string {
  const chosen = pick(series, options);
  const title = options.title
    ? `<div style="font-weight:bold;margin:4px 0">${escapeHtml(options.title)}</div>`
    : '';
  if (!chosen.some((s) => s.points.length))
    return `<div class="tvx-scalars">${title}<div style="color:#666">No scalars yet.</div></div>`;
  const charts = scalarsCharts(chosen, options)
    .map((c) => `<div class="tvx-scalar-chart">${c.svg}</div>`)
    .join('');
  const table =
    options.table === false
      ? ''
      : htmlTable(lastScalars(chosen), { columns: ['run', 'tag', 'step', 'value', 'min', 'max'] });
  return `<div class="tvx-scalars">${title}<div style="display:flex;flex-wrap:wrap;gap:8px">${charts}</div>${table}</div>`;
}

/** Anything {@link showScalars} can draw: series already read, or something with `readScalars()`. */
export type ScalarsSource = readonly ScalarSeries[] | { readScalars(): Promise<ScalarSeries[]> };

/**
 * Shows the scalar charts in a tslab notebook (nothing elsewhere) and returns the series drawn.
 *
 * @example
 * await showScalars(await tensorboardExperimentForJob(job), { tags: ['eval/accuracy'] });
 */
export async function showScalars(
  source: ScalarsSource,
  options: ScalarsHtmlOptions = {},
): Promise<ScalarSeries[]> {
  const series = 'readScalars' in source ? await source.readScalars() : [...source];
  showHtml(scalarsHtml(series, options));
  return series;
}
