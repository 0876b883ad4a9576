export {
  assertWithinMaxCost,
  type CostEstimate,
  CostLimitError,
  type CostLine,
  combineEstimates,
  costLine,
  costPerDay,
  formatUsd,
  validateMaxCost,
} from './estimate.ts';
export {
  type BigQueryCostOptions,
  type DeploymentCostOptions,
  estimateAutoMlImageTrainingCost,
  estimateBigQueryCost,
  estimateDeploymentCost,
  estimateTensorboardStorageCost,
  estimateWorkerPoolsCost,
  formatBytes,
  HOURS_PER_MONTH,
} from './estimators.ts';
export { PRICE_TABLE, type PriceGroup, type PriceItem, type PriceTable } from './price-table.ts';
export {
  itemRate,
  predictionAcceleratorRate,
  predictionMachineRate,
  type Rate,
  trainingAcceleratorRate,
  trainingMachineRate,
} from './rates.ts';
export { costEstimateHtml, costEstimateText, showCostEstimate } from './render.ts';
export {
  type CostOptions,
  durationBasis,
  formatDuration,
  VERTEX_DEFAULT_TIMEOUT_SECONDS,
} from './request-cost.ts';
