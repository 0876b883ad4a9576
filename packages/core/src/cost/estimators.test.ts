import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { assertWithinMaxCost, CostLimitError, costPerDay, formatUsd } from './estimate.ts';
import {
  estimateAutoMlImageTrainingCost,
  estimateBigQueryCost,
  estimateDeploymentCost,
  estimateTensorboardStorageCost,
  estimateWorkerPoolsCost,
} from './estimators.ts';

// Every expectation is the arithmetic written out with the table's prices as literals: when a price changes
// in price-table.ts, update the literal here too (the test then says which rule or price moved).

describe('estimateWorkerPoolsCost', () => {
  it('prices a chief and workers with accelerators, camelCase wire JSON', () => {
    const e = estimateWorkerPoolsCost(
      [
        { machineSpec: { machineType: 'n1-standard-4' }, replicaCount: '1' },
        {
          machineSpec: {
            machineType: 'n1-standard-8',
            acceleratorType: 'NVIDIA_TESLA_T4',
            acceleratorCount: 2,
          },
          replicaCount: '3',
        },
      ],
      0.5,
      'custom job "x"',
      'expectedDuration 30 min',
    );
    expect(e.lines.map((l) => l.item)).toEqual([
      'workerPoolSpecs[0]: 1 × n1-standard-4',
      'workerPoolSpecs[1]: 3 × n1-standard-8',
      'workerPoolSpecs[1]: 3 × 2 × NVIDIA_TESLA_T4',
    ]);
    expect(e.lines[2]!.multiplier).toBe(6);
    const total = 1 * 0.218499 * 0.5 + 3 * 0.436998 * 0.5 + 6 * 0.4025 * 0.5;
    expect(e.totalUsd).toBeCloseTo(total, 12);
    expect(e.hourlyUsd).toBeCloseTo(0.218499 + 3 * 0.436998 + 6 * 0.4025, 12);
    expect(costPerDay(e)).toBeCloseTo(24 * (0.218499 + 3 * 0.436998 + 6 * 0.4025), 10);
    expect(e.lines[0]!.explanation).toBe(
      '1 replica × $0.218499 per hour per replica (n1-standard-4 for training) × 0.5 hours = $0.1092',
    );
    expect(e.basis).toBe('expectedDuration 30 min');
    expect(e.notes.some((n) => n.includes('not confirmed'))).toBe(true);
  });

  it('reads snake_case training-pipeline pools, skips empty ones and defaults to n1-standard-4', () => {
    const e = estimateWorkerPoolsCost(
      [
        { replica_count: 1, machine_spec: {} },
        {},
        { replica_count: 2, machine_spec: { machine_type: 'e2-standard-4' } },
      ],
      2,
      'training pipeline "t"',
      'timeout 2 h',
    );
    expect(e.lines).toHaveLength(2);
    expect(e.totalUsd).toBeCloseTo(1 * 0.218499 * 2 + 2 * 0.154114 * 2, 12);
  });

  it('names the pool field for an unpriced machine type', () => {
    expect(() =>
      estimateWorkerPoolsCost(
        [{}, { machineSpec: { machineType: 'm9-huge' }, replicaCount: '1' }],
        1,
        'x',
        'y',
      ),
    ).toThrow(/workerPoolSpecs\[1\]\.machineSpec\.machineType: no training machine list price for "m9-huge"/);
  });
});

