/**
 * The gs:// helpers against the Cloud Storage emulator's routes over real HTTP. The emulator is
 * imported by relative path in this test only: client code never imports emulator internals.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore, registerStorageRoutes } from '../../../emulator/src/storage/index.ts';
import { ApiError, ValidationError } from '../errors.ts';
import {
  downloadBytes,
  downloadFile,
  ensureBucket,
  exists,
  listObjects,
  uploadBytes,
  uploadFile,
} from './gcs.ts';

let app: FastifyInstance;
let dir: string;
let storage: Storage;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tvx-gcs-e2e-'));
  app = Fastify();
  registerStorageRoutes(app, new ObjectStore(join(dir, 'data', 'gcs')));
  await app.listen({ host: '127.0.0.1', port: 0 });
  storage = new Storage({
    apiEndpoint: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    projectId: 'p',
  });
  await ensureBucket(storage, 'gs://staging');
  await ensureBucket(storage, 'staging'); // idempotent
});

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('gs:// helpers against the emulator', () => {
  it('uploads and downloads bytes and files', async () => {
    await uploadBytes(storage, 'a,b\n1,2\n', 'gs://staging/data/a.csv', 'text/csv');
    expect((await downloadBytes(storage, 'gs://staging/data/a.csv')).toString()).toBe('a,b\n1,2\n');
    const local = join(dir, 'model.bin');
    const bytes = Buffer.alloc(6 * 1024 * 1024, 7); // above the client's resumable threshold
    await writeFile(local, bytes);
    expect(await uploadFile(storage, local, 'gs://staging/models/m/model.bin')).toBe(
      'gs://staging/models/m/model.bin',
    );
    const back = join(dir, 'out', 'nested', 'model.bin');
    await downloadFile(storage, 'gs://staging/models/m/model.bin', back);
    expect((await readFile(back)).equals(bytes)).toBe(true);
    const onDisk = await readFile(join(dir, 'data', 'gcs', 'staging', 'models', 'm', 'model.bin'));
    expect(onDisk.equals(bytes)).toBe(true);
  });

  it('lists with and without a delimiter, and checks existence', async () => {
    for (const name of ['runs/1/a.txt', 'runs/1/b.txt', 'runs/2/a.txt', 'runs/top.txt']) {
      await uploadBytes(storage, name, `gs://staging/${name}`);
    }
    const flat = await listObjects(storage, 'gs://staging/runs/');
    expect(flat.objects.map((o) => o.uri)).toEqual([
      'gs://staging/runs/1/a.txt',
      'gs://staging/runs/1/b.txt',
      'gs://staging/runs/2/a.txt',
      'gs://staging/runs/top.txt',
    ]);
    expect(flat.objects[3]).toMatchObject({ name: 'runs/top.txt', size: 12 });
    expect(flat.prefixes).toEqual([]);
    const folders = await listObjects(storage, 'gs://staging/runs/', { delimiter: '/' });
    expect(folders.objects.map((o) => o.name)).toEqual(['runs/top.txt']);
    expect(folders.prefixes).toEqual(['gs://staging/runs/1/', 'gs://staging/runs/2/']);
    expect(await exists(storage, 'gs://staging/runs/top.txt')).toBe(true);
    expect(await exists(storage, 'gs://staging/runs/nope.txt')).toBe(false);
    expect(await exists(storage, 'gs://staging')).toBe(true);
    expect(await exists(storage, 'gs://no-such-bucket')).toBe(false);
  });

  it('wraps server errors and validates URIs before sending', async () => {
    const missing = downloadBytes(storage, 'gs://staging/none.txt');
    await expect(missing).rejects.toBeInstanceOf(ApiError);
    await expect(missing).rejects.toMatchObject({ status: 'NOT_FOUND' });
    await expect(missing).rejects.toThrow(
      /Cloud Storage download of gs:\/\/staging\/none\.txt failed with NOT_FOUND/,
    );
    const bad = uploadBytes(storage, 'x', 'gs://staging/a/../../x.txt');
    await expect(bad).rejects.toMatchObject({ status: 'INVALID_ARGUMENT' });
    await expect(bad).rejects.toThrow(/'\.\.' path segment/);
    await expect(uploadBytes(storage, 'x', 'gs://staging/dir/')).rejects.toBeInstanceOf(ValidationError);
    await expect(downloadBytes(storage, '/tmp/x')).rejects.toBeInstanceOf(ValidationError);
  });
});
