import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../test/field-of.ts';
import {
  allocateTraffic,
  deployTrafficSplit,
  unallocateTraffic,
  undeployTrafficSplit,
  validateTrafficPercentage,
  validateTrafficSplit,
} from './traffic.ts';

/** [split, percentage, _allocate_traffic(split, percentage), id, _undeploy's split without id], from the SDK's own code. */
const SDK_CASES: [Record<string, number>, number, Record<string, number>, string, Record<string, number>][] =
  [
    [{ m0: 19, m1: 31, m2: 50 }, 83, { m0: 4, m1: 5, m2: 8, '0': 83 }, 'm0', { m1: 39, m2: 61 }],
    [{ m0: 7, m1: 67, m2: 26 }, 64, { m0: 3, m1: 24, m2: 9, '0': 64 }, 'm0', { m1: 73, m2: 27 }],
    [
      { m0: 8, m1: 3, m2: 19, m3: 70 },
      70,
      { m0: 3, m1: 1, m2: 5, m3: 21, '0': 70 },
      'm3',
      { m0: 27, m1: 10, m2: 63 },
    ],
    [
      { m0: 5, m1: 1, m2: 22, m3: 72 },
      71,
      { m0: 2, m1: 1, m2: 6, m3: 20, '0': 71 },
      'm1',
      { m0: 6, m2: 22, m3: 72 },
    ],
    [{ m0: 18, m1: 35, m2: 47 }, 69, { m0: 6, m1: 11, m2: 14, '0': 69 }, 'm0', { m1: 43, m2: 57 }],
    [{ m0: 71, m1: 16, m2: 13 }, 23, { m0: 55, m1: 12, m2: 10, '0': 23 }, 'm0', { m1: 56, m2: 44 }],
    [
      { m0: 54, m1: 14, m2: 19, m3: 13 },
      99,
      { m0: 1, m1: 0, m2: 0, m3: 0, '0': 99 },
      'm2',
      { m0: 67, m1: 17, m3: 16 },
    ],
    [
      { m0: 46, m1: 12, m2: 16, m3: 26 },
      38,
      { m0: 29, m1: 8, m2: 9, m3: 16, '0': 38 },
      'm1',
      { m0: 53, m2: 18, m3: 29 },
    ],
    [
      { m0: 43, m1: 14, m2: 36, m3: 7 },
      36,
      { m0: 28, m1: 9, m2: 23, m3: 4, '0': 36 },
      'm0',
      { m1: 25, m2: 63, m3: 12 },
    ],
    [
      { m0: 5, m1: 48, m2: 32, m3: 15 },
      9,
      { m0: 5, m1: 44, m2: 29, m3: 13, '0': 9 },
      'm2',
      { m0: 8, m1: 70, m3: 22 },
    ],
    [{ m0: 44, m1: 44, m2: 12 }, 76, { m0: 11, m1: 11, m2: 2, '0': 76 }, 'm1', { m0: 79, m2: 21 }],
    [
      { m0: 8, m1: 3, m2: 23, m3: 66 },
      60,
      { m0: 4, m1: 1, m2: 9, m3: 26, '0': 60 },
      'm0',
      { m1: 4, m2: 25, m3: 71 },
    ],
    [
      { m0: 36, m1: 13, m2: 42, m3: 9 },
      85,
      { m0: 6, m1: 2, m2: 6, m3: 1, '0': 85 },
      'm2',
      { m0: 63, m1: 22, m3: 15 },
    ],
    [
      { m0: 10, m1: 11, m2: 42, m3: 37 },
      57,
      { m0: 5, m1: 5, m2: 18, m3: 15, '0': 57 },
      'm3',
      { m0: 16, m1: 18, m2: 66 },
    ],
    [{ m0: 17, m1: 38, m2: 45 }, 70, { m0: 6, m1: 11, m2: 13, '0': 70 }, 'm1', { m0: 28, m2: 72 }],
    [
      { m0: 45, m1: 3, m2: 39, m3: 13 },
      29,
      { m0: 32, m1: 3, m2: 27, m3: 9, '0': 29 },
      'm1',
      { m0: 47, m2: 40, m3: 13 },
    ],
  ];

