/**
 * `google.cloud.aiplatform.v1.EndpointService`: endpoints whose deployed models run as local model-server
 * processes ({@link EndpointRuntime}); deploy and undeploy are long-running operations that end when the
 * servers are up (or failed to start, with the server's error) or stopped.
 */
import type { EndpointRuntime } from '../runtime/endpoint-runtime.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { deployExplanationErrors, effectiveExplanationSpec } from './explanation-spec.ts';
import { newId } from './ids.ts';
import { matchesFilter, paginate } from './list-filter.ts';
import type { ModelRegistry } from './model-registry.ts';
import type { OperationStore } from './operations.ts';
import type { Json } from './protos.ts';
import { alreadyExists, failedPrecondition, notFound } from './rpc-error.ts';
import { trafficSplitErrors } from './traffic-split.ts';

const V1 = 'google.cloud.aiplatform.v1.';

/** What the endpoint service works with. */
export interface EndpointContext {
  endpoints: ResourceStore;
  models: ModelRegistry;
  runtime: EndpointRuntime;
  ops: OperationStore;
}

const deployedIds = (e: Json) => new Set(((e.deployedModels as Json[]) ?? []).map((d) => d.id as string));

export function endpointServiceHandlers(ctx: EndpointContext): ServiceHandlers {
  const { endpoints, models, runtime, ops } = ctx;
  const find = (name: string): Json => {
    const e = endpoints.get(name);
    if (!e) throw notFound(`The Endpoint does not exist: ${name}`);
    return e;
  };
  const save = (name: string, change: (e: Json) => void) =>
    endpoints.update(name, (e) => {
      change(e);
      e.updateTime = new Date().toISOString();
      e.etag = newId();
    });
  /** Runs `work` behind a pending operation; its result (or error) ends the operation. */
  const longRunning = (name: string, meta: string, responseType: string, work: () => Promise<Json>): Json => {
    const op = ops.pending(name, `${V1}${meta}`);
    work().then(
      (value) => ops.finish(op.name as string, { response: { type: `${V1}${responseType}`, value } }),
      (err: Error & { code?: number }) =>
        ops.finish(op.name as string, { error: { code: err.code ?? 9, message: err.message } }),
    );
    return op;
  };
  recoverServers(ctx);

  return {
    CreateEndpoint: {
      validate: (req) => {
        const e = (req.endpoint as Json | undefined) ?? {};
        const errors: [string, string][] = [];
        if (e.network || e.privateServiceConnectConfig)
          errors.push([
            'endpoint.network',
            'Private endpoints are served by Vertex AI only: the terra-vertex emulator serves public endpoints. Leave network unset locally.',
          ]);
        if (
          req.endpointId !== undefined &&
          !/^[1-9]\d{0,18}$|^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(String(req.endpointId))
        )
          errors.push(['endpoint_id', 'Use up to 63 lowercase letters, digits and hyphens, or a number.']);
        return errors;
      },
      handle: (req) => {
        const name = `${req.parent as string}/endpoints/${(req.endpointId as string | undefined) || newId()}`;
        if (endpoints.get(name)) throw alreadyExists(`The Endpoint already exists: ${name}`);
        const now = new Date().toISOString();
        const e = req.endpoint as Json;
        const created = endpoints.put({
          ...e,
          name,
          deployedModels: [],
          trafficSplit: {},
          createTime: now,
          updateTime: now,
          etag: newId(),
        });
        return ops.completed(name, `${V1}CreateEndpointOperationMetadata`, {
          type: `${V1}Endpoint`,
          value: created,
        });
      },
    },
    GetEndpoint: (req) => find(req.name as string),
    ListEndpoints: (req) => {
      const all = endpoints
        .list(`${req.parent as string}/endpoints/`)
        .filter((e) => matchesFilter(e, req.filter as string | undefined));
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next ? { endpoints: page, nextPageToken: next } : { endpoints: page };
    },
    UpdateEndpoint: {
      validate: (req) => {
        const e = req.endpoint as Json | undefined;
        const current = e?.name ? endpoints.get(e.name as string) : undefined;
        if (!current || !maskPaths(req.updateMask).includes('traffic_split')) return [];
        return trafficSplitErrors(
          e!.trafficSplit as Record<string, number>,
          deployedIds(current),
          'endpoint.traffic_split',
        );
      },
      handle: (req) => {
        const e = req.endpoint as Json;
        find(e.name as string);
        const paths = maskPaths(req.updateMask);
        const fields: Record<string, string> = {
          display_name: 'displayName',
          description: 'description',
          labels: 'labels',
          traffic_split: 'trafficSplit',
        };
        return save(e.name as string, (cur) => {
          for (const p of paths) {
            const field = fields[p] ?? p;
            if (!Object.values(fields).includes(field))
              throw failedPrecondition(
                `The emulator cannot update ${p}; it updates ${Object.keys(fields).join(', ')}.`,
              );
            cur[field] = e[field] ?? (field === 'trafficSplit' || field === 'labels' ? {} : '');
          }
        })!;
      },
    },
    DeleteEndpoint: (req) => {
      const e = find(req.name as string);
      if ((e.deployedModels as Json[]).length)
        throw failedPrecondition(
          `Endpoint ${e.name as string} has deployed models (${[...deployedIds(e)].join(', ')}); undeploy them first.`,
        );
      endpoints.delete(e.name as string);
      return ops.completed(e.name as string, `${V1}DeleteOperationMetadata`, {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
    DeployModel: {
      validate: (req) => {
        const e = endpoints.get(req.endpoint as string);
        if (!e) return [];
        const allowed = new Set([...deployedIds(e), '0']);
        return [
          ...trafficSplitErrors(req.trafficSplit as Record<string, number>, allowed, 'traffic_split'),
          ...deployExplanationErrors(req, (name) => {
            try {
              return models.get(name);
            } catch {
              return undefined; // an unknown model is reported by the handler
            }
          }),
        ];
      },
      handle: (req) => {
        const e = find(req.endpoint as string);
        const requested = req.deployedModel as Json;
        const model = models.get(requested.model as string);
        const id = newId();
        const deployed: Json = {
          ...requested,
          id,
          model: model.name,
          modelVersionId: model.versionId,
          displayName: requested.displayName ?? model.displayName,
          createTime: new Date().toISOString(),
        };
        if (!deployed.dedicatedResources && !deployed.automaticResources)
          deployed.automaticResources = { minReplicaCount: 1, maxReplicaCount: 1 };
        const explanationSpec = effectiveExplanationSpec(model, requested);
        if (explanationSpec) deployed.explanationSpec = explanationSpec;
        return longRunning(
          e.name as string,
          'DeployModelOperationMetadata',
          'DeployModelResponse',
          async () => {
            await runtime.deploy(e.name as string, deployed, model);
            save(e.name as string, (cur) => {
              cur.deployedModels = [...((cur.deployedModels as Json[]) ?? []), deployed];
              const split = req.trafficSplit as Record<string, number> | undefined;
              if (split && Object.keys(split).length)
                cur.trafficSplit = Object.fromEntries(
                  Object.entries(split).map(([k, v]) => [k === '0' ? id : k, v]),
                );
            });
            return { deployedModel: deployed };
          },
        );
      },
    },
    UndeployModel: {
      validate: (req) => {
        const e = endpoints.get(req.endpoint as string);
        const split = req.trafficSplit as Record<string, number> | undefined;
        if (!e || !split) return [];
        const errors = trafficSplitErrors(split, deployedIds(e), 'traffic_split');
        if (split[req.deployedModelId as string])
          errors.push(['traffic_split', 'The model being undeployed must get 0% of the traffic.']);
        return errors;
      },
      handle: (req) => {
        const e = find(req.endpoint as string);
        const id = req.deployedModelId as string;
        if (!deployedIds(e).has(id)) throw notFound(`Deployed model ${id} is not on ${e.name as string}.`);
        return longRunning(
          e.name as string,
          'UndeployModelOperationMetadata',
          'UndeployModelResponse',
          async () => {
            await runtime.undeploy(e.name as string, id);
            save(e.name as string, (cur) => {
              cur.deployedModels = ((cur.deployedModels as Json[]) ?? []).filter((d) => d.id !== id);
              const given = req.trafficSplit as Record<string, number> | undefined;
              const split = {
                ...((given && Object.keys(given).length ? given : cur.trafficSplit) as Record<
                  string,
                  number
                >),
              };
              delete split[id];
              cur.trafficSplit = split;
            });
            return {};
          },
        );
      },
    },
    MutateDeployedModel: (req) => {
      const e = find(req.endpoint as string);
      const change = req.deployedModel as Json;
      const current = ((e.deployedModels as Json[]) ?? []).find((d) => d.id === change.id);
      if (!current) throw notFound(`Deployed model ${change.id as string} is not on ${e.name as string}.`);
      const updated = { ...current, ...change };
      return longRunning(
        e.name as string,
        'MutateDeployedModelOperationMetadata',
        'MutateDeployedModelResponse',
        async () => {
          const resources = (updated.dedicatedResources ?? updated.automaticResources ?? {}) as Json;
          const min = Number(resources.minReplicaCount ?? 1);
          await runtime
            .pool(e.name as string, updated.id as string)
            ?.resize(min, Number(resources.maxReplicaCount ?? min));
          save(e.name as string, (cur) => {
            cur.deployedModels = ((cur.deployedModels as Json[]) ?? []).map((d) =>
              d.id === updated.id ? updated : d,
            );
          });
          return { deployedModel: updated };
        },
      );
    },
  };
}

/** A FieldMask's paths in snake_case: canonical proto3 JSON writes it as one camelCase string (`"a,bC"`). */
function maskPaths(mask: unknown): string[] {
  const paths =
    typeof mask === 'string' ? mask.split(',') : (((mask as Json | undefined)?.paths as string[]) ?? []);
  return paths.filter(Boolean).map((p) => p.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}

/** After a restart, the deployed models of stored endpoints get their servers again (in the background). */
function recoverServers(ctx: EndpointContext): void {
  for (const e of ctx.endpoints.list()) {
    for (const d of (e.deployedModels as Json[] | undefined) ?? []) {
      let model: Json;
      try {
        model = ctx.models.get(`${d.model as string}@${d.modelVersionId as string}`);
      } catch {
        console.error(
          `terra-vertex emulator: deployed model ${d.id as string} of ${e.name as string}: its model is gone`,
        );
        continue;
      }
      ctx.runtime
        .deploy(e.name as string, d, model)
        .catch((err: Error) =>
          console.error(`terra-vertex emulator: restarting deployed model ${d.id as string}: ${err.message}`),
        );
    }
  }
}
