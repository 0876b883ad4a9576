import { readdirSync } from 'node:fs';
import type { CustomJobRunner } from '../runtime/custom-job-runner.ts';
import { gcsToLocal } from '../runtime/gcs-paths.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import {
  type AutomlImageDeps,
  automlImageTaskErrors,
  cancelAutomlImagePipeline,
  createAutomlImagePipeline,
  recoverAutomlImagePipelines,
} from './automl-image-task.ts';
import { AUTOML_IMAGE_CLASSIFICATION_TASK } from './automl-schemas.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { newId } from './ids.ts';
import { createCustomJob } from './job-service.ts';
import { matchesFilter, paginate } from './list-filter.ts';
import type { ModelRegistry } from './model-registry.ts';
import { modelErrors } from './model-service.ts';
import type { OperationStore } from './operations.ts';
import type { Json } from './protos.ts';
import { failedPrecondition, invalidArgument, notFound } from './rpc-error.ts';
import { backingCustomJob, CUSTOM_TASK } from './training-task.ts';

const TERMINAL = new Set(['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_FAILED', 'PIPELINE_STATE_CANCELLED']);
const FROM_JOB: Record<string, string> = {
  JOB_STATE_QUEUED: 'PIPELINE_STATE_QUEUED',
  JOB_STATE_PENDING: 'PIPELINE_STATE_PENDING',
  JOB_STATE_RUNNING: 'PIPELINE_STATE_RUNNING',
  JOB_STATE_CANCELLING: 'PIPELINE_STATE_CANCELLING',
  JOB_STATE_CANCELLED: 'PIPELINE_STATE_CANCELLED',
  JOB_STATE_FAILED: 'PIPELINE_STATE_FAILED',
};

/** What a training pipeline needs around it. */
export interface PipelineContext {
  pipelines: ResourceStore;
  jobs: ResourceStore;
  runner: CustomJobRunner;
  models: ModelRegistry;
  ops: OperationStore;
  gcsRoot: string;
  /** The AutoML image classification task (trainer, datasets, evaluations); unset: that task is refused. */
  automl?: AutomlImageDeps;
}

const isAutomlImage = (p: Json) => p.trainingTaskDefinition === AUTOML_IMAGE_CLASSIFICATION_TASK;

/**
 * Training pipelines with the custom task: each runs a backing CustomJob and, when it succeeds, uploads
 * the model the trainer saved under AIP_MODEL_DIR with the pipeline's `modelToUpload` spec. AutoML image
 * classification pipelines train locally instead (automl-image-task.ts).
 */
