import type { protos } from '@google-cloud/aiplatform';
import { ValidationError } from '../errors.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';

type IModel = protos.google.cloud.aiplatform.v1.IModel;

/** How Vertex serves a model: the container and its contract (Python SDK `serving_container_*` arguments). */
export interface ServingContainerOptions {
  servingContainerImageUri?: string;
  servingContainerPredictRoute?: string;
  servingContainerHealthRoute?: string;
  servingContainerCommand?: string[];
  servingContainerArgs?: string[];
  /** Values are sent as strings (the Python SDK `str()`s them). */
  servingContainerEnvironmentVariables?: Record<string, string | number | boolean>;
  servingContainerPorts?: number[];
  servingContainerGrpcPorts?: number[];
  /** Seconds. */
  servingContainerDeploymentTimeout?: number;
  servingContainerSharedMemorySizeMb?: number;
  servingContainerStartupProbeExec?: string[];
  servingContainerStartupProbePeriodSeconds?: number;
  servingContainerStartupProbeTimeoutSeconds?: number;
  servingContainerHealthProbeExec?: string[];
  servingContainerHealthProbePeriodSeconds?: number;
  servingContainerHealthProbeTimeoutSeconds?: number;
}

/** Everything that describes a model version, for `Model.upload()` and training pipelines. */
export interface ModelSpecOptions extends ServingContainerOptions {
  displayName?: string;
  description?: string;
  artifactUri?: string;
  instanceSchemaUri?: string;
  parametersSchemaUri?: string;
  predictionSchemaUri?: string;
  labels?: Record<string, string>;
  versionAliases?: string[];
  versionDescription?: string;
  /** Add the `default` alias (default true). */
  isDefaultVersion?: boolean;
  explanationMetadata?: protos.google.cloud.aiplatform.v1.IExplanationMetadata;
  explanationParameters?: protos.google.cloud.aiplatform.v1.IExplanationParameters;
  encryptionSpecKeyName?: string;
}

/** The `containerSpec` of a Model, or undefined without an image. */
export function servingContainerSpec(o: ServingContainerOptions): IModel['containerSpec'] | undefined {
  if (!o.servingContainerImageUri) return undefined;
  const spec: Record<string, unknown> = { imageUri: o.servingContainerImageUri };
  if (o.servingContainerCommand?.length) spec.command = o.servingContainerCommand;
  if (o.servingContainerArgs?.length) spec.args = o.servingContainerArgs;
  const env = Object.entries(o.servingContainerEnvironmentVariables ?? {});
  if (env.length) spec.env = env.map(([name, value]) => ({ name: String(name), value: String(value) }));
  if (o.servingContainerPorts?.length)
    spec.ports = o.servingContainerPorts.map((containerPort) => ({ containerPort }));
  if (o.servingContainerPredictRoute) spec.predictRoute = o.servingContainerPredictRoute;
  if (o.servingContainerHealthRoute) spec.healthRoute = o.servingContainerHealthRoute;
  if (o.servingContainerGrpcPorts?.length)
    spec.grpcPorts = o.servingContainerGrpcPorts.map((containerPort) => ({ containerPort }));
  if (o.servingContainerDeploymentTimeout)
    spec.deploymentTimeout = { seconds: String(o.servingContainerDeploymentTimeout) };
  if (o.servingContainerSharedMemorySizeMb)
    spec.sharedMemorySizeMb = String(o.servingContainerSharedMemorySizeMb);
  const probe = (exec?: string[], period?: number, timeout?: number) => {
    if (!exec?.length) return undefined;
    const p: Record<string, unknown> = { exec: { command: exec } };
    if (period) p.periodSeconds = period;
    if (timeout) p.timeoutSeconds = timeout;
    return p;
  };
  const startup = probe(
    o.servingContainerStartupProbeExec,
    o.servingContainerStartupProbePeriodSeconds,
    o.servingContainerStartupProbeTimeoutSeconds,
  );
  if (startup) spec.startupProbe = startup;
  const health = probe(
    o.servingContainerHealthProbeExec,
    o.servingContainerHealthProbePeriodSeconds,
    o.servingContainerHealthProbeTimeoutSeconds,
  );
  if (health) spec.healthProbe = health;
  return spec as IModel['containerSpec'];
}

/** Builds the `Model` message as the Python SDK's `Model.upload()` does (field order aside). */
export function buildModelSpec(o: ModelSpecOptions, kmsDefault?: string): IModel {
  if (o.displayName !== undefined) validateDisplayName(o.displayName);
  if (o.labels !== undefined) validateLabels(o.labels);
  if (o.explanationMetadata && !o.explanationParameters) {
    throw new ValidationError(
      'explanationParameters',
      'is missing: to get model explanation, `explanation_parameters` must be specified',
      'Give explanationParameters (e.g. { sampledShapleyAttribution: { pathCount: 10 } }) with the metadata.',
    );
  }
  const model: IModel = {};
  if (o.displayName) model.displayName = o.displayName;
  if (o.description) model.description = o.description;
  if (o.instanceSchemaUri || o.parametersSchemaUri || o.predictionSchemaUri) {
    model.predictSchemata = {
      ...(o.instanceSchemaUri ? { instanceSchemaUri: o.instanceSchemaUri } : {}),
      ...(o.parametersSchemaUri ? { parametersSchemaUri: o.parametersSchemaUri } : {}),
      ...(o.predictionSchemaUri ? { predictionSchemaUri: o.predictionSchemaUri } : {}),
    };
  }
  const container = servingContainerSpec(o);
  if (container) model.containerSpec = container;
  if (o.artifactUri) model.artifactUri = o.artifactUri;
  if (o.explanationParameters) {
    model.explanationSpec = {
      parameters: o.explanationParameters,
      ...(o.explanationMetadata ? { metadata: o.explanationMetadata } : {}),
    };
  }
  if (o.labels && Object.keys(o.labels).length) model.labels = o.labels;
  const aliases = [...(o.versionAliases ?? [])];
  if ((o.isDefaultVersion ?? true) && !aliases.includes('default')) aliases.push('default');
  if (aliases.length) model.versionAliases = aliases;
  if (o.versionDescription) model.versionDescription = o.versionDescription;
  const kms = o.encryptionSpecKeyName ?? kmsDefault;
  if (kms) model.encryptionSpec = { kmsKeyName: kms };
  return model;
}
