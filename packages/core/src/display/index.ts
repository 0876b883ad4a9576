/** Display helpers for notebooks: HTML tables, SVG charts, PNG images, job progress, and the tslab adapter. */
export {
  type Axis,
  type AxisOptions,
  type AxisScale,
  type AxisTick,
  buildAxis,
  categoriesOf,
  logTicks,
  tickLabel,
} from './axis.ts';
export {
  escapeHtml,
  formatValue,
  type HtmlTableOptions,
  htmlTable,
  keyValueTable,
  type RawHtml,
  rawHtml,
} from './html.ts';
export {
  inNotebook,
  type LiveProgress,
  type ShowProgressOptions,
  showHtml,
  showPng,
  showProgress,
  showSvg,
  showTable,
  type TslabDisplay,
  type TslabModule,
  tslabModule,
} from './notebook.ts';
export { encodePng, type HeatmapOptions, heatmapPng } from './png.ts';
export {
  elapsedSeconds,
  ProgressLog,
  type ProgressSnapshot,
  progressHtml,
  progressLine,
  type StateChange,
} from './progress.ts';
export {
  type MarkerShape,
  type ScatterChartOptions,
  type ScatterPoint,
  type ScatterSeries,
  scatterChartSvg,
} from './scatter-chart.ts';
export {
  type LineChartOptions,
  lineChartSvg,
  niceTicks,
  PALETTE,
  type Series,
  type TimelineBar,
  timelineSvg,
} from './svg-chart.ts';
export { type SvgToPngOptions, svgToPng } from './svg-to-png.ts';
