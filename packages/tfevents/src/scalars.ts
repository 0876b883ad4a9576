import { DT, type EventMessage, type SummaryValue, type TensorProto } from './protos.ts';

/** One scalar of a time series. */
export interface ScalarPoint {
  tag: string;
  step: number;
  /** Seconds since the epoch. */
  wallTime: number;
  value: number;
}

/** The plugin TensorBoard files scalars under; TF2 writes scalars as tensors tagged with it. */
export const SCALARS_PLUGIN = 'scalars';

/**
 * The scalars in one event: `simple_value`s (TF1, tensorboardX, PyTorch) and scalar tensors whose
 * summary metadata names the `scalars` plugin (TF2 `tf.summary.scalar`). TensorFlow writes a tag's
 * metadata only with its first value in a file, so `tagPlugins` remembers the plugin of every tag seen
 * (pass the same map for the whole file, across incremental reads).
 */
export function scalarsOf(event: EventMessage, tagPlugins: Map<string, string>): ScalarPoint[] {
  const points: ScalarPoint[] = [];
  const step = Number(event.step ?? 0);
  const wallTime = event.wallTime ?? 0;
  for (const value of event.summary?.value ?? []) {
    const tag = value.tag ?? '';
    const plugin = value.metadata?.pluginData?.pluginName;
    if (plugin) tagPlugins.set(tag, plugin);
    const scalar = scalarOf(value, tagPlugins.get(tag));
    if (scalar !== undefined) points.push({ tag, step, wallTime, value: scalar });
  }
  return points;
}

function scalarOf(value: SummaryValue, plugin: string | undefined): number | undefined {
  if (value.simpleValue !== undefined) return value.simpleValue;
  if (value.tensor && plugin === SCALARS_PLUGIN) return tensorScalar(value.tensor);
  return undefined;
}

/** The single number in a scalar tensor, from its typed repeated field or its raw little-endian content. */
export function tensorScalar(t: TensorProto): number | undefined {
  const content = t.tensorContent?.length ? Buffer.from(t.tensorContent) : undefined;
  switch (t.dtype) {
    case DT.FLOAT:
      return content ? content.readFloatLE(0) : t.floatVal?.[0];
    case DT.DOUBLE:
      return content ? content.readDoubleLE(0) : t.doubleVal?.[0];
    case DT.INT32:
      return content ? content.readInt32LE(0) : t.intVal?.[0];
    case DT.INT16:
      return content ? content.readInt16LE(0) : t.intVal?.[0];
    case DT.INT8:
      return content ? content.readInt8(0) : t.intVal?.[0];
    case DT.UINT8:
      return content ? content.readUInt8(0) : t.intVal?.[0];
    case DT.INT64:
      return content ? Number(content.readBigInt64LE(0)) : toNumber(t.int64Val?.[0]);
    case DT.HALF: {
      const bits = content ? content.readUInt16LE(0) : t.halfVal?.[0];
      return bits === undefined ? undefined : halfToFloat(bits);
    }
    default:
      return undefined;
  }
}

function toNumber(v: unknown): number | undefined {
  return v === undefined || v === null ? undefined : Number(v);
}

/** IEEE 754 binary16 → number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