describe("allocateTraffic (the SDK's _allocate_traffic)", () => {
  it('scales the models already there and gives "0" the percentage', () => {
    expect(allocateTraffic({ model1: 100 }, 70)).toEqual({ model1: 30, '0': 70 });
    expect(allocateTraffic({ a: 50, b: 50 }, 33)).toEqual({ a: 34, b: 33, '0': 33 });
    expect(allocateTraffic({ a: 33, b: 33, c: 34 }, 10)).toEqual({ a: 30, b: 30, c: 30, '0': 10 });
    expect(allocateTraffic({ a: 1, b: 99 }, 50)).toEqual({ a: 1, b: 49, '0': 50 });
  });

  it('hands rounding losses out in key order, with the float arithmetic of Python', () => {
    // 29 / 100 * 100 is 28.999999999999996: int() gives 28, the leftover point brings it back.
    expect(allocateTraffic({ a: 29, b: 71 }, 0)).toEqual({ a: 29, b: 71, '0': 0 });
  });

  it('drops the other models at 100%', () => {
    expect(allocateTraffic({ a: 60, b: 40 }, 100)).toEqual({ '0': 100 });
    expect(allocateTraffic({}, 100)).toEqual({ '0': 100 });
  });

  it.each(SDK_CASES.map((c, i) => [i, ...c] as const))(
    'matches the SDK on case %i',
    (_i, split, pct, allocated) => {
      expect(allocateTraffic(split, pct)).toEqual(allocated);
      const sum = Object.values(allocateTraffic(split, pct)).reduce((s, v) => s + v, 0);
      expect(sum).toBe(100);
    },
  );
});

describe("unallocateTraffic (the SDK's _unallocate_traffic, then pop)", () => {
  it('rescales the others to 100 and removes the id', () => {
    expect(unallocateTraffic({ a: 30, b: 70 }, 'a')).toEqual({ b: 100 });
    expect(unallocateTraffic({ a: 33, b: 33, c: 34 }, 'c')).toEqual({ a: 50, b: 50 });
    expect(unallocateTraffic({ a: 10, b: 20, c: 70 }, 'b')).toEqual({ a: 13, c: 87 });
    expect(unallocateTraffic({ a: 29, b: 71, c: 0 }, 'c')).toEqual({ a: 29, b: 71 });
  });

  it('leaves {} when the only model goes, and a split without the id unchanged', () => {
    expect(unallocateTraffic({ a: 100 }, 'a')).toEqual({});
    expect(unallocateTraffic({ a: 100 }, 'b')).toEqual({ a: 100 });
  });

  it.each(SDK_CASES.map((c, i) => [i, ...c] as const))(
    'matches the SDK on case %i',
    (_i, split, _pct, _allocated, id, remaining) => {
      expect(unallocateTraffic(split, id)).toEqual(remaining);
    },
  );
});

describe('traffic validation', () => {
  it('percentages are whole numbers from 0 to 100', () => {
    expect(validateTrafficPercentage(0)).toBe(0);
    expect(validateTrafficPercentage(100)).toBe(100);
    expect(() => validateTrafficPercentage(101)).toThrow(
      /trafficPercentage: traffic percentage cannot be greater than 100/,
    );
    expect(() => validateTrafficPercentage(-1)).toThrow(
      /trafficPercentage: traffic percentage cannot be negative/,
    );
    expect(fieldOf(() => validateTrafficPercentage(12.5))).toBe('trafficPercentage');
  });

  it('a split adds up to 100 ({} only where allowed)', () => {
    expect(validateTrafficSplit({ a: 40, b: 60 })).toEqual({ a: 40, b: 60 });
    expect(validateTrafficSplit({}, { allowEmpty: true })).toEqual({});
    expect(() => validateTrafficSplit({ a: 40, b: 50 })).toThrow(
      /trafficSplit: sum of all traffic within traffic split needs to be 100, got 90/,
    );
    expect(() => validateTrafficSplit({})).toThrow(/needs to be 100, got 0/);
    expect(fieldOf(() => validateTrafficSplit({ a: 101, b: -1 }))).toBe('trafficSplit.a');
    expect(fieldOf(() => validateTrafficSplit({ a: 50.5, b: 49.5 }))).toBe('trafficSplit.a');
  });
});

