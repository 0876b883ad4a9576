import type { DatasetServiceClient } from '@google-cloud/aiplatform/build/src/v1/dataset_service_client.js';
import type { EndpointServiceClient } from '@google-cloud/aiplatform/build/src/v1/endpoint_service_client.js';
import type { JobServiceClient } from '@google-cloud/aiplatform/build/src/v1/job_service_client.js';
import type { MetadataServiceClient } from '@google-cloud/aiplatform/build/src/v1/metadata_service_client.js';
import type { ModelServiceClient } from '@google-cloud/aiplatform/build/src/v1/model_service_client.js';
import type { PipelineServiceClient } from '@google-cloud/aiplatform/build/src/v1/pipeline_service_client.js';
import type { PredictionServiceClient } from '@google-cloud/aiplatform/build/src/v1/prediction_service_client.js';
import type { TensorboardServiceClient } from '@google-cloud/aiplatform/build/src/v1/tensorboard_service_client.js';
import type { VizierServiceClient } from '@google-cloud/aiplatform/build/src/v1/vizier_service_client.js';
import type { Storage } from '@google-cloud/storage';
import type { ClientOptions } from 'google-gax';
import type { ResolvedConfig } from './config.ts';
import { vertexApiHost } from './regions.ts';

/**
 * Builds the official Google clients for a configuration: regional endpoints and Application Default
 * Credentials for the cloud; loopback addresses with no credential lookup at all for the emulator.
 * Clients are expensive to construct (the aiplatform one parses 4 MB of protos), so each is made once.
 */
const cache = new Map<string, Promise<unknown>>();

/** Memoises a client under `key` until {@link closeClients} (a failed construction is forgotten). */
export function cached<T>(key: string, make: () => Promise<T>): Promise<T> {
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = make();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** Client options for any v1 Vertex AI GAPIC client. */
export async function vertexClientOptions(config: ResolvedConfig): Promise<ClientOptions> {
  if (config.emulator && config.apiTransport === 'rest') {
    const { GoogleAuth } = await import('google-gax');
    const url = new URL(config.emulator.http);
    return {
      apiEndpoint: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 80),
      protocol: 'http',
      fallback: true,
      auth: new GoogleAuth({ authClient: await localFetchClient() }),
      projectId: config.project,
    } as ClientOptions;
  }
  if (config.emulator) {
    const { grpc, GoogleAuth } = await import('google-gax');
    const { PassThroughClient } = await import('google-auth-library');
    const [host, port] = splitHostPort(config.emulator.vertex);
    return {
      apiEndpoint: host,
      port,
      sslCreds: grpc.credentials.createInsecure(),
      // A pass-through auth client: no ADC discovery, no metadata-server probe, no token.
      auth: new GoogleAuth({ authClient: new PassThroughClient() }),
      projectId: config.project,
    };
  }
  const rest = config.apiTransport === 'rest' ? { fallback: true } : {};
  return {
    apiEndpoint: vertexApiHost(config.location),
    projectId: config.project,
    ...rest,
    ...config.credentials,
  } as ClientOptions;
}

/**
 * A credential-less auth client whose `fetch` is the platform's: with it, REST errors from the emulator
 * reach gax as HTTP responses it maps to gRPC codes (with gaxios underneath they surface as raw
 * GaxiosErrors instead).
 */
async function localFetchClient() {
  const { PassThroughClient } = await import('google-auth-library');
  class LocalFetchClient extends PassThroughClient {
    override fetch = ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)) as InstanceType<
      typeof PassThroughClient
    >['fetch'];
  }
  return new LocalFetchClient();
}

/**
 * A v1 Vertex AI service client for this configuration's backend and region. The deep import loads one
 * service instead of all 34 (about half the require time).
 */
function vertexClient<T>(config: ResolvedConfig, file: string, className: string): Promise<T> {
  return cached(`${file}|${backendKey(config)}`, async () => {
    const mod = (await import(`@google-cloud/aiplatform/build/src/v1/${file}.js`)) as Record<
      string,
      new (
        o: ClientOptions,
      ) => T
    >;
    return new mod[className]!(await vertexClientOptions(config));
  });
}

/** The JobService client (custom jobs, tuning jobs). */
export function jobServiceClient(config: ResolvedConfig): Promise<JobServiceClient> {
  return vertexClient(config, 'job_service_client', 'JobServiceClient');
}

/** The PipelineService client (training pipelines). */
export function pipelineServiceClient(config: ResolvedConfig): Promise<PipelineServiceClient> {
  return vertexClient(config, 'pipeline_service_client', 'PipelineServiceClient');
}

/** The ModelService client (model registry). */
export function modelServiceClient(config: ResolvedConfig): Promise<ModelServiceClient> {
  return vertexClient(config, 'model_service_client', 'ModelServiceClient');
}

/** The VizierService client (studies and trials driven by the caller). */
export function vizierServiceClient(config: ResolvedConfig): Promise<VizierServiceClient> {
  return vertexClient(config, 'vizier_service_client', 'VizierServiceClient');
}

