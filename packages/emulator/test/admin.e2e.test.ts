import { v1 } from '@google-cloud/aiplatform';
import { Storage } from '@google-cloud/storage';
import { grpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';

describe('admin API', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.stop());

  it('reports health and resets every resource, object, log and recorded request', async () => {
    const health = (await (await fetch(`${emu.httpAddress}/_emulator/health`)).json()) as {
      status: string;
      vertex: string;
    };
    expect(health).toMatchObject({ status: 'ok', vertex: emu.vertexAddress });

    const storage = new Storage({ apiEndpoint: emu.httpAddress, projectId: 'p' });
    await storage.createBucket('reset-me');
    await storage.bucket('reset-me').file('a.txt').save('hello', { resumable: false });
    const [host, port] = emu.vertexAddress.split(':');
    const jobs = new v1.JobServiceClient({
      apiEndpoint: host,
      port: Number(port),
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    });
    const parent = 'projects/p/locations/us-central1';
    await jobs.createCustomJob({
      parent,
      customJob: {
        displayName: 'x',
        jobSpec: {
          workerPoolSpecs: [
            {
              replicaCount: 1,
              machineSpec: { machineType: 'n1-standard-4' },
              containerSpec: { imageUri: 'gcr.io/x/y:1' },
            },
          ],
        },
      },
    });

    expect((await fetch(`${emu.httpAddress}/_emulator/v1/reset`, { method: 'POST' })).status).toBe(200);
    const [list] = await jobs.listCustomJobs({ parent });
    expect(list).toEqual([]);
    const [buckets] = await storage.getBuckets();
    expect(buckets).toEqual([]);
    const { requests } = (await (await fetch(`${emu.httpAddress}/_emulator/v1/requests`)).json()) as {
      requests: unknown[];
    };
    expect(requests.map((r) => (r as { method: string }).method)).toEqual([
      '/google.cloud.aiplatform.v1.JobService/ListCustomJobs',
      'GET /storage/v1/b?project=p',
    ]);
    await jobs.close();
  });
});
