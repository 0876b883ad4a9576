import type { InitOptions } from '../config.ts';
import type { CostOptions } from '../cost/request-cost.ts';
import type { ProgressListener } from '../jobs/job-state.ts';
import type { ServingContainerOptions } from '../models/model-spec.ts';
import type { TrainingRunResources } from './task-inputs.ts';

/** The serving options with the Python training classes' `model_` prefix (`modelServingContainerImageUri` …). */
export type ModelServingOptions = {
  [K in keyof ServingContainerOptions as `model${Capitalize<K>}`]?: ServingContainerOptions[K];
};

/** `modelServingContainerImageUri` → `servingContainerImageUri` … */
export function servingOptions(o: ModelServingOptions): ServingContainerOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('modelServingContainer') && v !== undefined) out[`s${k.slice('modelS'.length)}`] = v;
  }
  return out as ServingContainerOptions;
}

/** Constructor options shared by the three custom training classes (Python SDK names, camelCase). */
export interface TrainingJobOptions
  extends ModelServingOptions,
    Pick<InitOptions, 'project' | 'location' | 'stagingBucket' | 'emulator'> {
  displayName: string;
  /** Prebuilt or custom training image. */
  containerUri?: string;
  modelDescription?: string;
  modelInstanceSchemaUri?: string;
  modelParametersSchemaUri?: string;
  modelPredictionSchemaUri?: string;
  labels?: Record<string, string>;
  trainingEncryptionSpecKeyName?: string;
  modelEncryptionSpecKeyName?: string;
}

/** How a training pipeline registers the model it trains (options of every `run()`). */
export interface ModelRegistrationOptions {
  /** Default: the job's display name (custom jobs: `<name>-model`). */
  modelDisplayName?: string;
  /** Default: the job's labels. */
  modelLabels?: Record<string, string>;
  modelId?: string;
  /** Register as a new version of this model. */
  parentModel?: string;
  /** Add the `default` alias (default true). */
  isDefaultVersion?: boolean;
  modelVersionAliases?: string[];
  modelVersionDescription?: string;
}

/** Options of `run()`. Datasets and data splits are not supported yet. */
export interface TrainingRunOptions extends TrainingRunResources, ModelRegistrationOptions, CostOptions {
  /** Trainer arguments, passed as given. */
  args?: string[];
  environmentVariables?: Record<string, string>;
  baseOutputDir?: string;
  serviceAccount?: string;
  network?: string;
  /**
   * A tensorboard id or `projects/…/locations/…/tensorboards/…` in the job's location: what the trainer writes
   * to `AIP_TENSORBOARD_LOG_DIR` is streamed into it while the job runs. Vertex requires `serviceAccount` with it.
   */
  tensorboard?: string;
  enableWebAccess?: boolean;
  enableDashboardAccess?: boolean;
  persistentResourceId?: string;
  /** Not supported yet: managed datasets come with a later release. */
  dataset?: unknown;
  trainingFractionSplit?: number;
  validationFractionSplit?: number;
  testFractionSplit?: number;
  trainingFilterSplit?: string;
  validationFilterSplit?: string;
  testFilterSplit?: string;
  predefinedSplitColumnName?: string;
  timestampSplitColumnName?: string;
  /** `true` (default): resolve with the Model when done. `false`: resolve once created. */
  sync?: boolean;
  onProgress?: ProgressListener;
}

/** The Python SDK's data-split arguments (they need a dataset). */
export const SPLITS = [
  'trainingFractionSplit',
  'validationFractionSplit',
  'testFractionSplit',
  'trainingFilterSplit',
  'validationFilterSplit',
  'testFilterSplit',
  'predefinedSplitColumnName',
  'timestampSplitColumnName',
] as const;