/** The EndpointService client (endpoints, deploying and undeploying models). */
export function endpointServiceClient(config: ResolvedConfig): Promise<EndpointServiceClient> {
  return vertexClient(config, 'endpoint_service_client', 'EndpointServiceClient');
}

/** The DatasetService client (managed datasets: create, import, data items, annotations). */
export function datasetServiceClient(config: ResolvedConfig): Promise<DatasetServiceClient> {
  return vertexClient(config, 'dataset_service_client', 'DatasetServiceClient');
}

/** The PredictionService client (online predictions; same regional host as the other services). */
export function predictionServiceClient(config: ResolvedConfig): Promise<PredictionServiceClient> {
  return vertexClient(config, 'prediction_service_client', 'PredictionServiceClient');
}

/** The TensorboardService client (tensorboards, their experiments, runs and scalar time series). */
export function tensorboardServiceClient(config: ResolvedConfig): Promise<TensorboardServiceClient> {
  return vertexClient(config, 'tensorboard_service_client', 'TensorboardServiceClient');
}

/** The MetadataService client (Vertex ML Metadata: experiments and their runs as contexts). */
export function metadataServiceClient(config: ResolvedConfig): Promise<MetadataServiceClient> {
  return vertexClient(config, 'metadata_service_client', 'MetadataServiceClient');
}

/** The Cloud Storage client for this configuration's backend. */
export function storageClient(config: ResolvedConfig): Promise<Storage> {
  return cached(`storage|${backendKey(config)}`, async () => {
    const { Storage } = await import('@google-cloud/storage');
    if (config.emulator) return new Storage({ apiEndpoint: config.emulator.http, projectId: config.project });
    return new Storage({ projectId: config.project, ...config.credentials });
  });
}

/**
 * POSTs JSON to a Google REST API (Cloud Logging here): the emulator's HTTP port locally, the public
 * host with ADC in the cloud.
 */
export async function postGoogleJson<T>(
  config: ResolvedConfig,
  cloudBase: string,
  path: string,
  body: unknown,
): Promise<T> {
  return googleJson<T>(config, cloudBase, path, 'POST', body);
}

/**
 * GETs JSON from a Google REST API (Cloud Monitoring here): `query` values become URL parameters (arrays
 * repeat the key). The emulator's HTTP port locally, the public host with ADC in the cloud.
 */
export async function getGoogleJson<T>(
  config: ResolvedConfig,
  cloudBase: string,
  path: string,
  query: Record<string, string | number | string[] | undefined> = {},
): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return googleJson<T>(config, cloudBase, params.size ? `${path}?${params}` : path, 'GET');
}

async function googleJson<T>(
  config: ResolvedConfig,
  cloudBase: string,
  path: string,
  method: 'GET' | 'POST',
  body?: unknown,
): Promise<T> {
  if (config.emulator) {
    const url = `${config.emulator.http}${path}`;
    const init: RequestInit =
      method === 'POST'
        ? { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
        : { method };
    const res = await fetch(url, init).catch((err: Error & { cause?: { code?: string } }) => {
      const why = `cannot reach the emulator at ${url} (${err.cause?.code ?? err.message})`;
      throw Object.assign(new Error(why), { code: 14, details: why });
    });
    const text = await res.text();
    if (!res.ok) throw restError(res.status, text, path.split('?')[0]!);
    return JSON.parse(text) as T;
  }
  const auth = await cached(`auth|${JSON.stringify(config.credentials ?? {})}`, async () => {
    const { GoogleAuth } = await import('google-auth-library');
    return new GoogleAuth({
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      ...config.credentials,
    });
  });
  const res = await auth.request<T>({
    url: `${cloudBase}${path}`,
    method,
    ...(method === 'POST' ? { data: body } : {}),
  });
  return res.data;
}

function restError(status: number, text: string, path: string): Error {
  let message = text;
  let code = 2;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string; code?: number; status?: string } };
    message = parsed.error?.message ?? text;
    code = HTTP_TO_GRPC[status] ?? 2;
  } catch {
    // Not JSON: keep the raw body as the message.
  }
  return Object.assign(new Error(`${path}: ${message}`), { code, details: message });
}

/** gRPC status codes for HTTP statuses of Google REST APIs (the emulator's and the cloud's). */
export const HTTP_TO_GRPC: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 6,
  429: 8,
  500: 13,
  501: 12,
  503: 14,
};

function backendKey(config: ResolvedConfig): string {
  return config.emulator
    ? `emu:${config.emulator.vertex}|${config.emulator.http}`
    : `cloud:${config.location}|${config.project}`;
}

function splitHostPort(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  const host = i > 0 ? hostPort.slice(0, i).replace(/^\[|\]$/g, '') : hostPort;
  const port = i > 0 ? Number(hostPort.slice(i + 1)) : 443;
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`VERTEX_AI_EMULATOR_HOST must be host:port, got ${JSON.stringify(hostPort)}`);
  }
  return [host, port];
}

/** Closes every cached client (tests, notebook cleanup cells). */
export async function closeClients(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    const c = (await p.catch(() => undefined)) as { close?: () => Promise<void> } | undefined;
    if (c && typeof c.close === 'function') await c.close();
  }
}
