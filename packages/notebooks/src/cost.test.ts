import { describe, expect, it } from 'vitest';
import { costTableHtml, estimateTrainingCost, formatUsd, MACHINE_PRICES_PER_HOUR } from './cost.ts';

describe('cost estimate', () => {
  it('prices replicas × (machine + accelerators) × minutes from the table', () => {
    const e = estimateTrainingCost([
      { label: 'one', machineType: 'n1-standard-4', minutes: 60 },
      { label: 'three', machineType: 'n1-standard-4', replicaCount: 3, minutes: 20 },
      {
        label: 'gpu',
        machineType: 'n1-standard-8',
        acceleratorType: 'NVIDIA_TESLA_T4',
        acceleratorCount: 2,
        minutes: 30,
      },
      { label: 'custom', machineType: 'a2-highgpu-1g', hourlyUsd: 4, minutes: 15 },
    ]);
    const n1 = MACHINE_PRICES_PER_HOUR['n1-standard-4']!;
    expect(e.lines[0]!.usd).toBeCloseTo(n1, 10);
    expect(e.lines[1]!.usd).toBeCloseTo(n1, 10);
    expect(e.lines[1]!.hourlyUsd).toBeCloseTo(3 * n1, 10);
    expect(e.lines[2]!.usd).toBeCloseTo((0.436998 + 2 * 0.4025) / 2, 10);
    expect(e.lines[2]!.accelerators).toBe('2 × NVIDIA_TESLA_T4');
    expect(e.lines[3]!.usd).toBe(1);
    expect(e.totalUsd).toBeCloseTo(2 * n1 + (0.436998 + 0.805) / 2 + 1, 10);
    expect(e.source.region).toBe('us-central1');
    expect(n1).toBe(0.218499); // core's table: one source for CLI, core and notebooks
  });

  it('names the item and option it cannot price, and the fix', () => {
    expect(() => estimateTrainingCost([{ label: 'x', machineType: 'n9-huge', minutes: 1 }])).toThrow(
      /items\[0\]\.machineType: no list price for "n9-huge"\. Use one of .*or pass hourlyUsd/,
    );
    expect(() =>
      estimateTrainingCost([
        { label: 'x', machineType: 'n1-standard-4', acceleratorType: 'TPU_V9', minutes: 1 },
      ]),
    ).toThrow(/items\[0\]\.acceleratorType/);
    expect(() => estimateTrainingCost([{ label: 'x', machineType: 'n1-standard-4', minutes: 0 }])).toThrow(
      /items\[0\]\.minutes/,
    );
  });

  it('renders a labelled table with a total', () => {
    const html = costTableHtml(
      estimateTrainingCost([{ label: 'job', machineType: 'n1-standard-4', minutes: 10 }]),
    );
    expect(html).toContain('Estimated Vertex AI cost');
    expect(html).toContain('list prices, us-central1');
    expect(html).toContain('the local emulator is free');
    expect(html).toContain('>total<');
    expect(html).toContain(formatUsd((0.218499 * 10) / 60));
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(0.0364)).toBe('$0.0364');
  });
});
