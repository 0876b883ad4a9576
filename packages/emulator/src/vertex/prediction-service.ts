/**
 * `google.cloud.aiplatform.v1.PredictionService` `Predict`, `RawPredict` and `Explain`: a request goes to one
 * deployed model of the endpoint, drawn by the traffic split (or named by `deployedModelId` for Explain), and
 * on to the least busy replica of its model server.
 */
import { status } from '@grpc/grpc-js';
import type { EndpointRuntime } from '../runtime/endpoint-runtime.ts';
import type { ServerResponse, ServingPool } from '../runtime/serving-pool.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { applyOverride, EXPLAIN_ROUTE } from './explanation-spec.ts';
import type { Json } from './protos.ts';
import { failedPrecondition, notFound, RpcError } from './rpc-error.ts';
import { routeBySplit } from './traffic-split.ts';

/** The server's error body, shortened: `{"error": "…"}` gives the message itself. */
function serverError(res: ServerResponse): string {
  const text = res.body.toString('utf8').slice(0, 2000);
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (parsed.error !== undefined)
      return typeof parsed.error === 'string' ? parsed.error : JSON.stringify(parsed.error);
  } catch {
    // not JSON: the text as it came
  }
  return text;
}

/** Sends to the pool; a replica that dies or hangs up mid-request becomes UNAVAILABLE, naming the model. */
async function send(
  pool: ServingPool,
  deployedModelId: string,
  body: string | Buffer,
  contentType: string,
  route?: string,
) {
  try {
    return await pool.send(body, contentType, route);
  } catch (err) {
    const e = err as Error & { cause?: Error };
    throw new RpcError(
      status.UNAVAILABLE,
      `The model server of deployed model ${deployedModelId} did not answer (${e.cause?.message ?? e.message}); a crashed replica is restarted, so try again.`,
    );
  }
}

/** A 200 answer's JSON body; INTERNAL naming the deployed model when it is not JSON. */
function serverJson(res: ServerResponse, deployedModelId: string): Json {
  try {
    return JSON.parse(res.body.toString('utf8')) as Json;
  } catch {
    throw new RpcError(
      status.INTERNAL,
      `The model server of deployed model ${deployedModelId} answered with something that is not JSON.`,
    );
  }
}

function failed(res: ServerResponse, deployedModelId: string): RpcError {
  const code = res.status >= 400 && res.status < 500 ? status.INVALID_ARGUMENT : status.INTERNAL;
  return new RpcError(
    code,
    `The model server of deployed model ${deployedModelId} answered HTTP ${res.status}: ${serverError(res)}`,
  );
}

/** A raw request body parsed as JSON when it is JSON (to count its instances), else undefined. */
function rawJson(data: unknown): unknown {
  try {
    return JSON.parse(Buffer.from((data as string | undefined) ?? '', 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function predictionServiceHandlers(ctx: {
  endpoints: ResourceStore;
  runtime: EndpointRuntime;
  /** Told about every served call (Cloud Monitoring's prediction_count). */
  onServed?: (endpoint: string, deployedModelId: string, body: unknown) => void;
}): ServiceHandlers {
  const target = (name: string, deployedModelId?: string) => {
    const endpoint = ctx.endpoints.get(name);
    if (!endpoint) throw notFound(`The Endpoint does not exist: ${name}`);
    if (
      deployedModelId &&
      !((endpoint.deployedModels as Json[] | undefined) ?? []).some((d) => d.id === deployedModelId)
    )
      throw notFound(`Deployed model ${deployedModelId} is not on ${name}; list them with GetEndpoint.`);
    const id = deployedModelId || routeBySplit(endpoint);
    if (!id)
      throw failedPrecondition(
        `Endpoint ${name} has no deployed model that receives traffic: deploy a model, or give one a share of the traffic split.`,
      );
    const deployed = ((endpoint.deployedModels as Json[]) ?? []).find((d) => d.id === id)!;
    const pool = ctx.runtime.pool(name, id);
    if (!pool)
      throw new RpcError(
        status.UNAVAILABLE,
        `The servers of deployed model ${id} are not running (the emulator may be restarting them); try again.`,
      );
    return { deployed, pool };
  };

  return {
    Predict: async (req) => {
      const { deployed, pool } = target(req.endpoint as string);
      const body = JSON.stringify(
        req.parameters === undefined
          ? { instances: req.instances }
          : { instances: req.instances, parameters: req.parameters },
      );
      const res = await send(pool, deployed.id as string, body, 'application/json');
      if (res.status !== 200) throw failed(res, deployed.id as string);
      ctx.onServed?.(req.endpoint as string, deployed.id as string, req);
      const out = serverJson(res, deployed.id as string);
      if (!Array.isArray(out.predictions))
        throw new RpcError(
          status.INTERNAL,
          `The model server of deployed model ${deployed.id as string} answered without a "predictions" list.`,
        );
      return {
        predictions: out.predictions,
        deployedModelId: deployed.id,
        model: deployed.model,
        modelVersionId: deployed.modelVersionId,
        modelDisplayName: deployed.displayName,
        ...(out.metadata !== undefined ? { metadata: out.metadata } : {}),
      };
    },
    RawPredict: async (req) => {
      const { deployed, pool } = target(req.endpoint as string);
      const http = (req.httpBody as Json | undefined) ?? {};
      const res = await send(
        pool,
        deployed.id as string,
        Buffer.from((http.data as string | undefined) ?? '', 'base64'),
        (http.contentType as string | undefined) || 'application/json',
      );
      if (res.status !== 200) throw failed(res, deployed.id as string);
      ctx.onServed?.(req.endpoint as string, deployed.id as string, rawJson(http.data));
      return { contentType: res.contentType, data: res.body.toString('base64') };
    },
    Explain: async (req) => {
      const { deployed, pool } = target(req.endpoint as string, req.deployedModelId as string | undefined);
      const id = deployed.id as string;
      const spec = deployed.disableExplanations ? undefined : (deployed.explanationSpec as Json | undefined);
      if (!spec)
        throw failedPrecondition(
          `Deployed model ${id} has no explanation spec, so it cannot explain: deploy the model with an explanationSpec, e.g. { parameters: { integratedGradientsAttribution: { stepCount: 50 } } } (sampledShapleyAttribution { pathCount: 25 } for scikit-learn and XGBoost models).`,
        );
      const explanationSpec = applyOverride(spec, req.explanationSpecOverride as Json | undefined);
      const body = JSON.stringify({
        instances: req.instances,
        ...(req.parameters === undefined ? {} : { parameters: req.parameters }),
        explanationSpec,
      });
      const res = await send(pool, id, body, 'application/json', EXPLAIN_ROUTE);
      if (res.status === 404)
        throw failedPrecondition(
          `The model server of deployed model ${id} does not serve explanations (HTTP 404 on ${EXPLAIN_ROUTE}): the emulator explains models served by its prebuilt prediction images (PyTorch, scikit-learn, XGBoost, AutoML image), not custom containers.`,
        );
      if (res.status !== 200) throw failed(res, id);
      ctx.onServed?.(req.endpoint as string, id, req);
      const out = serverJson(res, id);
      if (!Array.isArray(out.explanations))
        throw new RpcError(
          status.INTERNAL,
          `The model server of deployed model ${id} answered without "explanations".`,
        );
      return { explanations: out.explanations, deployedModelId: id, predictions: out.predictions ?? [] };
    },
  };
}
