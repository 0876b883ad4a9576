/**
 * @packageDocumentation
 * terra-vertex core: configuration from Terra's environment, connections to Vertex AI and BigQuery (cloud or
 * the local emulator), custom jobs, job logs and Cloud Storage helpers.
 */

export {
  AUTOML_IMAGE_CLASSIFICATION_TASK,
  AUTOML_IMAGE_MODEL_TYPES,
  AUTOML_IMAGE_OBJECT_DETECTION_TASK,
  type AutoMLImagePredictionType,
  type AutoMLImageRunOptions,
  type AutoMLImageTrainingJobOptions,
  buildAutoMLImageRequest,
  type ResourceRef,
} from './automl/automl-image-request.ts';
export { AutoMLImageTrainingJob } from './automl/automl-image-training-job.ts';
export {
  confusionMatrixHtml,
  confusionMatrixPng,
  type EvaluationLike,
  type PrCurveOptions,
  prCurveSvg,
  showConfusionMatrix,
  showPrCurve,
} from './automl/evaluation-plots.ts';
export {
  type ClassificationEvaluationMetrics,
  type ConfidenceMetrics,
  type ConfusionMatrix,
  getModelEvaluation,
  listModelEvaluations,
  ModelEvaluation,
  type ModelEvaluationSlice,
  type PrPoint,
  prCurveOf,
} from './automl/model-evaluation.ts';
export {
  bigQueryClient,
  bigQueryLocation,
  DEFAULT_BIGQUERY_LOCATION,
  toBigQueryError,
} from './bigquery/client.ts';
export * from './cleanup/index.ts';
export {
  EMULATOR_DEFAULT_BUCKET,
  EMULATOR_DEFAULT_PROJECT,
  type EmulatorAddress,
  emulatorFromEnv,
  type InitOptions,
  init,
  type ResolvedConfig,
  resetConfig,
  resolveConfig,
  type SettingSource,
} from './config.ts';
export {
  closeClients,
  datasetServiceClient,
  endpointServiceClient,
  jobServiceClient,
  metadataServiceClient,
  modelServiceClient,
  pipelineServiceClient,
  predictionServiceClient,
  storageClient,
  tensorboardServiceClient,
  vertexClientOptions,
  vizierServiceClient,
} from './connection.ts';
export * from './cost/index.ts';
export {
  buildCreateDatasetRequest,
  buildImportConfigs,
  type DatasetSpecOptions,
  type ImportSource,
} from './datasets/dataset-request.ts';
export {
  type DataItemInfo,
  type DatasetSplit,
  type DatasetStats,
  datasetStats,
  type LabelStats,
  type StatsOptions,
  statsHtml,
} from './datasets/dataset-stats.ts';
export {
  ImageDataset,
  type ImageDatasetCreateOptions,
  type ImportDataOptions,
} from './datasets/image-dataset.ts';
export { DatasetImportError, type ImportResult, type ImportRowError } from './datasets/import-result.ts';
export { IMAGE_SCHEMA, ML_USE_LABEL } from './datasets/schema.ts';
export * from './display/index.ts';
export {
  buildCreateEndpointRequest,
  type EndpointCreateOptions,
  type Where as ResourceLocation,
} from './endpoints/create-request.ts';
export {
  buildDeployRequest,
  DEFAULT_DEPLOY_MACHINE_TYPE,
  type DeployDefaults,
  type DeployOptions,
  versionedModelName,
} from './endpoints/deploy-request.ts';
export type { DeployedModel } from './endpoints/deployed-model.ts';
export { Endpoint } from './endpoints/endpoint.ts';
export {
  type Attribution,
  type ExplainOptions,
  type Explanation,
  type ExplanationSpecOverride,
  explainRequest,
  sendExplain,
  toExplanation,
} from './endpoints/explain.ts';
export { defaultEndpointName, type ModelDeployOptions } from './endpoints/model-deploy.ts';
export type { Prediction, RawPrediction } from './endpoints/prediction.ts';
export {
  allocateTraffic,
  DEPLOYING_MODEL_KEY,
  type DeployTrafficInput,
  deployTrafficSplit,
  type TrafficSplit,
  unallocateTraffic,
  undeployTrafficSplit,
  validateTrafficPercentage,
  validateTrafficSplit,
} from './endpoints/traffic.ts';
export {
  ApiError,
  ConfigurationError,
  JobFailedError,
  StatusCode,
  TvxError,
  toApiError,
  ValidationError,
} from './errors.ts';
export * from './experiments/index.ts';
export {
  CustomJob,
  type CustomJobOptions,
  type CustomJobRunOptions,
  type WaitOptions,
} from './jobs/custom-job.ts';
export type { CustomJobRequest } from './jobs/custom-job-request.ts';
export {
  isTerminalState,
  type JobState,
  type PipelineState,
  type ProgressEvent,
  type ProgressListener,
  shortState,
} from './jobs/job-state.ts';
export { buildSourceDistribution, localPython, stagePythonPackage } from './jobs/python-package.ts';
export type { SchedulingOptions } from './jobs/scheduling.ts';
export {
  ACCELERATOR_TYPES,
  type AcceleratorType,
  type ContainerSpec,
  type EnvSpec,
  type MachineSpec,
  type PythonPackageSpec,
  type WorkerPoolSpec,
} from './jobs/worker-pool.ts';
export { LogCursor, type LogLine, readJobLogs } from './logs.ts';
export { Model, type ModelUploadOptions } from './models/model.ts';
export { buildModelSpec, type ModelSpecOptions, type ServingContainerOptions } from './models/model-spec.ts';
export { DEFAULT_LOCATION, SUPPORTED_REGIONS, vertexApiHost } from './regions.ts';
export { toReadableJson } from './resource-json.ts';
export { fullResourceName, locationPath, parseResourceName, type ResourceName } from './resource-names.ts';
export * from './storage/gcs.ts';
export * from './tensorboard/index.ts';
export { getTrainingJob } from './training/attach.ts';
export {
  CustomContainerTrainingJob,
  type CustomContainerTrainingJobOptions,
  CustomPythonPackageTrainingJob,
  type CustomPythonPackageTrainingJobOptions,
  CustomTrainingJob,
  type CustomTrainingJobOptions,
} from './training/custom-training-jobs.ts';
export { buildPipelineRequest, type PipelineRequest } from './training/pipeline-request.ts';
export {
  packageScript,
  SCRIPT_MODULE,
  scriptSetupPy,
  uploadTrainingPackage,
} from './training/script-package.ts';
export { CUSTOM_TASK_DEFINITION, type TrainingRunResources } from './training/task-inputs.ts';
export { TrainingFailedError, TrainingJob } from './training/training-job.ts';
export type {
  ModelServingOptions,
  TrainingJobOptions,
  TrainingRunOptions,
} from './training/training-options.ts';
export {
  HyperparameterTuningJob,
  type HyperparameterTuningJobOptions,
} from './tuning/hyperparameter-tuning-job.ts';
export {
  buildParameterSpecs,
  categoricalParameter,
  discreteParameter,
  doubleParameter,
  integerParameter,
  type ParameterScale,
  type ParameterSpec,
} from './tuning/parameter-spec.ts';
export * from './tuning/plots-index.ts';
export { Study, type StudyOptions, type SuggestOptions } from './tuning/study.ts';
export { buildStudySpec, type EarlyStoppingRule, type StudySpecOptions } from './tuning/study-spec.ts';
export { studyMetric, studyReportInput, studyScales } from './tuning/study-summary.ts';
export { type MeasurementPosition, StudyTrial } from './tuning/study-trial.ts';
export { type Trial, type TrialMeasurement, toTrial, trialArgs } from './tuning/trials.ts';
export {
  normalizeStagingBucket,
  validateDisplayName,
  validateLabels,
  validateLocation,
  validateProject,
  validateResourceId,
} from './validation.ts';
export { fromProtoValue, type JsonValue, type ProtoValue, toProtoValue } from './value.ts';
