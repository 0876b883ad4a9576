import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CustomJob, init, jobServiceClient, resolveConfig, ValidationError } from '../src/index.ts';
import {
  recordedRequests,
  SKLEARN_IMAGE,
  stageSklearnTrainer,
  stopEmulator,
  useEmulator,
} from './helpers.ts';

/** The same calls over Vertex's REST/JSON transport (`apiTransport: 'rest'`, the client's fallback mode). */
describe('CustomJob over REST against the emulator', () => {
  let emu: RunningEmulator;
  let packageUri: string;
  beforeAll(async () => {
    emu = await useEmulator();
    init({ apiTransport: 'rest' });
    packageUri = await stageSklearnTrainer();
  });
  afterAll(() => stopEmulator(emu));

  it('uses REST: the emulator records the calls as HTTP', async () => {
    const job = new CustomJob({
      displayName: 'rest-iris',
      labels: { transport: 'rest' },
      workerPoolSpecs: [
        {
          pythonPackageSpec: {
            executorImageUri: SKLEARN_IMAGE,
            packageUris: [packageUri],
            pythonModule: 'trainer.task',
          },
        },
      ],
    });
    await job.run({ timeout: 600 });
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    const [create] = (await recordedRequests(emu, 'CreateCustomJob')) as {
      request: { customJob: { labels: unknown; jobSpec: { scheduling: unknown } } };
      transport?: string;
    }[];
    expect(create!.request.customJob.labels).toEqual({ transport: 'rest' });
    expect(create!.request.customJob.jobSpec.scheduling).toEqual({ timeout: '600s' });
    const res = await fetch(`${emu.httpAddress}/_emulator/v1/requests?method=GetCustomJob`);
    const { requests } = (await res.json()) as { requests: { transport: string }[] };
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.transport === 'http')).toBe(true);
  });

  it('lists with a filter, cancels and deletes (a long-running operation polled through /ui/)', async () => {
    const [done] = await CustomJob.list({ filter: 'display_name="rest-iris"' });
    expect(done?.state).toBe('JOB_STATE_SUCCEEDED');
    const slow = new CustomJob({
      displayName: 'rest-slow',
      workerPoolSpecs: [
        {
          pythonPackageSpec: {
            executorImageUri: SKLEARN_IMAGE,
            packageUris: [packageUri],
            pythonModule: 'trainer.task',
            args: ['--sleep', '60'],
          },
        },
      ],
    });
    await slow.run({ sync: false });
    await slow.cancel();
    await slow.wait({ throwOnFailure: false });
    expect(slow.state).toBe('JOB_STATE_CANCELLED');
    const client = await jobServiceClient(await resolveConfig());
    const [op] = await client.deleteCustomJob({ name: slow.resourceName });
    // Resuming an operation by name polls google.longrunning.Operations through the /ui/ binding.
    const again = await client.checkDeleteCustomJobProgress(op.name!);
    expect(again.done).toBe(true);
    await expect(CustomJob.get(slow.resourceName)).rejects.toThrow(ApiError);
  });

  it('maps errors to the same codes as gRPC', async () => {
    const notFound = (await CustomJob.get('987').catch((e: unknown) => e)) as ApiError;
    expect(notFound.code).toBe(5);
    expect(notFound.message).toContain('The CustomJob does not exist');
    const client = await jobServiceClient(await resolveConfig());
    const invalid = (await client
      .createCustomJob({
        parent: 'projects/demo-terra-vertex/locations/us-central1',
        customJob: { displayName: 'x', jobSpec: { workerPoolSpecs: [{}] } },
      })
      .catch((e: unknown) => e)) as { code: number; message: string };
    expect(invalid.code).toBe(3);
    expect(invalid.message).toContain('worker_pool_specs[0]');
  });

  it('rejects an unknown transport like the Python SDK', () => {
    expect(() => init({ apiTransport: 'http2' as never })).toThrow(ValidationError);
    expect(() => init({ apiTransport: 'http2' as never })).toThrow(
      /Valid transport types: \['grpc', 'rest'\]/,
    );
  });
});
