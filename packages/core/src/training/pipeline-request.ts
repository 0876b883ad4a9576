import type { protos } from '@google-cloud/aiplatform';
import { type ResolvedConfig, requireStagingBucket } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import { buildModelSpec } from '../models/model-spec.ts';
import { fullResourceName, locationPath } from '../resource-names.ts';
import { jobTensorboard } from '../tensorboard/job-tensorboard.ts';
import { toProtoValue } from '../value.ts';
import { CUSTOM_TASK_DEFINITION, type PoolTask, schedulingStruct, workerPoolStructs } from './task-inputs.ts';
import {
  SPLITS,
  servingOptions,
  type TrainingJobOptions,
  type TrainingRunOptions,
} from './training-options.ts';

type IPipeline = protos.google.cloud.aiplatform.v1.ITrainingPipeline;

/** `CreateTrainingPipelineRequest` in the client's form. */
export interface PipelineRequest {
  parent: string;
  trainingPipeline: IPipeline;
}

/**
 * Builds the `CreateTrainingPipeline` request as the Python SDK's custom training classes do:
 * snake_case `trainingTaskInputs` (pools, output directory, scheduling …) and `modelToUpload` when a
 * serving image was given. `task` supplies what every pool runs.
 */
export async function buildPipelineRequest(
  o: TrainingJobOptions,
  run: TrainingRunOptions,
  config: ResolvedConfig,
  task: () => Promise<PoolTask>,
): Promise<PipelineRequest> {
  if (run.dataset !== undefined) {
    throw new ValidationError(
      'dataset',
      'managed datasets are not supported yet',
      'Pass the data location to your trainer as an argument (e.g. args: ["--data", "gs://…/train.csv"]).',
    );
  }
  const ignored = SPLITS.filter((k) => run[k] !== undefined);
  if (ignored.length) {
    process.emitWarning(
      `${ignored.join(', ')} ignored: data splits apply only with a dataset (as in the Python SDK).`,
      { type: 'TerraVertexNotice' },
    );
  }
  const staging = requireStagingBucket(config, 'TrainingJob constructor');
  const inputs: Record<string, unknown> = {
    worker_pool_specs: workerPoolStructs(await task(), run),
    base_output_directory: {
      output_uri_prefix: run.baseOutputDir ?? `${staging}/aiplatform-custom-training-${localTimestamp()}`,
    },
  };
  const serviceAccount = run.serviceAccount ?? config.serviceAccount;
  if (serviceAccount) inputs.service_account = serviceAccount;
  const network = run.network ?? config.network;
  if (network) inputs.network = network;
  const tensorboard = jobTensorboard(run.tensorboard, serviceAccount, config);
  if (tensorboard) inputs.tensorboard = tensorboard;
  if (run.enableWebAccess) inputs.enable_web_access = true;
  if (run.enableDashboardAccess) inputs.enable_dashboard_access = true;
  if (run.persistentResourceId) inputs.persistent_resource_id = run.persistentResourceId;
  const scheduling = schedulingStruct(run);
  if (scheduling) inputs.scheduling = scheduling;

  const pipeline: IPipeline = {
    displayName: o.displayName,
    trainingTaskDefinition: CUSTOM_TASK_DEFINITION,
    trainingTaskInputs: toProtoValue(inputs) as protos.google.protobuf.IValue,
  };
  if (o.modelServingContainerImageUri) {
    pipeline.modelToUpload = buildModelSpec(
      {
        ...servingOptions(o),
        displayName: run.modelDisplayName ?? `${o.displayName}-model`,
        description: o.modelDescription,
        instanceSchemaUri: o.modelInstanceSchemaUri,
        parametersSchemaUri: o.modelParametersSchemaUri,
        predictionSchemaUri: o.modelPredictionSchemaUri,
        labels: run.modelLabels ?? o.labels,
        versionAliases: run.modelVersionAliases,
        versionDescription: run.modelVersionDescription,
        isDefaultVersion: run.isDefaultVersion,
        encryptionSpecKeyName: o.modelEncryptionSpecKeyName,
      },
      config.encryptionSpecKeyName,
    );
  } else if (run.modelDisplayName) {
    throw new ValidationError(
      'modelDisplayName',
      'was given but modelServingContainerImageUri was not given to the constructor',
      'Give servingContainerImageUri so the trained model can be registered.',
    );
  }
  return finishPipelineRequest(pipeline, run, o, config);
}

/**
 * The fields every training pipeline request ends with, as the Python SDK sets them: the model id and parent
 * model, the job's labels and CMEK key; returns the request with its parent.
 */
export function finishPipelineRequest(
  pipeline: IPipeline,
  run: { modelId?: string; parentModel?: string },
  o: { labels?: Record<string, string>; trainingEncryptionSpecKeyName?: string },
  config: ResolvedConfig,
): PipelineRequest {
  if (run.modelId) pipeline.modelId = run.modelId;
  if (run.parentModel)
    pipeline.parentModel = fullResourceName(
      run.parentModel,
      'models',
      config.project,
      config.location,
      'parentModel',
    );
  if (o.labels && Object.keys(o.labels).length) pipeline.labels = o.labels;
  const kms = o.trainingEncryptionSpecKeyName ?? config.encryptionSpecKeyName;
  if (kms) pipeline.encryptionSpec = { kmsKeyName: kms };
  return { parent: locationPath(config.project, config.location), trainingPipeline: pipeline };
}
