/**
 * Class probabilities from a deployed model: online predictions in batches, each answer turned into a full row
 * of probabilities (AutoML's sorted `{ids, displayNames, confidences}`, a custom model's probabilities or logits).
 */
import {
  downloadBytes,
  Endpoint,
  Model,
  resolveConfig,
  storageClient,
  ValidationError,
} from '@terra-vertex/core';
import { automlImageRow, customRow, ENDPOINT_OUTPUTS, type EndpointOutput } from './predictions.ts';
import type { ModelPredictions } from './types.ts';

/** Options of {@link predictionsFromEndpoint}. */
export interface EndpointPredictionsOptions {
  /** Shown in the leaderboard, e.g. 'custom (PyTorch CNN)'. */
  name: string;
  /** 'custom', 'automl' … */
  kind: ModelPredictions['kind'];
  /** What the model returns per instance (see {@link EndpointOutput}). */
  output: EndpointOutput;
  /**
   * The model's classes in the order of its outputs. Required for `probabilities` and `logits` (see
   * {@link customModelClasses}); for `automl-image` the default is the labels of the first answer, sorted.
   */
  classes?: string[];
  /** Example ids, one per instance (e.g. `heldOut.ids`), kept with the rows. */
  ids?: string[];
  /** Instances per request at most (default 32; fewer when a request would exceed Vertex's 1.5 MB). */
  batchSize?: number;
  /** Project and location of an endpoint given by id. */
  project?: string;
  location?: string;
  /** Called after every batch. */
  onProgress?: (done: number, total: number) => void;
}

function checkOptions(instances: unknown[], o: EndpointPredictionsOptions): number {
  if (!Array.isArray(instances) || instances.length === 0)
    throw new ValidationError('instances', 'is empty', 'Pass one instance per held-out example.');
  if (!ENDPOINT_OUTPUTS.includes(o.output))
    throw new ValidationError(
      'output',
      `${JSON.stringify(o.output)} is not a known output`,
      `Use one of ${ENDPOINT_OUTPUTS.join(', ')}.`,
    );
  if (o.output !== 'automl-image' && !o.classes?.length)
    throw new ValidationError(
      'classes',
      `is required with output '${o.output}'`,
      "Give the model's classes in its output order, e.g. await customModelClasses(endpoint).",
    );
  if (o.ids && o.ids.length !== instances.length)
    throw new ValidationError(
      'ids',
      `has ${o.ids.length} ids for ${instances.length} instances`,
      'Give one id per instance, in the same order (heldOut.ids).',
    );
  const batch = o.batchSize ?? 32;
  if (!Number.isInteger(batch) || batch < 1)
    throw new ValidationError('batchSize', `${batch} is not a positive integer`, 'Use e.g. 32.');
  return batch;
}

/**
 * Vertex AI accepts online prediction requests up to 1.5 MB ("the payload limit size (currently, 1.5MB)",
 * https://cloud.google.com/sdk/gcloud/reference/ai/endpoints/predict); batches stay under 1.4 MB of JSON.
 */
const MAX_REQUEST_BYTES = 1.4 * 1024 * 1024;

/** At most `size` instances per batch, and fewer when their JSON would make the request too large. */
function batches(instances: unknown[], size: number): unknown[][] {
  const out: unknown[][] = [];
  let current: unknown[] = [];
  let bytes = 0;
  for (const instance of instances) {
    const n = Buffer.byteLength(JSON.stringify(instance) ?? '');
    if (current.length && (current.length >= size || bytes + n > MAX_REQUEST_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(instance);
    bytes += n + 1;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Predicts every instance with an endpoint and returns the class probabilities, one row per instance in the
 * same order. AutoML models are asked for every class (`maxPredictions` = number of classes,
 * `confidenceThreshold` 0) so that each row is complete.
 *
 * @example
 * const custom = await predictionsFromEndpoint(endpoint, await imageArrayInstances(heldOut, { size: 16 }), {
 *   name: 'custom (PyTorch CNN)', kind: 'custom', output: 'probabilities',
 *   classes: await customModelClasses(endpoint), ids: heldOut.ids });
 */
export async function predictionsFromEndpoint(
  endpoint: Endpoint | string,
  instances: unknown[],
  options: EndpointPredictionsOptions,
): Promise<ModelPredictions> {
  const batchSize = checkOptions(instances, options);
  const where = { project: options.project, location: options.location };
  const target = typeof endpoint === 'string' ? await Endpoint.get(endpoint, where) : endpoint;
  const answers: unknown[] = [];
  let classes = options.classes;
  for (const batch of batches(instances, batchSize)) {
    // AutoML's answer lists every label once asked for as many as there are; 1,000 covers any dataset.
    const parameters =
      options.output === 'automl-image'
        ? { maxPredictions: classes?.length ?? 1000, confidenceThreshold: 0 }
        : undefined;
    const { predictions } = await target.predict(batch, parameters);
    if (predictions.length !== batch.length)
      throw new Error(
        `${options.name}: endpoint ${target.resourceName} answered ${predictions.length} predictions for ${batch.length} instances`,
      );
    if (!classes && options.output === 'automl-image')
      classes = [...((predictions[0] as { displayNames?: string[] })?.displayNames ?? [])].map(String).sort();
    answers.push(...predictions);
    options.onProgress?.(answers.length, instances.length);
  }
  const columns = classes ?? [];
  const probabilities = answers.map((answer, i) => {
    const at = `${options.name}: prediction ${i}${options.ids ? ` (${options.ids[i]})` : ''}`;
    return options.output === 'automl-image'
      ? automlImageRow(answer, columns, at)
      : customRow(answer, columns, options.output, at);
  });
  return {
    name: options.name,
    kind: options.kind,
    classes: [...columns],
    probabilities,
    ...(options.ids ? { ids: [...options.ids] } : {}),
  };
}

/**
 * The classes of a model trained by a generated trainer, in the order of its outputs: the `classes` of the
 * `metrics.json` the trainer writes beside the model. Given an endpoint, the deployed model with the most
 * traffic is read.
 */
export async function customModelClasses(
  source: Endpoint | Model | string,
  where: { project?: string; location?: string } = {},
): Promise<string[]> {
  let model: Model;
  if (source instanceof Model) model = source;
  else {
    const endpoint = typeof source === 'string' ? await Endpoint.get(source, where) : await source.refresh();
    const split = endpoint.trafficSplit;
    const [deployed] = [...endpoint.deployedModels].sort((a, b) => (split[b.id] ?? 0) - (split[a.id] ?? 0));
    if (!deployed)
      throw new ValidationError(
        'endpoint',
        `${endpoint.resourceName} has no deployed model`,
        'Deploy the model first, or give its classes.',
      );
    model = await Model.get(deployed.model, where);
  }
  if (!model.artifactUri)
    throw new ValidationError(
      'classes',
      `model ${model.resourceName} has no artifactUri to read metrics.json from`,
      'Give the classes in the order of its outputs.',
    );
  const uri = `${model.artifactUri.replace(/\/+$/, '')}/metrics.json`;
  const storage = await storageClient(await resolveConfig(where));
  const text = (await downloadBytes(storage, uri)).toString('utf8');
  const classes = (JSON.parse(text) as { classes?: unknown }).classes;
  if (!Array.isArray(classes) || classes.length < 2)
    throw new ValidationError(
      'classes',
      `${uri} has no "classes" list`,
      'Give the classes in the order of the model outputs (a generated trainer writes them to metrics.json).',
    );
  return classes.map(String);
}
