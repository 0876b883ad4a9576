export {
  ENDPOINT_RESOURCE_TYPE,
  instanceCount,
  PREDICTION_COUNT_METRIC,
  PredictionMetrics,
  type PredictionSample,
  type PredictionSeries,
} from './prediction-metrics.ts';
export { registerMonitoringRoutes } from './routes.ts';
export { parseTimeSeriesFilter, type TimeSeriesFilter } from './time-series-filter.ts';
