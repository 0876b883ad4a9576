/** Vertex AI TensorBoard: tensorboards, experiments, runs and scalar time series; log upload; charts. */
export {
  type JobWithTensorboard,
  tensorboardConsoleUri,
  tensorboardExperimentForJob,
} from './job-experiment.ts';
export { jobTensorboard } from './job-tensorboard.ts';
export {
  type Depth,
  formatTensorboardPath,
  type ParentNames,
  parseTensorboardPath,
  type TensorboardPath,
  tensorboardResourceName,
} from './names.ts';
export type { ScalarSeries, ScalarValue, ScalarWrite } from './scalars.ts';
export {
  lastScalars,
  type ScalarsChartOptions,
  type ScalarsHtmlOptions,
  type ScalarsSource,
  scalarsCharts,
  scalarsHtml,
  scalarsSvg,
  showScalars,
  tagsOf,
} from './scalars-chart.ts';
export { type ScalarsWatch, type WatchScalarsOptions, watchScalars } from './scalars-live.ts';
export {
  buildCreateTensorboardRequest,
  Tensorboard,
  type TensorboardCreateOptions,
  type TensorboardListOptions,
} from './tensorboard.ts';
export {
  buildCreateExperimentRequest,
  TensorboardExperiment,
  type TensorboardExperimentCreateOptions,
} from './tensorboard-experiment.ts';
export {
  buildCreateRunRequest,
  TensorboardRun,
  type TensorboardRunCreateOptions,
} from './tensorboard-run.ts';
export {
  buildCreateTimeSeriesRequest,
  type RunParents,
  TensorboardTimeSeries,
  type TensorboardTimeSeriesCreateOptions,
  type TimeSeriesValueType,
} from './tensorboard-time-series.ts';
export {
  type UploadedRun,
  type UploadProgressEvent,
  type UploadTbLogOptions,
  type UploadTbLogResult,
  uploadTbLog,
} from './upload.ts';
