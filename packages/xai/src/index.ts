/**
 * @packageDocumentation
 * terra-vertex xai: explanations of an endpoint's deployed model as typed attribution results, image
 * attributions rendered as overlays (Vertex AI's visualization settings) to PNG, tabular attributions as bar
 * charts, and both shown in tslab notebooks. BigQuery ML's `ML.EXPLAIN_PREDICT` and `ML.GLOBAL_EXPLAIN`
 * rows become the same tabular results.
 */
export {
  type AttributionResult,
  type ExplainOptions,
  type Explanation,
  explain,
  type ImageAttributionMap,
  type ImageAttributionResult,
  type OutputAttribution,
  pixelMap,
  type ResultOf,
  type TabularAttributionMap,
  type TabularAttributionResult,
  toAttributionResults,
} from './attributions.ts';
export {
  type BqmlAttributionOptions,
  type BqmlExplainRow,
  type BqmlGlobalExplainRow,
  fromBqmlExplainPredict,
  fromBqmlGlobalExplain,
} from './bqml-attributions.ts';
export { colourOf } from './colormaps.ts';
export {
  type AttributionSource,
  type ImageSource,
  imageFromTensor,
  imageOverlayPng,
  overlayRgba,
  resizeMap,
} from './overlay.ts';
export { decodePng, type RgbaImage } from './png.ts';
export { type ShowAttributionsOptions, showAttributions } from './show.ts';
export { type TabularChartOptions, tabularAttributionsSvg } from './tabular-chart.ts';
export {
  highlight,
  percentile,
  type ResolvedVisualization,
  resolveVisualization,
  type VisualizationOptions,
} from './visualization.ts';
