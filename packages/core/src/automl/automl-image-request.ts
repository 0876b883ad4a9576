/**
 * The `CreateTrainingPipeline` request of `AutoMLImageTrainingJob.run()`, as the Python SDK builds it
 * (reference vertex-sdk.md §5.2): camelCase `trainingTaskInputs`, `inputDataConfig` with the dataset id and
 * at most one kind of split, no `gcsDestination`, and `modelToUpload` without a container.
 */
import type { protos } from '@google-cloud/aiplatform';
import type { InitOptions, ResolvedConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import type { ProgressListener } from '../jobs/job-state.ts';
import { buildModelSpec } from '../models/model-spec.ts';
import { finishPipelineRequest, type PipelineRequest } from '../training/pipeline-request.ts';
import type { ModelRegistrationOptions } from '../training/training-options.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { toProtoValue } from '../value.ts';

const DEFINITIONS = 'gs://google-cloud-aiplatform/schema/trainingjob/definition';
/** `trainingTaskDefinition` of AutoML image classification. */
export const AUTOML_IMAGE_CLASSIFICATION_TASK = `${DEFINITIONS}/automl_image_classification_1.0.0.yaml`;
/** `trainingTaskDefinition` of AutoML image object detection (Vertex AI only; the emulator refuses it). */
export const AUTOML_IMAGE_OBJECT_DETECTION_TASK = `${DEFINITIONS}/automl_image_object_detection_1.0.0.yaml`;

/** Model types per prediction type (the Python SDK's `AUTOML_IMAGE_PREDICTION_MODEL_TYPES`). */
export const AUTOML_IMAGE_MODEL_TYPES = {
  classification: [
    'CLOUD',
    'CLOUD_1',
    'MOBILE_TF_LOW_LATENCY_1',
    'MOBILE_TF_VERSATILE_1',
    'MOBILE_TF_HIGH_ACCURACY_1',
    'EFFICIENTNET',
    'MAXVIT',
    'VIT',
    'COCA',
  ],
  object_detection: [
    'CLOUD_1',
    'CLOUD_HIGH_ACCURACY_1',
    'CLOUD_LOW_LATENCY_1',
    'MOBILE_TF_LOW_LATENCY_1',
    'MOBILE_TF_VERSATILE_1',
    'MOBILE_TF_HIGH_ACCURACY_1',
    'SPINENET',
    'YOLO',
  ],
} as const;

/** `classification` (single- or multi-label) or `object_detection`. */
export type AutoMLImagePredictionType = keyof typeof AUTOML_IMAGE_MODEL_TYPES;

/** A model or dataset given as an object with a resource name, a resource name, or an id. */
export type ResourceRef = { resourceName: string } | string;

/** Constructor options of `AutoMLImageTrainingJob` (the Python SDK's arguments in camelCase). */
export interface AutoMLImageTrainingJobOptions
  extends Pick<InitOptions, 'project' | 'location' | 'stagingBucket' | 'emulator'> {
  /** Default: `AutoMLImageTrainingJob <local time>`. */
  displayName?: string;
  /** Default `classification`. */
  predictionType?: AutoMLImagePredictionType;
  /** Classification only: several labels per image (default false). */
  multiLabel?: boolean;
  /** Default `CLOUD` (object detection: `CLOUD_HIGH_ACCURACY_1`, as the Python SDK silently swaps it). */
  modelType?: string;
  /** Classification only: train from this AutoML model of the same model type (`baseModelId`). */
  baseModel?: ResourceRef;
  /** Uptrain this model (`uptrainBaseModelId`). */
  incrementalTrainBaseModel?: ResourceRef;
  labels?: Record<string, string>;
  trainingEncryptionSpecKeyName?: string;
  modelEncryptionSpecKeyName?: string;
}

/** Options of `AutoMLImageTrainingJob.run()`. */
export interface AutoMLImageRunOptions extends ModelRegistrationOptions {
  /** An `ImageDataset`, its resource name or its id. */
  dataset: ResourceRef;
  /** Any fraction given makes a `fractionSplit`; they must sum to at most 1. None: Vertex's 80/10/10. */
  trainingFractionSplit?: number;
  validationFractionSplit?: number;
  testFractionSplit?: number;
  /** Data item filters, all three or none (`labels.aiplatform.googleapis.com/ml_use=training`, `-` = nothing). */
  trainingFilterSplit?: string;
  validationFilterSplit?: string;
  testFilterSplit?: string;
  /** 1,000 = one node hour. Unset: `null` is sent and the service default applies (192,000 cloud, 24,000 mobile). */
  budgetMilliNodeHours?: number;
  /** Use the whole budget (default false: stop early once the model converges). */
  disableEarlyStopping?: boolean;
  /** Refuse to submit when the budget costs more than this many USD (the budget is the ceiling). */
  maxCost?: number;
  /** `true` (default): resolve with the Model when done. `false`: resolve once the pipeline exists. */
  sync?: boolean;
  onProgress?: ProgressListener;
}

const idOf = (ref: ResourceRef) => (typeof ref === 'string' ? ref : ref.resourceName).split('/').pop()!;

/** Checks the constructor options as the Python SDK does; returns the model type to send. */
export function validateAutoMLImageOptions(o: AutoMLImageTrainingJobOptions): string {
  const type = o.predictionType ?? 'classification';
  if (!(type in AUTOML_IMAGE_MODEL_TYPES))
    throw new ValidationError(
      'predictionType',
      `'${type}' is not a supported prediction type for AutoML Image Training`,
      "Choose one of 'classification', 'object_detection'.",
    );
  let modelType = o.modelType ?? 'CLOUD';
  if (type === 'object_detection' && modelType === 'CLOUD') modelType = 'CLOUD_HIGH_ACCURACY_1';
  const allowed: readonly string[] = AUTOML_IMAGE_MODEL_TYPES[type];
  if (!allowed.includes(modelType))
    throw new ValidationError(
      'modelType',
      `'${modelType}' is not a supported model_type for prediction_type of '${type}'`,
      `Choose one of ${allowed.join(', ')}.`,
    );
  if (o.baseModel && type !== 'classification')
    throw new ValidationError(
      'baseModel',
      'is only supported for classification',
      'Leave it unset for object detection.',
    );
  if (o.displayName !== undefined) validateDisplayName(o.displayName);
  if (o.labels) validateLabels(o.labels);
  return modelType;
}

function inputDataConfig(run: AutoMLImageRunOptions): protos.google.cloud.aiplatform.v1.IInputDataConfig {
  const config: protos.google.cloud.aiplatform.v1.IInputDataConfig = { datasetId: idOf(run.dataset) };
  const fractions = [run.trainingFractionSplit, run.validationFractionSplit, run.testFractionSplit];
  const filters = [run.trainingFilterSplit, run.validationFilterSplit, run.testFilterSplit];
  const hasFraction = fractions.some((f) => f !== undefined);
  const hasFilter = filters.some((f) => f !== undefined);
  if (hasFraction && hasFilter)
    throw new ValidationError(
      'trainingFractionSplit',
      "you've specified too many split types",
      'Give either fractions or the three filters.',
    );
  if (hasFraction) {
    const sum = fractions.reduce<number>((a, f) => a + (f ?? 0), 0);
    if (fractions.some((f) => f !== undefined && !(f >= 0 && f <= 1)) || sum > 1 + 1e-9)
      throw new ValidationError(
        'trainingFractionSplit',
        `the fractions must each be in [0, 1] and sum to at most 1 (they sum to ${sum})`,
        'Lower them; the remainder is assigned by Vertex AI.',
      );
    config.fractionSplit = {
      ...(run.trainingFractionSplit !== undefined ? { trainingFraction: run.trainingFractionSplit } : {}),
      ...(run.validationFractionSplit !== undefined
        ? { validationFraction: run.validationFractionSplit }
        : {}),
      ...(run.testFractionSplit !== undefined ? { testFraction: run.testFractionSplit } : {}),
    };
  } else if (hasFilter) {
    if (filters.some((f) => f === undefined))
      throw new ValidationError(
        'trainingFilterSplit',
        'all filter splits must be passed together or not at all',
        "Give trainingFilterSplit, validationFilterSplit and testFilterSplit ('-' matches nothing).",
      );
    config.filterSplit = { trainingFilter: filters[0], validationFilter: filters[1], testFilter: filters[2] };
  }
  return config;
}

/** Builds the request `run()` sends (exported for dry runs and conformance checks). */
export function buildAutoMLImageRequest(
  o: AutoMLImageTrainingJobOptions & { displayName: string },
  run: AutoMLImageRunOptions,
  config: ResolvedConfig,
): PipelineRequest {
  const modelType = validateAutoMLImageOptions(o);
  if (!run?.dataset)
    throw new ValidationError(
      'dataset',
      'is required',
      'Pass the ImageDataset (or its resource name) to run().',
    );
  const classification = (o.predictionType ?? 'classification') === 'classification';
  const budget = run.budgetMilliNodeHours;
  if (budget !== undefined && !(Number.isInteger(budget) && budget > 0))
    throw new ValidationError(
      'budgetMilliNodeHours',
      `${budget} is not a positive whole number`,
      'Give milli node hours, e.g. 8000 (8 node hours, the cloud minimum).',
    );
  const inputs: Record<string, unknown> = {
    modelType,
    budgetMilliNodeHours: budget ?? null,
    disableEarlyStopping: run.disableEarlyStopping ?? false,
  };
  if (classification) inputs.multiLabel = o.multiLabel ?? false;
  if (o.baseModel) inputs.baseModelId = idOf(o.baseModel);
  if (o.incrementalTrainBaseModel) inputs.uptrainBaseModelId = idOf(o.incrementalTrainBaseModel);
  const pipeline: protos.google.cloud.aiplatform.v1.ITrainingPipeline = {
    displayName: o.displayName,
    trainingTaskDefinition: classification
      ? AUTOML_IMAGE_CLASSIFICATION_TASK
      : AUTOML_IMAGE_OBJECT_DETECTION_TASK,
    trainingTaskInputs: toProtoValue(inputs) as protos.google.protobuf.IValue,
    inputDataConfig: inputDataConfig(run),
    modelToUpload: buildModelSpec(
      {
        displayName: run.modelDisplayName ?? o.displayName,
        labels: run.modelLabels ?? o.labels,
        versionAliases: run.modelVersionAliases,
        versionDescription: run.modelVersionDescription,
        isDefaultVersion: run.isDefaultVersion,
        encryptionSpecKeyName: o.modelEncryptionSpecKeyName,
      },
      config.encryptionSpecKeyName,
    ),
  };
  return finishPipelineRequest(pipeline, run, o, config);
}
