import { describe, expect, it } from 'vitest';
import { fromProtoValue, toProtoValue } from './value.ts';

describe('protobuf Value conversion', () => {
  it('round-trips structs, lists and scalars', () => {
    for (const v of [{ a: 1, b: [true, 'x', null], c: { d: -2.5 } }, [0.1, 0.9], 'label', 42, false, null]) {
      expect(fromProtoValue(toProtoValue(v))).toEqual(v);
    }
  });

  it('drops undefined object entries and turns undefined list items into null', () => {
    expect(toProtoValue({ a: undefined, b: 1 })).toEqual({
      structValue: { fields: { b: { numberValue: 1 } } },
    });
    expect(fromProtoValue(toProtoValue([1, undefined]))).toEqual([1, null]);
  });

  it('reads values decoded by the Google clients (with kind discriminators)', () => {
    expect(
      fromProtoValue({ kind: 'listValue', listValue: { values: [{ kind: 'numberValue', numberValue: 3 }] } }),
    ).toEqual([3]);
  });

  it('refuses NaN with the path of the bad value', () => {
    expect(() => toProtoValue({ x: [1, Number.NaN] })).toThrow(/value\.x\[1\]/);
  });
});
