/**
 * @packageDocumentation
 * terra-vertex AutoML and BigQuery ML baselines: BigQuery ML models trained, evaluated, used and explained
 * through the official BigQuery client with SQL built safely (validated, quoted identifiers; literal-checked
 * OPTIONS; values as query parameters), typed results; and data for tests and demos made locally with no
 * download (geometric shapes and scikit-learn's handwritten digits as image datasets with their Vertex
 * import CSV, scikit-learn's breast-cancer table as a BigQuery table).
 */
export {
  type BqmlBaselineOptions,
  type BqmlBaselineResult,
  bqmlBaseline,
  confusionMatrix,
  estimateBaselineCost,
  evaluateModel,
  explainPredict,
  featureImportance,
  globalExplain,
  type MlCallOptions,
  predictWithModel,
  rocCurve,
  trainingInfo,
} from './bqml/baseline.ts';
export {
  type ConfusionMatrixRow,
  type ExplainPredictRow,
  type FeatureAttribution,
  type FeatureImportanceRow,
  type GlobalExplainRow,
  type RocPoint,
  type TrainingInfoRow,
  toConfusionMatrixRows,
  toExplainPredictRows,
  toFeatureImportanceRows,
  toGlobalExplainRows,
  toRocCurve,
  toTrainingInfoRows,
} from './bqml/diagnostics.ts';
export { type MlFunction, type MlSettings, mlFunctionSql } from './bqml/functions.ts';
export {
  type ModelRef,
  parseModelRef,
  parseTableRef,
  quoteColumn,
  quoteModel,
  quoteTable,
  type TableRef,
  validateColumn,
  validateDatasetId,
  validateModelId,
  validateProjectId,
  validateTableId,
} from './bqml/identifiers.ts';
export {
  type BigQueryTarget,
  type BqmlProgress,
  type IterationResult,
  type JobStatistics,
  type MlStatistics,
  type ResolvedTarget,
  type RunQueryOptions,
  resolveTarget,
  runQueryJob,
} from './bqml/jobs.ts';
export { renderOptions, renderOptionValue, validateModelType } from './bqml/option-values.ts';
export {
  MODEL_TYPES,
  type ModelType,
  type OptionInput,
  type OptionSpec,
  optionNames,
  optionsOf,
  UNSUPERVISED_MODEL_TYPES,
} from './bqml/options.ts';
export {
  type AutoencoderMetrics,
  type CellValue,
  type ClassificationMetrics,
  type ClusteringMetrics,
  type DimensionalityReductionMetrics,
  type Evaluation,
  type LabelProbability,
  type PlainRow,
  type PredictionRow,
  plainRow,
  plainValue,
  type RegressionMetrics,
  toEvaluation,
  toPredictionRows,
} from './bqml/results.ts';
export {
  type CreateModelSpec,
  createModelSql,
  type InputRows,
  type RowFilter,
  type SqlQuery,
  selectRows,
} from './bqml/sql.ts';
export * from './compare/index.ts';
export {
  BREAST_CANCER_LABEL,
  type BreastCancerFrame,
  breastCancerFrame,
  breastCancerSchema,
  type LoadBreastCancerOptions,
  loadBreastCancerTable,
} from './data/breast-cancer.ts';
export { DIGIT_LABELS, type DigitsDatasetOptions, writeDigitsDataset } from './data/digits.ts';
export {
  DIGIT_PIXEL_COLUMNS,
  DIGIT_SPLITS,
  type DigitsRowsOptions,
  type DigitsTableRow,
  digitsTableRows,
  digitsTableSchema,
  type LoadDigitsTableOptions,
  loadDigitsTable,
} from './data/digits-table.ts';
export type { RowsTableTarget } from './data/load-rows.ts';
export {
  INDEX_FILE,
  type LocalImage,
  type LocalImageDataset,
  type MlUse,
  readLocalImageDataset,
} from './data/local-dataset.ts';
export { dataPython, PYTHON_DIR } from './data/python.ts';
export {
  generateShapesDataset,
  SHAPE_CLASSES,
  type ShapeClass,
  type ShapesDatasetOptions,
} from './data/shapes.ts';
export { type UploadImageDatasetOptions, uploadImageDataset } from './data/upload.ts';
