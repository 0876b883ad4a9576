/** Guard rails: what keeps costing money (endpoints, TensorBoards, running jobs), idle endpoints, cleaning up. */
export { cleanUp } from './clean-up.ts';
export { DEFAULT_IDLE_AFTER_SECONDS, endpointsActivity, findBillableResources } from './find-billable.ts';
export { lastPredictionTimes, MONITORING_API, PREDICTION_COUNT_METRIC } from './prediction-activity.ts';
export {
  type BillableRow,
  billableResourcesHtml,
  billableResourcesRows,
  formatSeconds,
  idleEndpoints,
  showBillableResources,
} from './render.ts';
export type {
  BillableDeployedModel,
  BillableEndpoint,
  BillableResources,
  BillableRunningJob,
  BillableTensorboard,
  CleanUpAction,
  CleanUpOptions,
  CleanUpResult,
  FindBillableOptions,
  RunningJobKind,
} from './types.ts';
