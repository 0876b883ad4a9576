import { html, type SafeHtml } from './html.ts';

/** One line or set of points of a chart. */
export interface ChartSeries {
  label: string;
  points: [number, number][];
  /** Overrides the chart's kind for this series (e.g. a step line of the best so far over points). */
  kind?: 'line' | 'step' | 'points';
}

/** What the charts script draws (see client/charts.ts). */
export interface ChartSpec {
  x: string;
  y: string;
  kind: 'line' | 'step' | 'points';
  series: ChartSeries[];
  /** Names of a categorical x axis (x values are their indices). */
  xNames?: string[];
  /** A logarithmic x axis (log-scaled hyperparameters). */
  xLog?: boolean;
  /** Fixed axis ranges (e.g. [0, 1] for precision and recall). */
  xRange?: [number, number];
  yRange?: [number, number];
}

/** A chart placeholder; `src` makes it refresh itself from a JSON route returning a {@link ChartSpec}. */
export function chart(title: string, spec: ChartSpec, src?: string): SafeHtml {
  return html`<figure class="chart" data-chart="${spec}"${src ? html` data-src="${src}"` : ''}><h3>${title}</h3><div class="plot"></div></figure>`;
}
