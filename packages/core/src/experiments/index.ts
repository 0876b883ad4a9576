/** Vertex AI Experiments on Vertex ML Metadata (re-exported from the package index). */
export {
  EXPERIMENT_RUN_MAX_LENGTH,
  type LoggableValue,
  RUN_STATES,
  type RunState,
  SYSTEM_EXPERIMENT,
  SYSTEM_EXPERIMENT_RUN,
} from './constants.ts';
export { Experiment, type ExperimentLocation, type ExperimentRow } from './experiment.ts';
export { ExperimentRun, type ExperimentRunOptions } from './experiment-run.ts';
export {
  type ExperimentTableOptions,
  experimentTableHtml,
  showExperimentTable,
  sortColumns as experimentColumns,
} from './table.ts';
export {
  currentExperiment,
  endRun,
  getCurrentRun,
  getExperimentDf,
  logMetrics,
  logParams,
  logTimeSeriesMetrics,
  resetExperimentTracker,
  startRun,
} from './tracker.ts';
