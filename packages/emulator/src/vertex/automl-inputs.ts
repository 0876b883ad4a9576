/**
 * The inputs of an AutoML image classification pipeline, checked the way Vertex checks them: the task
 * inputs (`AutoMlImageClassificationInputs`) and the `inputDataConfig` (dataset and split), then turned into
 * the trainer's examples and splits.
 */
import { gcsToLocal } from '../runtime/gcs-paths.ts';
import { AUTOML_IMAGE_MODEL_TYPES, budgetRange } from './automl-schemas.ts';
import type { Json } from './protos.ts';

type Errors = [field: string, message: string][];
type Split = 'training' | 'validation' | 'test';

/** What AutoML training needs from the dataset store (the DatasetService's `DatasetStore`). */
export interface DatasetExamples {
  examples(datasetName: string): {
    dataItem: string;
    gcsUri: string;
    labels: string[];
    mlUse?: 'training' | 'validation' | 'test';
  }[];
  annotationSpecs(datasetName: string): { id: string; displayName: string }[];
  /** The dataset resource, when the store can tell (undefined: it does not exist). */
  get?(datasetName: string): unknown;
}

/** The task inputs with defaults applied. */
export interface AutomlImageInputs {
  modelType: string;
  multiLabel: boolean;
  budgetMilliNodeHours: number;
  disableEarlyStopping: boolean;
  baseModelId?: string;
}

const INPUTS = 'training_pipeline.training_task_inputs';
const DATA = 'training_pipeline.input_data_config';
const ML_USE_FILTER =
  /^labels\.(?:"?)aiplatform\.googleapis\.com\/ml_use(?:"?)\s*=\s*"?(training|validation|test)"?$/i;

/** The task inputs, or `[field, message]` errors. `budgetMilliNodeHours` may be an int64 string, a number or null (default). */
export function automlImageInputs(pipeline: Json): AutomlImageInputs | Errors {
  const raw = (pipeline.trainingTaskInputs ?? {}) as Json;
  const errors: Errors = [];
  if (typeof raw !== 'object' || Array.isArray(raw))
    return [[INPUTS, 'Must be an object (AutoMlImageClassificationInputs).']];
  let modelType = (raw.modelType ?? 'CLOUD') as string;
  if (!(AUTOML_IMAGE_MODEL_TYPES as readonly unknown[]).includes(modelType))
    errors.push([
      `${INPUTS}.model_type`,
      `${JSON.stringify(raw.modelType)} is not a model type: use one of ${AUTOML_IMAGE_MODEL_TYPES.slice(1).join(', ')}.`,
    ]);
  if (modelType === 'MODEL_TYPE_UNSPECIFIED') modelType = 'CLOUD';
  for (const key of ['multiLabel', 'disableEarlyStopping'] as const)
    if (raw[key] !== undefined && raw[key] !== null && typeof raw[key] !== 'boolean')
      errors.push([
        `${INPUTS}.${key === 'multiLabel' ? 'multi_label' : 'disable_early_stopping'}`,
        `Must be true or false, got ${JSON.stringify(raw[key])}.`,
      ]);
  const range = budgetRange(modelType);
  let budget = range.default;
  const given = raw.budgetMilliNodeHours;
  if (given !== undefined && given !== null) {
    const text = String(given).trim();
    budget = Number(text);
    if (!/^\d+$/.test(text))
      errors.push([
        `${INPUTS}.budget_milli_node_hours`,
        `${JSON.stringify(given)} is not an integer number of milli node hours (1,000 = 1 node hour).`,
      ]);
    else if (budget < range.min || budget > range.max)
      errors.push([
        `${INPUTS}.budget_milli_node_hours`,
        `${budget} is out of range for model type ${modelType}: give ${range.min} to ${range.max} (default ${range.default}).`,
      ]);
  }
  if (raw.baseModelId !== undefined && typeof raw.baseModelId !== 'string')
    errors.push([`${INPUTS}.base_model_id`, 'Must be the id of a model in the same location.']);
  if (raw.tunableParameter !== undefined)
    errors.push([
      `${INPUTS}.tunable_parameter`,
      'Model Garden tuning (trainer config, study spec) runs on Vertex AI only: leave it unset locally.',
    ]);
  if (errors.length) return errors;
  const inputs: AutomlImageInputs = {
    modelType,
    multiLabel: raw.multiLabel === true,
    budgetMilliNodeHours: budget,
    disableEarlyStopping: raw.disableEarlyStopping === true,
  };
  if (raw.baseModelId) inputs.baseModelId = raw.baseModelId as string;
  return inputs;
}

