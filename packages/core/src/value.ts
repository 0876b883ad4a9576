/**
 * Conversion between plain JSON and `google.protobuf.Value`, total in both directions.
 * `helpers.toValue` from @google-cloud/aiplatform keeps `undefined` as a raw null and `helpers.fromValue`
 * throws on anything but a struct, so predictions that are lists or scalars need this.
 */

/** JSON as it travels in a `google.protobuf.Value`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The shape of `google.protobuf.IValue` that the Google clients accept and return. */
export interface ProtoValue {
  nullValue?: 'NULL_VALUE' | 0 | null;
  numberValue?: number | null;
  stringValue?: string | null;
  boolValue?: boolean | null;
  structValue?: { fields?: Record<string, ProtoValue> | null } | null;
  listValue?: { values?: ProtoValue[] | null } | null;
  kind?: string;
}

/** Converts JSON to a Value. `undefined` object entries are dropped; `undefined` array items become null. */
export function toProtoValue(value: unknown, path = 'value'): ProtoValue {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  switch (typeof value) {
    case 'boolean':
      return { boolValue: value };
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(
          `${path}: ${value} cannot be sent as JSON; replace NaN/Infinity with null or a number.`,
        );
      }
      return { numberValue: value };
    case 'string':
      return { stringValue: value };
    case 'bigint':
      return { numberValue: Number(value) };
    case 'object': {
      if (Array.isArray(value))
        return { listValue: { values: value.map((v, i) => toProtoValue(v, `${path}[${i}]`)) } };
      if (ArrayBuffer.isView(value)) {
        return {
          listValue: {
            values: Array.from(value as unknown as ArrayLike<number>, (n) => ({ numberValue: Number(n) })),
          },
        };
      }
      if (value instanceof Date) return { stringValue: value.toISOString() };
      const fields: Record<string, ProtoValue> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) fields[k] = toProtoValue(v, `${path}.${k}`);
      }
      return { structValue: { fields } };
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be sent as JSON.`);
  }
}

/** Converts a Value back to JSON, whichever kind it holds (lists and scalars included). */
export function fromProtoValue(value: ProtoValue | null | undefined): JsonValue {
  if (!value) return null;
  const kind = value.kind ?? firstKind(value);
  switch (kind) {
    case 'numberValue':
      return value.numberValue ?? 0;
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'structValue': {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value.structValue?.fields ?? {})) out[k] = fromProtoValue(v);
      return out;
    }
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromProtoValue);
    default:
      return null;
  }
}

function firstKind(value: ProtoValue): string | undefined {
  for (const k of [
    'structValue',
    'listValue',
    'stringValue',
    'numberValue',
    'boolValue',
    'nullValue',
  ] as const) {
    if (value[k] !== undefined && value[k] !== null) return k;
  }
  return undefined;
}