describe('estimateDeploymentCost', () => {
  it('prices the floor in the lines and the ceiling in the total', () => {
    const e = estimateDeploymentCost({
      machineType: 'n1-standard-4',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 1,
      minReplicaCount: 1,
      maxReplicaCount: 3,
      hours: 10,
    });
    expect(e.lines.map((l) => l.usd)).toEqual([1 * 0.219 * 10, 1 * 0.4025 * 10]);
    expect(e.hourlyUsd).toBeCloseTo(0.219 + 0.4025, 12);
    expect(e.totalUsd).toBeCloseTo(3 * (0.219 + 0.4025) * 10, 12);
    expect(costPerDay(e)).toBeCloseTo(24 * (0.219 + 0.4025), 12);
    expect(e.notes[0]).toMatch(/floor \(1 replica\); autoscaling up to 3/);
  });

  it('defaults to n1-standard-2, one replica, 24 hours', () => {
    const e = estimateDeploymentCost({});
    expect(e.totalUsd).toBeCloseTo(0.1095 * 24, 12);
    expect(e.lines[0]!.item).toBe('1 × n1-standard-2');
  });

  it('prices AutoML image models per node hour', () => {
    const e = estimateDeploymentCost({ automl: true, minReplicaCount: 2, hours: 5 });
    expect(e.totalUsd).toBeCloseTo(2 * 1.375 * 5, 12);
    expect(e.hourlyUsd).toBeCloseTo(2 * 1.375, 12);
  });
});

describe('the other estimators', () => {
  it('prices an AutoML budget in node hours', () => {
    const e = estimateAutoMlImageTrainingCost(8000);
    expect(e.totalUsd).toBeCloseTo((8000 / 1000) * 3.465, 12);
    expect(e.basis).toBe('budget 8,000 milli node hours');
    expect(e.hourlyUsd).toBeUndefined();
  });

  it('prices BigQuery bytes per TiB with the 10 MiB minimum and MiB rounding', () => {
    const small = estimateBigQueryCost(1234, { createModel: true });
    expect(small.totalUsd).toBeCloseTo(((10 * 2 ** 20) / 2 ** 40) * 312.5, 15);
    const big = estimateBigQueryCost(3 * 2 ** 30 + 1, { tables: 2 });
    expect(big.totalUsd).toBeCloseTo(((3 * 2 ** 30 + 2 ** 20) / 2 ** 40) * 6.25, 15);
    expect(big.basis).toBe('dry run: 3 GiB processed');
  });

  it('prices TensorBoard storage per GiB-month of 730 hours', () => {
    const e = estimateTensorboardStorageCost(5 * 2 ** 30, 30);
    expect(e.totalUsd).toBeCloseTo(5 * ((30 * 24) / 730) * 10, 12);
    expect(costPerDay(e)).toBeCloseTo((5 * 10 * 24) / 730, 12);
  });
});

describe('maxCost', () => {
  const e = estimateWorkerPoolsCost(
    [{ machineSpec: { machineType: 'n1-standard-4' } }],
    2,
    'custom job "j"',
    'timeout 2 h',
  );

  it('refuses an estimate above the limit, naming the estimate, the limit and what to change', () => {
    let err: unknown;
    try {
      assertWithinMaxCost(e, 0.25);
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(CostLimitError);
    expect(err).toBeInstanceOf(ValidationError);
    const c = err as CostLimitError;
    expect(c.maxCost).toBe(0.25);
    expect(c.estimate.totalUsd).toBeCloseTo(2 * 0.218499, 12);
    expect(c.message).toMatch(
      /^maxCost: the estimate \$0\.4370 for custom job "j" \(.*\) is above \$0\.2500/,
    );
    expect(c.message).toMatch(/shorter expectedDuration or timeout.*or raise maxCost/);
  });

  it('lets an estimate at or below the limit through and validates the limit', () => {
    expect(() => assertWithinMaxCost(e, 0.5)).not.toThrow();
    expect(() => assertWithinMaxCost(e, undefined)).not.toThrow();
    expect(() => assertWithinMaxCost(e, -1)).toThrow(/maxCost: must be a positive number/);
    expect(() => assertWithinMaxCost(e, Number.NaN, '--max-cost')).toThrow(/--max-cost: must be/);
  });

  it('formats dollars', () => {
    expect(formatUsd(0.0912)).toBe('$0.0912');
    expect(formatUsd(12.344)).toBe('$12.34');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.0000596)).toBe('$0.000060');
    expect(formatUsd(0)).toBe('$0.00');
  });
});