/** Checks `inputDataConfig` for an image dataset: a dataset id, and at most a fraction or filter split. */
export function inputDataErrors(pipeline: Json): Errors {
  const data = pipeline.inputDataConfig as Json | undefined;
  if (!data?.datasetId)
    return [
      [
        `${DATA}.dataset_id`,
        'AutoML image training needs the id of an image dataset (ImageDataset.create, then import images).',
      ],
    ];
  const errors: Errors = [];
  for (const other of ['predefinedSplit', 'timestampSplit', 'stratifiedSplit'])
    if (data[other])
      errors.push([
        `${DATA}.${other.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
        'Image datasets take fraction_split or filter_split only.',
      ]);
  const fractions = data.fractionSplit as Json | undefined;
  if (fractions) {
    let sum = 0;
    for (const k of ['trainingFraction', 'validationFraction', 'testFraction']) {
      const v = Number(fractions[k] ?? 0);
      sum += v;
      if (!(v >= 0 && v <= 1))
        errors.push([`${DATA}.fraction_split.${k.replace('F', '_f')}`, 'Must be between 0 and 1.']);
    }
    if (sum > 1 + 1e-9)
      errors.push([`${DATA}.fraction_split`, `The fractions sum to ${sum}: they must sum to at most 1.`]);
  }
  const filters = data.filterSplit as Json | undefined;
  if (filters)
    for (const k of ['trainingFilter', 'validationFilter', 'testFilter']) {
      const f = String(filters[k] ?? '').trim();
      if (f !== '-' && !ML_USE_FILTER.test(f))
        errors.push([
          `${DATA}.filter_split.${k.replace('F', '_f')}`,
          `The emulator understands labels.aiplatform.googleapis.com/ml_use=training|validation|test and "-" (nothing), not ${JSON.stringify(f)}.`,
        ]);
    }
  return errors;
}

/** The fractions of a `fractionSplit`: unset ones share the remainder in the default 80/10/10 proportions. */
function fractionsOf(split: Json): Record<Split, number> {
  const given: Record<Split, number | undefined> = {
    training: split.trainingFraction as number | undefined,
    validation: split.validationFraction as number | undefined,
    test: split.testFraction as number | undefined,
  };
  const defaults: Record<Split, number> = { training: 0.8, validation: 0.1, test: 0.1 };
  const set = Object.values(given).reduce<number>((a, v) => a + (v ?? 0), 0);
  const open = (Object.keys(given) as Split[]).filter((k) => !given[k]);
  const openWeight = open.reduce((a, k) => a + defaults[k], 0);
  const out = { ...defaults };
  for (const k of Object.keys(given) as Split[])
    out[k] = given[k] ? given[k]! : openWeight ? ((1 - set) * defaults[k]) / openWeight : 0;
  return out;
}

/** The trainer's labels and examples for a dataset, with the pipeline's split applied. */
export function trainingExamples(
  datasets: DatasetExamples,
  datasetName: string,
  data: Json,
  gcsRoot: string,
  multiLabel: boolean,
): {
  labels: { id: string; displayName: string }[];
  examples: { path: string; uri: string; labels: number[]; split?: Split }[];
  fractions?: Record<Split, number>;
} {
  const all = datasets.examples(datasetName).filter((e) => e.labels.length);
  const specs = new Map(datasets.annotationSpecs(datasetName).map((s) => [s.displayName, s.id]));
  const used = new Set(all.flatMap((e) => (multiLabel ? e.labels : e.labels.slice(0, 1))));
  const names = [...used].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const labels = names.map((displayName, i) => ({
    displayName,
    id: specs.get(displayName) ?? String(1000 + i),
  }));
  const index = new Map(names.map((n, i) => [n, i]));
  const filters = data.filterSplit as Json | undefined;
  const splitOf = (mlUse?: Split): Split | null | undefined => {
    if (filters) {
      for (const [split, key] of [
        ['training', 'trainingFilter'],
        ['validation', 'validationFilter'],
        ['test', 'testFilter'],
      ] as const) {
        const m = ML_USE_FILTER.exec(String(filters[key]).trim());
        if (m && m[1]!.toLowerCase() === mlUse) return split;
      }
      return null; // matched by no filter: not used
    }
    return data.fractionSplit ? undefined : mlUse;
  };
  const examples = [];
  for (const e of all) {
    const split = splitOf(e.mlUse);
    if (split === null) continue;
    examples.push({
      path: gcsToLocal(gcsRoot, e.gcsUri),
      uri: e.gcsUri,
      labels: (multiLabel ? e.labels : e.labels.slice(0, 1)).map((l) => index.get(l)!),
      ...(split ? { split } : {}),
    });
  }
  return data.fractionSplit
    ? { labels, examples, fractions: fractionsOf(data.fractionSplit as Json) }
    : { labels, examples };
}
