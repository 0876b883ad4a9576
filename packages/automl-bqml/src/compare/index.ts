export { type BqmlPredictionsOptions, predictionsFromBqml } from './bqml-predictions.ts';
export { type CompareModelsOptions, compareModels, type HeldOutTruth } from './compare-models.ts';
export {
  averagePrecision,
  type BinaryCounts,
  binaryCounts,
  binaryPrCurve,
  binaryRocCurve,
  trapezoidArea,
} from './curves.ts';
export { showComparison } from './display.ts';
export {
  customModelClasses,
  type EndpointPredictionsOptions,
  predictionsFromEndpoint,
} from './endpoint-predictions.ts';
export {
  type HeldOutSet,
  type ImageArrayOptions,
  imageArrayInstances,
  imageContentInstances,
  readHeldOut,
} from './heldout.ts';
export { buildLeaderboard, evaluatePredictions, LOG_LOSS_EPS } from './metrics.ts';
export { ROW_SUM_TOLERANCE } from './metrics-validate.ts';
export {
  alignPredictions,
  automlImageRow,
  customRow,
  ENDPOINT_OUTPUTS,
  type EndpointOutput,
  softmax,
} from './predictions.ts';
export {
  type ComparisonReportOptions,
  comparisonReportHtml,
  figuresHtml,
  formatMetric,
  type LeaderboardRow,
  leaderboardHtml,
  leaderboardRows,
  modelFigures,
  overviewFigures,
  perClassHtml,
} from './report.ts';
export { CURVE_COLOURS, type CurveChartOptions, type CurveSeries, curveChartSvg } from './report-charts.ts';
export type { ClassMetrics, CurvePoint, Leaderboard, ModelMetrics, ModelPredictions } from './types.ts';