export function pipelineServiceHandlers(ctx: PipelineContext): ServiceHandlers {
  ctx.runner.onStateChange((jobName, job) => followJob(ctx, jobName, job));
  reconcile(ctx);
  recoverAutomlImagePipelines(ctx, isAutomlImage);
  const find = (name: string): Json => {
    const p = ctx.pipelines.get(name);
    if (!p) throw notFound(`The TrainingPipeline does not exist: ${name}`);
    return p;
  };
  return {
    CreateTrainingPipeline: {
      validate: (req) => {
        const p = req.trainingPipeline as Json | undefined;
        if (!p) return [];
        const errors = modelErrors(p.modelToUpload as Json | undefined).map(
          ([f, m]) => [f.replace(/^model/, 'training_pipeline.model_to_upload'), m] as [string, string],
        );
        if (isAutomlImage(p)) return [...errors, ...automlImageTaskErrors(ctx, p, req.parent as string)];
        if (p.inputDataConfig)
          errors.push([
            'training_pipeline.input_data_config',
            'Managed datasets are not supported by the emulator yet; pass the data location to the trainer as an argument.',
          ]);
        if (p.trainingTaskDefinition && p.trainingTaskDefinition !== CUSTOM_TASK) {
          errors.push([
            'training_pipeline.training_task_definition',
            `The emulator runs custom training (${CUSTOM_TASK}) and AutoML image classification (${AUTOML_IMAGE_CLASSIFICATION_TASK}) only.`,
          ]);
        }
        return errors;
      },
      handle: (req) => {
        const parent = req.parent as string;
        const spec = req.trainingPipeline as Json;
        if (isAutomlImage(spec)) return createAutomlImagePipeline(ctx, parent, spec);
        const job = backingCustomJob(spec);
        const now = new Date().toISOString();
        const pipeline: Json = {
          ...spec,
          name: `${parent}/trainingPipelines/${newId()}`,
          state: 'PIPELINE_STATE_QUEUED',
          createTime: now,
          updateTime: now,
        };
        ctx.pipelines.put(pipeline);
        const created = createCustomJob(ctx.jobs, ctx.runner, parent, job);
        ctx.pipelines.update(pipeline.name as string, (p) => {
          p.trainingTaskMetadata = { backingCustomJob: created.name };
        });
        return structuredClone(ctx.pipelines.get(pipeline.name as string)!);
      },
    },
    GetTrainingPipeline: (req) => find(req.name as string),
    ListTrainingPipelines: (req) => {
      const all = ctx.pipelines
        .list(`${req.parent as string}/trainingPipelines/`)
        .filter((p) => matchesFilter(p, req.filter as string | undefined));
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next ? { trainingPipelines: page, nextPageToken: next } : { trainingPipelines: page };
    },
    CancelTrainingPipeline: (req) => {
      const p = find(req.name as string);
      if (TERMINAL.has(p.state as string))
        throw failedPrecondition(
          `Cannot cancel TrainingPipeline ${p.name} in state ${p.state}: it has already ended.`,
        );
      const job = backingJobName(p);
      if (job) ctx.runner.cancel(job);
      if (isAutomlImage(p)) cancelAutomlImagePipeline(ctx, p);
      return {};
    },
    DeleteTrainingPipeline: (req) => {
      const p = find(req.name as string);
      if (!TERMINAL.has(p.state as string))
        throw failedPrecondition(
          `TrainingPipeline ${p.name} is in state ${p.state}; cancel it before deleting it.`,
        );
      ctx.pipelines.delete(p.name as string);
      return ctx.ops.completed(p.name as string, 'google.cloud.aiplatform.v1.DeleteOperationMetadata', {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
  };
}

function backingJobName(p: Json): string | undefined {
  return (p.trainingTaskMetadata as Json | undefined)?.backingCustomJob as string | undefined;
}

function pipelineOf(ctx: PipelineContext, jobName: string): Json | undefined {
  return ctx.pipelines.list().find((p) => backingJobName(p) === jobName);
}

/** Mirrors the backing job's state; on success uploads the model. */
function followJob(ctx: PipelineContext, jobName: string, job: Json): void {
  const pipeline = pipelineOf(ctx, jobName);
  if (!pipeline || TERMINAL.has(pipeline.state as string)) return;
  const name = pipeline.name as string;
  const now = new Date().toISOString();
  const set = (fields: Json) =>
    ctx.pipelines.update(name, (p) => Object.assign(p, fields, { updateTime: now }));
  if (job.state === 'JOB_STATE_RUNNING' && !pipeline.startTime) set({ startTime: job.startTime ?? now });
  if (job.state !== 'JOB_STATE_SUCCEEDED') {
    const state = FROM_JOB[job.state as string];
    if (state)
      set({
        state,
        ...(TERMINAL.has(state) ? { endTime: now, ...(job.error ? { error: job.error } : {}) } : {}),
      });
    return;
  }
  const spec = pipeline.modelToUpload as Json | undefined;
  if (!spec) return void set({ state: 'PIPELINE_STATE_SUCCEEDED', endTime: now });
  try {
    const base = ((pipeline.trainingTaskInputs as Json).base_output_directory ??
      (pipeline.trainingTaskInputs as Json).baseOutputDirectory) as Json | undefined;
    const prefix = (base?.output_uri_prefix ?? base?.outputUriPrefix) as string | undefined;
    if (!prefix)
      throw invalidArgument('The pipeline has no base_output_directory, so AIP_MODEL_DIR was not set.');
    const modelDir = `${prefix.replace(/\/$/, '')}/model/`;
    if (!hasFiles(gcsToLocal(ctx.gcsRoot, modelDir))) {
      throw failedPrecondition(
        `The training finished but wrote no model artifacts to ${modelDir}. Ensure that your training script saves the model to os.environ['AIP_MODEL_DIR'].`,
      );
    }
    const parent = name.split('/trainingPipelines/')[0]!;
    const stored = ctx.models.upload(
      parent,
      { ...spec, artifactUri: modelDir },
      {
        parentModel: pipeline.parentModel as string | undefined,
        modelId: pipeline.modelId as string | undefined,
      },
    );
    set({
      state: 'PIPELINE_STATE_SUCCEEDED',
      endTime: now,
      modelToUpload: stored,
      modelId: (stored.name as string).split('/').pop(),
    });
  } catch (err) {
    set({
      state: 'PIPELINE_STATE_FAILED',
      endTime: now,
      error: { code: 9, message: (err as Error).message },
    });
  }
}

function hasFiles(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false; // the folder does not exist: nothing was saved
  }
}

/** After a restart, pipelines take the final state of backing jobs that ended while the emulator was down. */
function reconcile(ctx: PipelineContext): void {
  for (const p of ctx.pipelines.list()) {
    if (TERMINAL.has(p.state as string)) continue;
    const jobName = backingJobName(p);
    const job = jobName ? ctx.jobs.get(jobName) : undefined;
    if (job) followJob(ctx, jobName!, job);
  }
}
