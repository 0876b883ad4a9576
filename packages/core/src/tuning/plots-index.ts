/**
 * Plots and reports of hyperparameter tuning studies: the metric by trial and against each parameter (SVG),
 * an HTML report, and notebook display helpers. Re-exported from the package root.
 */

export {
  type StudyReportInput,
  type StudyReportOptions,
  showStudyReport,
  studyReportHtml,
} from './study-report.ts';
export {
  analyzeTrials,
  isBetter,
  parameterIdsOf,
  type RankedTrial,
  scaleOf,
  scalesFromParameterSpec,
  type TrialAnalysis,
  type TrialLike,
  type TrialMetric,
  type TrialParameterScale,
  type TrialParameterScales,
} from './trial-analysis.ts';
export {
  parameterChartSvg,
  type StudyCharts,
  type StudyChartsOptions,
  showStudyCharts,
  studyChartsSvg,
  type TrialChartOptions,
  trialMetricChartSvg,
} from './trial-plots.ts';