describe('deployTrafficSplit (the split of DeployModel)', () => {
  it('on an empty endpoint 0% becomes 100% and 1-99% is refused', () => {
    expect(deployTrafficSplit({ current: {} })).toEqual({ '0': 100 });
    expect(deployTrafficSplit({ current: {}, trafficPercentage: 100 })).toEqual({ '0': 100 });
    expect(() => deployTrafficSplit({ current: {}, trafficPercentage: 30 })).toThrow(
      /trafficPercentage: there are currently no deployed models so the traffic percentage for this deployed model needs to be 100/,
    );
  });

  it('rescales a populated endpoint; 0% keeps the others', () => {
    expect(deployTrafficSplit({ current: { model1: 100 }, trafficPercentage: 70 })).toEqual({
      model1: 30,
      '0': 70,
    });
    expect(deployTrafficSplit({ current: { a: 100 } })).toEqual({ a: 100, '0': 0 });
  });

  it('a given split is sent as it is ({} too) and wins over the percentage', () => {
    expect(
      deployTrafficSplit({ current: { a: 100 }, trafficSplit: { a: 20, '0': 80 }, trafficPercentage: 5 }),
    ).toEqual({
      a: 20,
      '0': 80,
    });
    expect(deployTrafficSplit({ current: { a: 100 }, trafficSplit: {} })).toEqual({});
    expect(fieldOf(() => deployTrafficSplit({ current: {}, trafficSplit: { '0': 90 } }))).toBe(
      'trafficSplit',
    );
  });

  it('private endpoints get no split, and refuse one', () => {
    expect(deployTrafficSplit({ current: {}, network: 'projects/1/global/networks/v' })).toBeUndefined();
    expect(
      fieldOf(() =>
        deployTrafficSplit({
          current: {},
          trafficSplit: { '0': 100 },
          network: 'projects/1/global/networks/v',
        }),
      ),
    ).toBe('trafficSplit');
  });

  it('checks the percentage even when the endpoint is populated', () => {
    expect(fieldOf(() => deployTrafficSplit({ current: { a: 100 }, trafficPercentage: 150 }))).toBe(
      'trafficPercentage',
    );
  });
});

describe('undeployTrafficSplit (the split of UndeployModel)', () => {
  it('rescales the current split without the id', () => {
    expect(undeployTrafficSplit({ a: 100 }, 'a')).toEqual({});
    expect(undeployTrafficSplit({ a: 30, b: 70 }, 'a')).toEqual({ b: 100 });
    expect(undeployTrafficSplit({ a: 100, b: 0 }, 'b')).toEqual({ a: 100 });
    expect(undeployTrafficSplit({ a: 100 }, 'x')).toEqual({ a: 100 });
  });

  it('refuses to leave the others at 0% without a new split', () => {
    expect(() => undeployTrafficSplit({ a: 100, b: 0 }, 'a')).toThrow(
      /trafficSplit: undeploying deployed model 'a' would leave the remaining traffic split at 0%/,
    );
  });

  it('takes a given split whose model has 0% and that adds up to 100', () => {
    expect(undeployTrafficSplit({ a: 100, b: 0 }, 'a', { a: 0, b: 100 })).toEqual({ b: 100 });
    expect(undeployTrafficSplit({ a: 100, b: 0 }, 'a', { b: 100 })).toEqual({ b: 100 });
    expect(() => undeployTrafficSplit({ a: 50, b: 50 }, 'a', { a: 10, b: 90 })).toThrow(
      /trafficSplit\.a: model being undeployed should have 0 traffic/,
    );
    expect(fieldOf(() => undeployTrafficSplit({ a: 50, b: 50 }, 'a', { b: 90 }))).toBe('trafficSplit');
    expect(fieldOf(() => undeployTrafficSplit({ a: 50, b: 50 }, 'a', {}))).toBe('trafficSplit');
  });
});
