/**
 * Schema URIs and input rules of Vertex AI AutoML image classification (reference: automl-bqml-xai-hpt.md
 * §1.1, §1.4): inputs name `gs://` schemas, outputs (`Model.predictSchemata`, `metadataSchemaUri`) the
 * `https://storage.googleapis.com/` form.
 */
import type { Json } from './protos.ts';

const GS = 'gs://google-cloud-aiplatform/schema';
const HTTPS = 'https://storage.googleapis.com/google-cloud-aiplatform/schema';

/** `TrainingPipeline.trainingTaskDefinition` of AutoML image classification. */
export const AUTOML_IMAGE_CLASSIFICATION_TASK = `${GS}/trainingjob/definition/automl_image_classification_1.0.0.yaml`;
/** `Model.metadataSchemaUri` of an AutoML image classification model (output form). */
export const AUTOML_IMAGE_MODEL_METADATA = `${HTTPS}/model/metadata/automl_image_classification_1.0.0.yaml`;
/** `ModelEvaluation.metricsSchemaUri` of classification metrics. */
export const CLASSIFICATION_METRICS_SCHEMA = `${GS}/modelevaluation/classification_metrics_1.0.0.yaml`;
/** `Model.predictSchemata` of AutoML image classification models. */
export const AUTOML_IMAGE_PREDICT_SCHEMATA = {
  instanceSchemaUri: `${HTTPS}/predict/instance/image_classification_1.0.0.yaml`,
  parametersSchemaUri: `${HTTPS}/predict/params/image_classification_1.0.0.yaml`,
  predictionSchemaUri: `${HTTPS}/predict/prediction/classification_1.0.0.yaml`,
};

/** `AutoMlImageClassificationInputs.modelType` values the emulator trains (MODEL_TYPE_UNSPECIFIED = CLOUD). */
export const AUTOML_IMAGE_MODEL_TYPES = [
  'MODEL_TYPE_UNSPECIFIED',
  'CLOUD',
  'CLOUD_1',
  'MOBILE_TF_LOW_LATENCY_1',
  'MOBILE_TF_VERSATILE_1',
  'MOBILE_TF_HIGH_ACCURACY_1',
  'EFFICIENTNET',
  'MAXVIT',
  'VIT',
  'COCA',
] as const;

/** Budget range and default in milli node hours: 8,000–800,000 (192,000) for cloud types, 1,000–100,000 (24,000) for mobile ones. */
export function budgetRange(modelType: string): { min: number; max: number; default: number } {
  return modelType.startsWith('MOBILE_')
    ? { min: 1_000, max: 100_000, default: 24_000 }
    : { min: 8_000, max: 800_000, default: 192_000 };
}

/**
 * Local seconds per node hour: the AutoML budget becomes a wall-clock budget on this machine, 7.5 s per
 * 1,000 milli node hours (the cloud minimum of 8,000 is 60 s; the mobile minimum of 1,000 is 7.5 s), at most
 * {@link MAX_LOCAL_SECONDS}. `TVX_AUTOML_SECONDS` replaces the mapped value.
 */
export const SECONDS_PER_NODE_HOUR = 7.5;
/** Cap of the mapped local budget (30 min; the cloud default of 192,000 maps to 24 min). */
export const MAX_LOCAL_SECONDS = 1800;

/** The local training seconds for a budget (see {@link SECONDS_PER_NODE_HOUR}). */
export function localSeconds(budgetMilliNodeHours: number, env: NodeJS.ProcessEnv = process.env): number {
  const override = Number.parseFloat(env.TVX_AUTOML_SECONDS ?? '');
  if (Number.isFinite(override) && override > 0) return override;
  return Math.min(MAX_LOCAL_SECONDS, (budgetMilliNodeHours / 1000) * SECONDS_PER_NODE_HOUR);
}

/** Is this a model the emulator's AutoML image trainer registered (served by tvx_serving's automl_image)? */
export function isAutomlImageModel(model: Json): boolean {
  return model.metadataSchemaUri === AUTOML_IMAGE_MODEL_METADATA;
}
