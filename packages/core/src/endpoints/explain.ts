/**
 * Online explanations: `PredictionService.Explain` (Vertex Explainable AI), as the Python SDK's
 * `Endpoint.explain(instances, parameters, deployed_model_id)` sends it, with the answer as plain JSON.
 */
import type { protos } from '@google-cloud/aiplatform';
import type { ResolvedConfig } from '../config.ts';
import { postGoogleJson, predictionServiceClient } from '../connection.ts';
import { toApiError, ValidationError } from '../errors.ts';
import { vertexApiHost } from '../regions.ts';
import { fromProtoValue, type JsonValue, type ProtoValue, toProtoValue } from '../value.ts';
import { restStatus } from './prediction.ts';

type IExplainRequest = protos.google.cloud.aiplatform.v1.IExplainRequest;
type IExplainResponse = protos.google.cloud.aiplatform.v1.IExplainResponse;
type IExplanationParameters = protos.google.cloud.aiplatform.v1.IExplanationParameters;

/** Per-request changes to the deployed model's explanation spec (the method itself cannot change). */
export interface ExplanationSpecOverride {
  /** e.g. `{ integratedGradientsAttribution: { stepCount: 100 } }`, `{ topK: 3 }` or `{ outputIndices: [2] }`. */
  parameters?: Omit<IExplanationParameters, 'outputIndices'> & { outputIndices?: number[] };
  /** Baselines per input name, as plain JSON (a number, or an array shaped like the input). */
  metadata?: { inputs: Record<string, { inputBaselines?: JsonValue[] }> };
}

/** Options of `Endpoint.explain`. */
export interface ExplainOptions {
  /** Prediction parameters, as for `predict` (sent only when given). */
  parameters?: unknown;
  /** Explain with this deployed model instead of one drawn by the traffic split. */
  deployedModelId?: string;
  explanationSpecOverride?: ExplanationSpecOverride;
}

/** One attribution: how the features of one instance moved one output (Vertex's `Attribution`). */
export interface Attribution {
  /** The output at the baseline input (averaged over baselines). */
  baselineOutputValue: number;
  /** The output at the instance. */
  instanceOutputValue: number;
  /**
   * Keyed by the explanation metadata's input names: a number per feature, an array shaped like the
   * input, or for images `{ b64_jpeg, attributions? }` (the emulator adds the per-pixel map).
   */
  featureAttributions: JsonValue;
  /** The explained output's index (empty for a scalar output). */
  outputIndex: number[];
  outputDisplayName?: string;
  /** Lower is more precise; above 0.05, use more steps or paths (Vertex's advice). */
  approximationError: number;
  outputName?: string;
}

/** What `Endpoint.explain` returns (the Python SDK's `Prediction` with `explanations`). */
export interface Explanation {
  /** One per instance, as `predict` returns them. */
  predictions: JsonValue[];
  deployedModelId: string;
  /** One per instance: its attributions, one per explained output. */
  explanations: { attributions: Attribution[] }[];
}

/** The ExplainRequest the SDK sends: `parameters` and `deployedModelId` only when given. */
export function explainRequest(
  endpoint: string,
  instances: unknown[],
  options: ExplainOptions = {},
): IExplainRequest {
  if (!Array.isArray(instances) || instances.length === 0)
    throw new ValidationError(
      'instances',
      Array.isArray(instances) ? 'is empty' : `must be a list, got ${typeof instances}`,
      'Pass one entry per instance to explain, e.g. [[5.1, 3.5, 1.4, 0.2]].',
    );
  const request: IExplainRequest = {
    endpoint,
    instances: instances.map((x, i) => toProtoValue(x, `instances[${i}]`)) as IExplainRequest['instances'],
  };
  if (options.parameters !== undefined)
    request.parameters = toProtoValue(options.parameters, 'parameters') as IExplainRequest['parameters'];
  if (options.deployedModelId) request.deployedModelId = options.deployedModelId;
  const override = options.explanationSpecOverride;
  if (override) {
    const { outputIndices, ...parameters } = override.parameters ?? {};
    request.explanationSpecOverride = {
      parameters: {
        ...parameters,
        ...(outputIndices ? { outputIndices: toProtoValue(outputIndices).listValue as never } : {}),
      },
      ...(override.metadata
        ? {
            metadata: {
              inputs: Object.fromEntries(
                Object.entries(override.metadata.inputs).map(([name, input]) => [
                  name,
                  { inputBaselines: (input.inputBaselines ?? []).map((b) => toProtoValue(b)) as never },
                ]),
              ),
            },
          }
        : {}),
    };
  }
  return request;
}

function toAttribution(a: Record<string, unknown>, plain: boolean): Attribution {
  const value = a.featureAttributions;
  const out: Attribution = {
    baselineOutputValue: Number(a.baselineOutputValue ?? 0),
    instanceOutputValue: Number(a.instanceOutputValue ?? 0),
    featureAttributions:
      value === undefined || value === null
        ? {}
        : plain
          ? (value as JsonValue)
          : fromProtoValue(value as ProtoValue),
    outputIndex: ((a.outputIndex as number[] | null | undefined) ?? []).map(Number),
    approximationError: Number(a.approximationError ?? 0),
  };
  if (a.outputDisplayName) out.outputDisplayName = a.outputDisplayName as string;
  if (a.outputName) out.outputName = a.outputName as string;
  return out;
}

/** An ExplainResponse (a gRPC message, or with `plain` its REST JSON) as an {@link Explanation}. */
export function toExplanation(
  response: IExplainResponse | Record<string, unknown>,
  plain = false,
): Explanation {
  const r = response as Record<string, unknown>;
  const predictions = (r.predictions as unknown[] | null | undefined) ?? [];
  return {
    predictions: plain
      ? (predictions as JsonValue[])
      : predictions.map((p) => fromProtoValue(p as ProtoValue)),
    deployedModelId: (r.deployedModelId as string | undefined) ?? '',
    explanations: (
      (r.explanations as { attributions?: Record<string, unknown>[] | null }[] | null) ?? []
    ).map((e) => ({ attributions: (e.attributions ?? []).map((a) => toAttribution(a, plain)) })),
  };
}

/**
 * Sends an ExplainRequest to `endpoint`. Over REST the body is posted as JSON directly, as for `predict`: the
 * client library's REST transcoding turns lists nested in `instances` into objects.
 */
export async function sendExplain(
  config: ResolvedConfig,
  endpoint: string,
  instances: unknown[],
  options: ExplainOptions = {},
): Promise<Explanation> {
  const request = explainRequest(endpoint, instances, options);
  try {
    if (config.apiTransport === 'rest') {
      const body: Record<string, unknown> = {
        instances: (request.instances ?? []).map((v) => fromProtoValue(v as ProtoValue)),
      };
      if (options.parameters !== undefined) body.parameters = options.parameters;
      if (request.deployedModelId) body.deployedModelId = request.deployedModelId;
      if (options.explanationSpecOverride) body.explanationSpecOverride = options.explanationSpecOverride;
      const json = await postGoogleJson<Record<string, unknown>>(
        config,
        `https://${vertexApiHost(config.location)}`,
        `/v1/${endpoint}:explain`,
        body,
      );
      return toExplanation(json, true);
    }
    const client = await predictionServiceClient(config);
    const [response] = await client.explain(request);
    return toExplanation(response);
  } catch (err) {
    throw toApiError(restStatus(err), `Explaining with endpoint ${endpoint}`);
  }
}
