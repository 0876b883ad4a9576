/** The CreateEndpoint request as the Python SDK's `Endpoint.create()` (and `PrivateEndpoint.create()`) build it. */
import type { protos } from '@google-cloud/aiplatform';
import type { InitOptions, ResolvedConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import { locationPath, parseResourceName } from '../resource-names.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';

type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
type ICreateEndpointRequest = protos.google.cloud.aiplatform.v1.ICreateEndpointRequest;

/** Where a resource lives: explicit values, else `init()` and the environment. */
export type Where = Pick<InitOptions, 'project' | 'location' | 'emulator'>;

/** Options of `Endpoint.create`: the Python SDK's arguments in camelCase. */
export interface EndpointCreateOptions extends Where {
  /** Default: `Endpoint <local time>`, as the Python SDK. */
  displayName?: string;
  description?: string;
  labels?: Record<string, string>;
  /** Default: `init({ encryptionSpecKeyName })`. */
  encryptionSpecKeyName?: string;
  /** The endpoint's id (default: chosen by the service). */
  endpointId?: string;
  /** A private endpoint peered to this VPC (`projects/{number}/global/networks/{name}`): Vertex AI only. */
  network?: string;
}

/** The display name an endpoint gets when none is given. */
export function endpointDisplayName(options: Pick<EndpointCreateOptions, 'displayName'>): string {
  return options.displayName ?? `Endpoint ${localTimestamp(' ')}`;
}

/** Checks the options and builds the request; a private endpoint is refused when the config is the emulator. */
export function buildCreateEndpointRequest(
  options: EndpointCreateOptions,
  config: Pick<ResolvedConfig, 'project' | 'location' | 'encryptionSpecKeyName' | 'emulator'>,
): ICreateEndpointRequest {
  const displayName = validateDisplayName(endpointDisplayName(options));
  if (options.labels !== undefined) validateLabels(options.labels);
  if (options.network) refusePrivateLocally(config);
  const endpoint: IEndpoint = { displayName };
  if (options.description) endpoint.description = options.description;
  if (options.labels && Object.keys(options.labels).length) endpoint.labels = options.labels;
  const kms = options.encryptionSpecKeyName ?? config.encryptionSpecKeyName;
  if (kms) endpoint.encryptionSpec = { kmsKeyName: kms };
  if (options.network) endpoint.network = options.network;
  const request: ICreateEndpointRequest = { parent: locationPath(config.project, config.location), endpoint };
  if (options.endpointId) request.endpointId = options.endpointId;
  return request;
}

/** Private endpoints need Vertex AI: refused before anything is sent when the emulator is configured. */
export function refusePrivateLocally(config: Pick<ResolvedConfig, 'emulator'>): void {
  if (config.emulator)
    throw new ValidationError(
      'network',
      'private endpoints need Vertex AI: the terra-vertex emulator serves public endpoints only',
      'Leave network unset to deploy locally, or create the endpoint in a Vertex AI project.',
    );
}

/** The project and location of a full endpoint name win over the defaults. */
export function locationOf(nameOrId: string, options: Where): Where {
  if (!nameOrId.startsWith('projects/')) return options;
  const { project, location } = parseResourceName(nameOrId, 'endpoints', 'endpoint');
  return { ...options, project: options.project ?? project, location: options.location ?? location };
}

/** A resolved configuration as the `Where` of another resource (the same backend). */
export function whereOf(config: ResolvedConfig): Where {
  return { project: config.project, location: config.location, emulator: config.emulator ?? false };
}
