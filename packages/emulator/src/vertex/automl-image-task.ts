/**
 * Training pipelines with the AutoML image classification task: the dataset's labelled images are trained on
 * locally by `python -m tvx_automl` (a small CNN on the CPU) within a local time budget mapped from
 * `budgetMilliNodeHours` ({@link localSeconds}), then the model is registered with AutoML's fields and its
 * test-split evaluation. States: PENDING → RUNNING → SUCCEEDED | FAILED | CANCELLED.
 */
import { AutomlCancelled, type AutomlOutcome, type AutomlRunner } from '../runtime/automl-runner.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import {
  type AutomlImageInputs,
  automlImageInputs,
  type DatasetExamples,
  inputDataErrors,
  trainingExamples,
} from './automl-inputs.ts';
import {
  AUTOML_IMAGE_MODEL_METADATA,
  AUTOML_IMAGE_PREDICT_SCHEMATA,
  CLASSIFICATION_METRICS_SCHEMA,
  localSeconds,
} from './automl-schemas.ts';
import { newId } from './ids.ts';
import type { EvaluationStore } from './model-evaluations.ts';
import type { ModelRegistry } from './model-registry.ts';
import type { Json } from './protos.ts';
import { failedPrecondition, notFound } from './rpc-error.ts';

/** What the AutoML image task needs besides the pipeline store and the model registry. */
export interface AutomlImageDeps {
  runner: AutomlRunner;
  /** The DatasetService's store (`DatasetStore`); without it AutoML pipelines are refused. */
  datasets?: DatasetExamples;
  evaluations: EvaluationStore;
  /** The model registry's own store (`models` collection), to mark versions AUTOMATIC_RESOURCES-only. */
  modelVersions: ResourceStore;
}

/** The pipeline context the task runs in. */
export interface AutomlImageContext {
  pipelines: ResourceStore;
  models: ModelRegistry;
  gcsRoot: string;
  automl?: AutomlImageDeps;
}

const MOBILE_EXPORT_FORMATS = ['tflite', 'edgetpu-tflite', 'tf-saved-model', 'core-ml', 'tf-js'];

/** `[field, message]` errors of an AutoML image pipeline (task inputs, data config, base model). */
export function automlImageTaskErrors(
  ctx: AutomlImageContext,
  pipeline: Json,
  parent: string,
): [string, string][] {
  const inputs = automlImageInputs(pipeline);
  const errors = [...(Array.isArray(inputs) ? inputs : []), ...inputDataErrors(pipeline)];
  if (!Array.isArray(inputs) && inputs.baseModelId) {
    try {
      const base = ctx.models.get(`${parent}/models/${inputs.baseModelId}`);
      if ((base.metadata as Json | undefined)?.modelType !== inputs.modelType)
        errors.push([
          'training_pipeline.training_task_inputs.base_model_id',
          `The base model is not an AutoML image model of type ${inputs.modelType}.`,
        ]);
    } catch {
      errors.push([
        'training_pipeline.training_task_inputs.base_model_id',
        `There is no model ${inputs.baseModelId} in ${parent}.`,
      ]);
    }
  }
  return errors;
}

/** Creates the pipeline (PENDING) and starts training in the background; returns the stored pipeline. */
export function createAutomlImagePipeline(ctx: AutomlImageContext, parent: string, spec: Json): Json {
  const deps = ctx.automl;
  if (!deps?.datasets)
    throw failedPrecondition('This emulator has no dataset store, so it cannot run AutoML training.');
  const inputs = automlImageInputs(spec) as AutomlImageInputs;
  const data = spec.inputDataConfig as Json;
  const datasetName = `${parent}/datasets/${data.datasetId as string}`;
  if (deps.datasets.get && !deps.datasets.get(datasetName))
    throw notFound(`The Dataset does not exist: ${datasetName}`);
  const prepared = trainingExamples(deps.datasets, datasetName, data, ctx.gcsRoot, inputs.multiLabel);
  if (prepared.labels.length < 2)
    throw failedPrecondition(
      `Dataset ${datasetName} has ${prepared.examples.length} labelled images with ${prepared.labels.length} label(s): image classification needs at least 2 labels (Vertex recommends 10+ images per label). Import labelled images first.`,
    );
  const now = new Date().toISOString();
  const pipeline: Json = {
    ...spec,
    trainingTaskInputs: {
      ...(spec.trainingTaskInputs as Json),
      modelType: inputs.modelType,
      budgetMilliNodeHours: String(inputs.budgetMilliNodeHours),
    },
    name: `${parent}/trainingPipelines/${newId()}`,
    state: 'PIPELINE_STATE_PENDING',
    createTime: now,
    updateTime: now,
  };
  ctx.pipelines.put(pipeline);
  const baseModel = inputs.baseModelId
    ? ctx.models.get(`${parent}/models/${inputs.baseModelId}`).trainingPipeline
    : undefined;
  const name = pipeline.name as string;
  const created = structuredClone(pipeline);
  // The trainer starts once the create call has answered (PENDING), then the pipeline is RUNNING.
  setImmediate(() => {
    if (ctx.pipelines.get(name)?.state !== 'PIPELINE_STATE_PENDING') return; // cancelled (or reset) meanwhile
    const run = deps.runner.run(name, {
      ...prepared,
      multiLabel: inputs.multiLabel,
      modelType: inputs.modelType,
      budgetSeconds: localSeconds(inputs.budgetMilliNodeHours),
      budgetMilliNodeHours: inputs.budgetMilliNodeHours,
      earlyStopping: !inputs.disableEarlyStopping,
      ...(baseModel ? { baseModel: baseModelFile(deps, baseModel as string) } : {}),
    });
    set(ctx, name, { state: 'PIPELINE_STATE_RUNNING', startTime: new Date().toISOString() });
    run.then(
      (outcome) => finish(ctx, name, inputs, outcome),
      (err: Error) =>
        set(ctx, name, {
          state: err instanceof AutomlCancelled ? 'PIPELINE_STATE_CANCELLED' : 'PIPELINE_STATE_FAILED',
          endTime: new Date().toISOString(),
          error:
            err instanceof AutomlCancelled
              ? { code: 1, message: 'CANCELED' }
              : { code: 13, message: err.message },
        }),
    );
  });
  return created;
}

