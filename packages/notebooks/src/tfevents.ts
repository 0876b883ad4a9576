/**
 * Reads TensorBoard scalars from `events.out.tfevents.*` bytes: TFRecord framing (uint64 length, CRC,
 * data, CRC; CRCs are not checked) around `Event` protobufs whose `summary.value` holds a tag and a
 * `simple_value`, or a scalar `tensor` (what `tf.summary.scalar` writes).
 */

/** One scalar point of a TensorBoard run. */
export interface ScalarEvent {
  tag: string;
  step: number;
  value: number;
  /** Seconds since the epoch. */
  wallTime: number;
}

type Field = { number: number; wire: number; value: number | bigint | Uint8Array };

/** The fields of one protobuf message (wire types 0, 1, 2 and 5; others end the message). */
function fields(bytes: Uint8Array): Field[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; pos < bytes.length; shift += 7n) {
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    return result;
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const wire = key & 7;
    const number = key >> 3;
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 1) {
      out.push({ number, wire, value: view.getFloat64(pos, true) });
      pos += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      out.push({ number, wire, value: bytes.subarray(pos, pos + length) });
      pos += length;
    } else if (wire === 5) {
      out.push({ number, wire, value: view.getFloat32(pos, true) });
      pos += 4;
    } else break;
  }
  return out;
}

/** The number in a scalar `TensorProto`: `float_val`/`double_val` (packed or not) or 4/8 bytes of `tensor_content`. */
function tensorScalar(tensor: Uint8Array): number | undefined {
  for (const f of fields(tensor)) {
    if ((f.number === 5 || f.number === 6) && typeof f.value === 'number') return f.value;
    if (f.value instanceof Uint8Array && (f.number === 4 || f.number === 5 || f.number === 6)) {
      const v = new DataView(f.value.buffer, f.value.byteOffset, f.value.byteLength);
      if (f.value.byteLength === 4 && f.number !== 6) return v.getFloat32(0, true);
      if (f.value.byteLength === 8 && f.number !== 5) return v.getFloat64(0, true);
    }
  }
  return undefined;
}

/** Every scalar in the event file bytes, in file order. */
export function readScalarEvents(bytes: Uint8Array): ScalarEvent[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: ScalarEvent[] = [];
  for (let pos = 0; pos + 12 <= bytes.length; ) {
    const length = Number(view.getBigUint64(pos, true));
    const data = bytes.subarray(pos + 12, pos + 12 + length);
    pos += 12 + length + 4;
    let wallTime = 0;
    let step = 0;
    for (const f of fields(data)) {
      if (f.number === 1 && typeof f.value === 'number') wallTime = f.value;
      else if (f.number === 2 && typeof f.value === 'bigint') step = Number(f.value);
      else if (f.number === 5 && f.value instanceof Uint8Array) {
        for (const v of fields(f.value).filter((x) => x.number === 1 && x.value instanceof Uint8Array)) {
          const parts = fields(v.value as Uint8Array);
          const tag = parts.find((p) => p.number === 1)?.value;
          const simple = parts.find((p) => p.number === 2 && typeof p.value === 'number')?.value;
          const tensor = parts.find((p) => p.number === 8)?.value;
          const value =
            (simple as number | undefined) ??
            (tensor instanceof Uint8Array ? tensorScalar(tensor) : undefined);
          if (tag instanceof Uint8Array && value !== undefined) {
            events.push({ tag: new TextDecoder().decode(tag), step, value, wallTime });
          }
        }
      }
    }
  }
  return events;
}

/** `[step, value]` points of one tag, sorted by step (the last value wins for a repeated step). */
export function scalarSeries(events: readonly ScalarEvent[], tag: string): [number, number][] {
  const byStep = new Map<number, number>();
  for (const e of events) if (e.tag === tag) byStep.set(e.step, e.value);
  return [...byStep.entries()].sort(([a], [b]) => a - b);
}
