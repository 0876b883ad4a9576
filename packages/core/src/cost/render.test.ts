import { describe, expect, it } from 'vitest';
import { toProtoValue } from '../value.ts';
import { estimateWorkerPoolsCost } from './estimators.ts';
import { costEstimateHtml, costEstimateText } from './render.ts';
import { durationBasis, formatDuration, trainingPipelineRequestCost } from './request-cost.ts';

describe('explained estimates', () => {
  const e = estimateWorkerPoolsCost(
    [{ machineSpec: { machineType: 'n1-standard-4' }, replicaCount: '1' }],
    0.5,
    'custom job "<x>"',
    'expectedDuration 30 min',
  );

  it('writes the total, each line with its arithmetic, the hourly rate, notes and the source', () => {
    const text = costEstimateText(e);
    expect(text.split('\n')[0]).toBe(
      'Estimated cost of custom job "<x>": $0.1092 (based on expectedDuration 30 min)',
    );
    expect(text).toContain(
      'workerPoolSpecs[0]: 1 × n1-standard-4: 1 replica × $0.218499 per hour per replica (n1-standard-4 for training) × 0.5 hours = $0.1092',
    );
    expect(text).toContain('$0.2185 per hour ($5.24 per day)');
    expect(text).toMatch(
      /prices: https:\/\/cloud\.google\.com\/vertex-ai\/pricing \(checked \d{4}-\d{2}-\d{2}\)/,
    );
  });

  it('renders an escaped HTML table with a caption naming the source and date', () => {
    const html = costEstimateHtml(e);
    expect(html).toContain('<caption');
    expect(html).toContain('custom job &quot;&lt;x&gt;&quot;');
    expect(html).toMatch(/checked \d{4}-\d{2}-\d{2}/);
    expect(html).toContain('>total<');
    expect(html).not.toContain('<x>');
  });
});

describe('duration basis', () => {
  it('prefers expectedDuration, then the timeout, then Vertex’s 7 days', () => {
    expect(durationBasis(1800, 7200)).toEqual({ hours: 0.5, basis: 'expectedDuration 30 min' });
    expect(durationBasis(undefined, 7200)).toEqual({ hours: 2, basis: 'timeout 2 h' });
    expect(durationBasis(undefined, undefined).hours).toBe(168);
    expect(() => durationBasis(-1, undefined)).toThrow(
      /expectedDuration: must be a positive number of seconds/,
    );
    expect([90, 5400, 7200, 3 * 86400].map(formatDuration)).toEqual(['90 s', '90 min', '2 h', '3 days']);
  });

  it('reads a training pipeline’s struct timeout ("7200s") and snake_case pools', () => {
    const inputs = {
      worker_pool_specs: [{ replica_count: 1, machine_spec: { machine_type: 'n1-standard-8' } }],
      scheduling: { timeout: '7200s' },
    };
    const e = trainingPipelineRequestCost(
      { trainingPipeline: { displayName: 't', trainingTaskInputs: toProtoValue(inputs) as never } },
      {},
      { location: 'europe-west4' },
    );
    expect(e.totalUsd).toBeCloseTo(1 * 0.436998 * 2, 12);
    expect(e.basis).toBe('timeout 2 h');
    expect(e.notes).toContain('Prices are us-central1 list prices; europe-west4 may differ.');
  });
});