function baseModelFile(deps: AutomlImageDeps, trainingPipeline: string): string {
  const dir = deps.runner.modelDirOf(trainingPipeline.split('/').pop()!);
  return `${dir}/model.pt`;
}

function set(ctx: AutomlImageContext, name: string, fields: Json): void {
  ctx.pipelines.update(name, (p) => Object.assign(p, fields, { updateTime: new Date().toISOString() }));
}

/** Registers the trained model and its evaluation; the pipeline SUCCEEDS with AutoML's metadata. */
function finish(
  ctx: AutomlImageContext,
  name: string,
  inputs: AutomlImageInputs,
  outcome: AutomlOutcome,
): void {
  const deps = ctx.automl!;
  const pipeline = ctx.pipelines.get(name);
  if (!pipeline) return; // deleted by an admin reset meanwhile
  const t = outcome.training;
  try {
    const spec = (pipeline.modelToUpload ?? {}) as Json;
    const model: Json = { displayName: spec.displayName ?? pipeline.displayName };
    for (const k of ['description', 'labels', 'encryptionSpec', 'versionAliases', 'versionDescription'])
      if (spec[k] !== undefined) model[k] = spec[k];
    Object.assign(model, {
      predictSchemata: AUTOML_IMAGE_PREDICT_SCHEMATA,
      metadataSchemaUri: AUTOML_IMAGE_MODEL_METADATA,
      metadata: {
        modelType: inputs.modelType,
        trainingDataItemsCount: String(t.trainingDataItemsCount),
        validationDataItemsCount: String(t.validationDataItemsCount),
        trainingAnnotationsCount: String(t.trainingAnnotationsCount),
        validationAnnotationsCount: String(t.validationAnnotationsCount),
        eligibleAsBaseModel: true,
      },
      trainingPipeline: name,
      supportedInputStorageFormats: ['jsonl'],
      supportedOutputStorageFormats: ['jsonl'],
      ...(inputs.modelType.startsWith('MOBILE_')
        ? { supportedExportFormats: MOBILE_EXPORT_FORMATS.map((id) => ({ id })) }
        : {}),
    });
    const parent = name.split('/trainingPipelines/')[0]!;
    const stored = ctx.models.upload(parent, model, {
      parentModel: pipeline.parentModel as string | undefined,
      modelId: pipeline.modelId as string | undefined,
    });
    const version = `${stored.name as string}@${stored.versionId as string}`;
    deps.modelVersions.update(version, (m) => {
      m.supportedDeploymentResourcesTypes = ['AUTOMATIC_RESOURCES'];
    });
    deps.evaluations.add(
      ctx.models.get(version),
      {
        metricsSchemaUri: CLASSIFICATION_METRICS_SCHEMA,
        metrics: outcome.metrics,
        sliceDimensions: ['annotationSpec'],
      },
      outcome.slices.map((s) => ({
        slice: { dimension: 'annotationSpec', value: s.displayName },
        metrics: s.metrics,
      })),
    );
    set(ctx, name, {
      state: 'PIPELINE_STATE_SUCCEEDED',
      endTime: new Date().toISOString(),
      trainingTaskMetadata: {
        costMilliNodeHours: String(t.costMilliNodeHours),
        successfulStopReason: t.successfulStopReason,
      },
      modelToUpload: ctx.models.get(version),
      modelId: (stored.name as string).split('/').pop(),
    });
  } catch (err) {
    set(ctx, name, {
      state: 'PIPELINE_STATE_FAILED',
      endTime: new Date().toISOString(),
      error: { code: 9, message: `Registering the trained model failed: ${(err as Error).message}` },
    });
  }
}

/** Cancels a running AutoML pipeline: its trainer is killed and it ends CANCELLED. */
export function cancelAutomlImagePipeline(ctx: AutomlImageContext, pipeline: Json): void {
  set(ctx, pipeline.name as string, { state: 'PIPELINE_STATE_CANCELLING' });
  if (!ctx.automl?.runner.cancel(pipeline.name as string))
    set(ctx, pipeline.name as string, {
      state: 'PIPELINE_STATE_CANCELLED',
      endTime: new Date().toISOString(),
      error: { code: 1, message: 'CANCELED' },
    });
}

/** After a restart, AutoML pipelines that were running end FAILED (their trainer is killed), saying why. */
export function recoverAutomlImagePipelines(ctx: AutomlImageContext, isAutoml: (p: Json) => boolean): void {
  const active = [
    'PIPELINE_STATE_QUEUED',
    'PIPELINE_STATE_PENDING',
    'PIPELINE_STATE_RUNNING',
    'PIPELINE_STATE_CANCELLING',
  ];
  for (const p of ctx.pipelines.list()) {
    if (!isAutoml(p) || !active.includes(p.state as string)) continue;
    ctx.automl?.runner.killOrphan((p.name as string).split('/').pop()!);
    set(ctx, p.name as string, {
      state: 'PIPELINE_STATE_FAILED',
      endTime: new Date().toISOString(),
      error: {
        code: 10,
        message:
          'The emulator stopped while this AutoML training was running; its trainer was ended. Run the training again.',
      },
    });
  }
}
