/**
 * Online prediction requests and results: `PredictionService.Predict` with `google.protobuf.Value` instances,
 * and `RawPredict` with a `google.api.HttpBody`.
 */
import type { protos } from '@google-cloud/aiplatform';
import type { ResolvedConfig } from '../config.ts';
import { HTTP_TO_GRPC, postGoogleJson, predictionServiceClient } from '../connection.ts';
import { toApiError, ValidationError } from '../errors.ts';
import { vertexApiHost } from '../regions.ts';
import { fromProtoValue, type JsonValue, type ProtoValue, toProtoValue } from '../value.ts';

type IPredictRequest = protos.google.cloud.aiplatform.v1.IPredictRequest;
type IPredictResponse = protos.google.cloud.aiplatform.v1.IPredictResponse;
type IRawPredictRequest = protos.google.cloud.aiplatform.v1.IRawPredictRequest;
type IHttpBody = protos.google.api.IHttpBody;

/** What `Endpoint.predict` returns (the Python SDK's `Prediction`, in camelCase). */
export interface Prediction {
  /** One per instance, as plain JSON (objects, lists or scalars). */
  predictions: JsonValue[];
  /** The deployed model that answered (drawn by the traffic split). */
  deployedModelId: string;
  /** Its model's resource name (the SDK's `model_resource_name`). */
  model: string;
  modelVersionId: string;
  modelDisplayName?: string;
  /** What the model server returned beside the predictions, if anything. */
  metadata?: JsonValue;
}

/** What `Endpoint.rawPredict` returns: the model server's HTTP body as it came. */
export interface RawPrediction {
  contentType: string;
  body: Uint8Array;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

/** The PredictRequest the SDK sends: `parameters` only when given. */
export function predictRequest(
  endpoint: string,
  instances: unknown[],
  parameters?: unknown,
): IPredictRequest {
  if (!Array.isArray(instances))
    throw new ValidationError(
      'instances',
      `must be a list, got ${typeof instances}`,
      'Pass one entry per prediction, e.g. [[5.1, 3.5, 1.4, 0.2]].',
    );
  const request: IPredictRequest = {
    endpoint,
    instances: instances.map((x, i) => toProtoValue(x, `instances[${i}]`)) as IPredictRequest['instances'],
  };
  if (parameters !== undefined)
    request.parameters = toProtoValue(parameters, 'parameters') as IPredictRequest['parameters'];
  return request;
}

/** A PredictResponse as plain JSON. */
export function toPrediction(response: IPredictResponse): Prediction {
  const out: Prediction = {
    predictions: (response.predictions ?? []).map((p) => fromProtoValue(p as ProtoValue)),
    deployedModelId: response.deployedModelId ?? '',
    model: response.model ?? '',
    modelVersionId: response.modelVersionId ?? '',
  };
  if (response.modelDisplayName) out.modelDisplayName = response.modelDisplayName;
  if (response.metadata) out.metadata = fromProtoValue(response.metadata as ProtoValue);
  return out;
}

/** A RawPredictRequest: strings and objects (as JSON) are sent as UTF-8. */
export function rawPredictRequest(
  endpoint: string,
  body: string | Uint8Array | object,
  contentType = 'application/json',
): IRawPredictRequest {
  let data: Uint8Array;
  if (typeof body === 'string') data = Buffer.from(body, 'utf8');
  else if (body instanceof Uint8Array) data = body;
  else if (body !== null && typeof body === 'object') data = Buffer.from(JSON.stringify(body), 'utf8');
  else
    throw new ValidationError(
      'body',
      `must be a string, bytes or a JSON object, got ${body === null ? 'null' : typeof body}`,
      'Pass e.g. { instances: [[5.1, 3.5, 1.4, 0.2]] }.',
    );
  return { endpoint, httpBody: { contentType, data } };
}

/** An HttpBody as a {@link RawPrediction}. */
export function toRawPrediction(http: IHttpBody): RawPrediction {
  const raw = http.data ?? new Uint8Array();
  const body = typeof raw === 'string' ? Buffer.from(raw, 'base64') : new Uint8Array(raw);
  const contentType = http.contentType ?? '';
  return {
    contentType,
    body,
    text: () => Buffer.from(body).toString('utf8'),
    json: <T>() => JSON.parse(Buffer.from(body).toString('utf8')) as T,
  };
}

/**
 * Sends a PredictRequest to `endpoint` (no GetEndpoint first, as the Python SDK). Over the REST transport the
 * body is posted as JSON directly: the client library's REST transcoding turns lists nested in `instances`
 * (`[[1, 2, 3]]`) into objects (`[{"0": 1, …}]`).
 */
export async function sendPredict(
  config: ResolvedConfig,
  endpoint: string,
  instances: unknown[],
  parameters?: unknown,
): Promise<Prediction> {
  const request = predictRequest(endpoint, instances, parameters);
  try {
    if (config.apiTransport === 'rest') return await restPredict(config, request);
    const client = await predictionServiceClient(config);
    const [response] = await client.predict(request);
    return toPrediction(response);
  } catch (err) {
    throw toApiError(restStatus(err), `Predicting with endpoint ${endpoint}`);
  }
}

/** `POST /v1/{endpoint}:predict` with the request as proto3 JSON, as the Python SDK's REST transport. */
async function restPredict(config: ResolvedConfig, request: IPredictRequest): Promise<Prediction> {
  const body: Record<string, JsonValue> = {
    instances: (request.instances ?? []).map((v) => fromProtoValue(v as ProtoValue)),
  };
  if (request.parameters) body.parameters = fromProtoValue(request.parameters as ProtoValue);
  const json = await postGoogleJson<Record<string, unknown>>(
    config,
    `https://${vertexApiHost(config.location)}`,
    `/v1/${request.endpoint}:predict`,
    body,
  );
  const out: Prediction = {
    predictions: (json.predictions as JsonValue[] | undefined) ?? [],
    deployedModelId: (json.deployedModelId as string | undefined) ?? '',
    model: (json.model as string | undefined) ?? '',
    modelVersionId: (json.modelVersionId as string | undefined) ?? '',
  };
  if (json.modelDisplayName) out.modelDisplayName = json.modelDisplayName as string;
  if (json.metadata !== undefined && json.metadata !== null) out.metadata = json.metadata as JsonValue;
  return out;
}

/** A cloud REST failure (a GaxiosError) as `{ code, details }` with the server's message, for toApiError. */
export function restStatus(err: unknown): unknown {
  const e = err as {
    code?: unknown;
    status?: number;
    response?: { data?: { error?: { message?: string } } };
  };
  if (typeof e?.code === 'number' || typeof e?.status !== 'number') return err;
  const details = e.response?.data?.error?.message ?? String((err as Error).message);
  return { code: HTTP_TO_GRPC[e.status] ?? 13, details };
}

/** Sends a RawPredictRequest to `endpoint`. */
export async function sendRawPredict(
  config: ResolvedConfig,
  endpoint: string,
  body: string | Uint8Array | object,
  contentType = 'application/json',
): Promise<RawPrediction> {
  const request = rawPredictRequest(endpoint, body, contentType);
  const client = await predictionServiceClient(config);
  try {
    const [response] = await client.rawPredict(request);
    return toRawPrediction(response);
  } catch (err) {
    throw toApiError(err, `Raw prediction with endpoint ${endpoint}`);
  }
}
