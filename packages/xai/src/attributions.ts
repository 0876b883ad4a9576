/**
 * One typed attribution result per explained instance, from an endpoint's `ExplainResponse`: image inputs
 * as a per-pixel map (`Float32Array`, width, height), tabular inputs as feature → value.
 */
import type { Endpoint, JsonValue } from '@terra-vertex/core';

/** What `Endpoint.explain` returns. */
export type Explanation = Awaited<ReturnType<Endpoint['explain']>>;
/** Options of `Endpoint.explain`. */
export type ExplainOptions = NonNullable<Parameters<Endpoint['explain']>[1]>;

/** A per-pixel attribution map: row-major `values`, `width × height`. */
export interface ImageAttributionMap {
  /** The explanation metadata's input name (e.g. `image`). */
  feature: string;
  width: number;
  height: number;
  /**
   * Per pixel, summed over channels (XRAI: the importance of the pixel's region). Empty when the server
   * sent only the rendered JPEG (Vertex itself); the emulator sends both.
   */
  values: Float32Array;
  /** The visualization the server rendered (`b64_jpeg`), as JPEG bytes, when it sent one. */
  visualization?: Uint8Array;
}

/** Feature name → attribution. */
export type TabularAttributionMap = Record<string, number>;

/** The attribution of one output of the model for one instance. */
export interface OutputAttribution<M> {
  /** Index of the output explained (empty for a model with a scalar output). */
  outputIndex: number[];
  /** The output's display name (class label), when the model or the metadata names it. */
  label?: string;
  outputName?: string;
  baselineOutputValue: number;
  instanceOutputValue: number;
  /** Relative gap of the approximation; above 0.05 use more steps or paths (Vertex's advice). */
  approximationError: number;
  map: M;
}

/** An {@link OutputAttribution} of one kind of input (`kind` tells which). */
export interface ResultOf<K extends string, M> extends OutputAttribution<M> {
  kind: K;
  /** Index of the instance in the request. */
  instance: number;
  deployedModelId: string;
  /** The model's prediction for the instance, as `predict` returns it. */
  prediction: JsonValue;
  /** Every explained output (the top-level fields are those of the first, the top-scoring one by default). */
  outputs: OutputAttribution<M>[];
}

/** Attributions of an image input. */
export type ImageAttributionResult = ResultOf<'image', ImageAttributionMap>;
/** Attributions of tabular features. */
export type TabularAttributionResult = ResultOf<'tabular', TabularAttributionMap>;
/** One explained instance. */
export type AttributionResult = ImageAttributionResult | TabularAttributionResult;

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** A 2-D (H×W) or 3-D (C×H×W, or H×W×C when the last axis is ≤ 4 long) array as a per-pixel map. */
export function pixelMap(
  feature: string,
  array: unknown,
  visualization?: Uint8Array,
): ImageAttributionMap | undefined {
  if (!Array.isArray(array) || !Array.isArray(array[0])) return undefined;
  const a = array as unknown[][];
  let planes: number[][][];
  if (isNumbers(a[0])) planes = [a as number[][]];
  else {
    const cube = a as number[][][];
    const channelsLast = cube[0]![0]!.length <= 4 && cube.length > 4;
    planes = channelsLast ? cube[0]![0]!.map((_, c) => cube.map((row) => row.map((px) => px[c]!))) : cube;
  }
  const height = planes[0]!.length;
  const width = planes[0]![0]?.length ?? 0;
  const values = new Float32Array(width * height);
  for (const plane of planes)
    plane.forEach((row, y) => {
      if (!isNumbers(row) || row.length !== width)
        throw new Error(`attribution ${feature}: rows of different lengths`);
      row.forEach((v, x) => {
        values[y * width + x]! += v;
      });
    });
  return { feature, width, height, values, ...(visualization ? { visualization } : {}) };
}

function imageMap(feature: string, value: JsonValue): ImageAttributionMap | undefined {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    ('b64_jpeg' in value || 'attributions' in value)
  ) {
    const jpeg = typeof value.b64_jpeg === 'string' ? Buffer.from(value.b64_jpeg, 'base64') : undefined;
    return (
      pixelMap(feature, value.attributions, jpeg) ?? {
        feature,
        width: 0,
        height: 0,
        values: new Float32Array(),
        ...(jpeg ? { visualization: jpeg } : {}),
      }
    );
  }
  return pixelMap(feature, value);
}

function tabularMap(features: JsonValue, names?: string[]): TabularAttributionMap {
  const out: TabularAttributionMap = {};
  for (const [key, value] of Object.entries((features ?? {}) as Record<string, JsonValue>)) {
    if (typeof value === 'number') out[key] = value;
    else if (isNumbers(value))
      value.forEach((v, i) => {
        out[names?.length === value.length ? names[i]! : `${key}[${i}]`] = v;
      });
  }
  return out;
}

/**
 * Turns an explanation into one {@link AttributionResult} per instance: `image` when an input carries an
 * image (`{b64_jpeg, attributions}`, or a 2-D/3-D array), else `tabular`.
 * @param featureNames names for the elements of a single array-valued input (e.g. the columns of a table).
 */
export function toAttributionResults(explanation: Explanation, featureNames?: string[]): AttributionResult[] {
  return explanation.explanations.map((entry, instance) => {
    const base = {
      instance,
      deployedModelId: explanation.deployedModelId,
      prediction: explanation.predictions[instance] ?? null,
    };
    const first = entry.attributions[0];
    const features = Object.entries((first?.featureAttributions ?? {}) as Record<string, JsonValue>);
    const imageKey = features.find(([k, v]) => imageMap(k, v))?.[0];
    const outputs = entry.attributions.map((a) => {
      const fields = {
        outputIndex: a.outputIndex,
        ...(a.outputDisplayName ? { label: a.outputDisplayName } : {}),
        ...(a.outputName ? { outputName: a.outputName } : {}),
        baselineOutputValue: a.baselineOutputValue,
        instanceOutputValue: a.instanceOutputValue,
        approximationError: a.approximationError,
      };
      const all = (a.featureAttributions ?? {}) as Record<string, JsonValue>;
      return imageKey
        ? { ...fields, map: imageMap(imageKey, all[imageKey]!)! }
        : { ...fields, map: tabularMap(all, featureNames) };
    });
    if (outputs.length === 0) throw new Error(`instance ${instance}: the explanation has no attributions`);
    return imageKey
      ? {
          kind: 'image',
          ...base,
          ...(outputs[0] as OutputAttribution<ImageAttributionMap>),
          outputs: outputs as OutputAttribution<ImageAttributionMap>[],
        }
      : {
          kind: 'tabular',
          ...base,
          ...(outputs[0] as OutputAttribution<TabularAttributionMap>),
          outputs: outputs as OutputAttribution<TabularAttributionMap>[],
        };
  });
}

/**
 * Explains `instances` with an endpoint (its deployed model's explanation spec) and returns one typed
 * result per instance.
 *
 * @example
 * const [result] = await explain(endpoint, [{ content: pngBase64 }]);
 * if (result.kind === 'image') showPng(imageOverlayPng(png, result));
 */
export async function explain(
  endpoint: Pick<Endpoint, 'explain'>,
  instances: unknown[],
  options: ExplainOptions & { featureNames?: string[] } = {},
): Promise<AttributionResult[]> {
  const { featureNames, ...rest } = options;
  return toAttributionResults(await endpoint.explain(instances, rest), featureNames);
}
