import { describe, expect, it } from 'vitest';
import { toReadableJson } from './resource-json.ts';

describe('toReadableJson', () => {
  it('writes times as RFC 3339, durations as seconds, and drops empty defaults', () => {
    const decoded = {
      name: 'projects/p/locations/l/customJobs/1',
      displayName: 'x',
      createTime: { seconds: '1764140000', nanos: 250_000_000 },
      jobSpec: {
        scheduling: { timeout: { seconds: '3600', nanos: 0 } },
        network: '',
        workerPoolSpecs: [{ replicaCount: '1', nfsMounts: [] }],
      },
      labels: {},
      error: null,
    };
    expect(toReadableJson(decoded)).toEqual({
      name: 'projects/p/locations/l/customJobs/1',
      displayName: 'x',
      createTime: '2025-11-26T06:53:20.250Z',
      jobSpec: { scheduling: { timeout: '3600s' }, workerPoolSpecs: [{ replicaCount: '1' }] },
    });
  });
});
