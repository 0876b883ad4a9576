import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { LogStore } from '../logging/log-store.ts';
import type { EndpointRuntime } from '../runtime/endpoint-runtime.ts';
import { RpcError } from '../vertex/rpc-error.ts';
import { ConsoleData, describeFailure } from './data.ts';

/** Console sources whose `call` answers from a table (the console's own interface, not a Google client). */
function sources(answer: (method: string, request: Record<string, unknown>) => unknown) {
  return {
    call: async (method: string, request: Record<string, unknown>) => {
      const out = answer(method, request);
      if (out instanceof Error) throw out;
      return out as Record<string, unknown>;
    },
    logs: {} as LogStore,
    endpoints: {} as EndpointRuntime,
    parents: () => ['projects/a/locations/l', 'projects/b/locations/l'],
  };
}

describe('ConsoleData', () => {
  it('says which service is missing instead of failing', async () => {
    const data = new ConsoleData(
      sources(() => new RpcError(status.UNIMPLEMENTED, 'TensorboardService/ListTensorboards is not served')),
    );
    expect(await data.listEverywhere('TensorboardService/ListTensorboards', 'tensorboards')).toEqual({
      ok: false,
      error: 'TensorboardService is not available in this emulator yet (ListTensorboards is unimplemented).',
    });
    expect(describeFailure('google.cloud.aiplatform.v1.JobService/ListCustomJobs', new Error('boom'))).toBe(
      'JobService could not be read: boom',
    );
  });

  it('lists every page in every project/location, newest first', async () => {
    const data = new ConsoleData(
      sources((_m, req) => {
        const p = String(req.parent).split('/')[1];
        if (!req.pageToken)
          return {
            customJobs: [{ name: `${p}-1`, createTime: `2024-01-0${p === 'a' ? 1 : 3}T00:00:00Z` }],
            nextPageToken: 'n',
          };
        return { customJobs: [{ name: `${p}-2`, createTime: `2024-01-0${p === 'a' ? 2 : 4}T00:00:00Z` }] };
      }),
    );
    const got = await data.listEverywhere('JobService/ListCustomJobs', 'customJobs');
    expect(got.ok && got.value.map((j) => j.name)).toEqual(['b-2', 'b-1', 'a-2', 'a-1']);
  });

  it('finds a resource by id in whichever project/location holds it; other errors are thrown', async () => {
    const data = new ConsoleData(
      sources((_m, req) =>
        String(req.name).startsWith('projects/b/')
          ? { name: req.name }
          : new RpcError(status.NOT_FOUND, 'no'),
      ),
    );
    expect(await data.find('JobService/GetCustomJob', 'customJobs', '7')).toEqual({
      name: 'projects/b/locations/l/customJobs/7',
    });
    const broken = new ConsoleData(sources(() => new RpcError(status.INTERNAL, 'disk full')));
    await expect(broken.find('JobService/GetCustomJob', 'customJobs', '7')).rejects.toThrow('disk full');
  });
});
