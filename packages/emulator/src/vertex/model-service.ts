import type { ServiceHandlers } from './dispatch.ts';
import { matchesFilter, paginate } from './list-filter.ts';
import type { ModelRegistry } from './model-registry.ts';
import type { OperationStore } from './operations.ts';
import type { Json } from './protos.ts';
import { failedPrecondition } from './rpc-error.ts';

const UPLOAD_META = 'google.cloud.aiplatform.v1.UploadModelOperationMetadata';
const DELETE_META = 'google.cloud.aiplatform.v1.DeleteOperationMetadata';

/** Checks a Model the way Vertex does on upload; returns `[field, message]` errors. */
export function modelErrors(model: Json | undefined): [string, string][] {
  const errors: [string, string][] = [];
  if (!model) return errors;
  if (((model.displayName as string | undefined)?.length ?? 0) > 128)
    errors.push(['model.display_name', 'Display name must be at most 128 characters.']);
  const container = model.containerSpec as Json | undefined;
  if (model.artifactUri && !(model.artifactUri as string).startsWith('gs://')) {
    errors.push(['model.artifact_uri', 'Must be a Cloud Storage URI (gs://…).']);
  }
  if (container && !container.imageUri)
    errors.push(['model.container_spec.image_uri', 'Required field is not set.']);
  return errors;
}

/** `google.cloud.aiplatform.v1.ModelService`: upload, get, list, versions, aliases, delete. */
export function modelServiceHandlers(
  models: ModelRegistry,
  ops: OperationStore,
  /** The endpoints where a model (`models/{id}`, optionally `@version`) is deployed. */
  deployedOn: (model: string) => string[] = () => [],
): ServiceHandlers {
  const refuseIfDeployed = (name: string) => {
    const where = deployedOn(name);
    if (where.length)
      throw failedPrecondition(
        `${name} is deployed to ${where.join(', ')}; undeploy it (tvx endpoints undeploy) before deleting it.`,
      );
  };
  return {
    UploadModel: {
      validate: (req) => modelErrors(req.model as Json | undefined),
      handle: (req) => {
        const stored = models.upload(req.parent as string, req.model as Json, {
          parentModel: req.parentModel as string | undefined,
          modelId: req.modelId as string | undefined,
        });
        return ops.completed(stored.name as string, UPLOAD_META, {
          type: 'google.cloud.aiplatform.v1.UploadModelResponse',
          value: { model: stored.name, modelVersionId: stored.versionId },
        });
      },
    },
    GetModel: (req) => models.get(req.name as string),
    ListModels: (req) => {
      const all = models
        .listModels(req.parent as string)
        .filter((m) => matchesFilter(m, req.filter as string | undefined));
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next ? { models: page, nextPageToken: next } : { models: page };
    },
    ListModelVersions: (req) => {
      const all = models
        .versions((req.name as string).split('@')[0]!)
        .filter((m) => matchesFilter(m, req.filter as string | undefined));
      if (all.length === 0) models.get(req.name as string);
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next ? { models: page, nextPageToken: next } : { models: page };
    },
    MergeVersionAliases: (req) => models.mergeAliases(req.name as string, req.versionAliases as string[]),
    DeleteModel: (req) => {
      refuseIfDeployed(req.name as string);
      models.deleteModel(req.name as string);
      return ops.completed(req.name as string, DELETE_META, { type: 'google.protobuf.Empty', value: {} });
    },
    DeleteModelVersion: (req) => {
      refuseIfDeployed(req.name as string);
      models.deleteVersion(req.name as string);
      return ops.completed((req.name as string).split('@')[0]!, DELETE_META, {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
  };
}
