/**
 * The Cloud Storage emulator driven by the real `@google-cloud/storage` client (never mocked): buckets,
 * both upload kinds, downloads with checksum validation, listings, copies, and objects written to the
 * bucket folder directly by a local process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { crc32c } from '@node-rs/crc32';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore, registerStorageRoutes } from './index.ts';

let app: FastifyInstance;
let dataDir: string;
let endpoint: string;
let storage: Storage;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tvx-gcs-'));
  app = Fastify();
  // Like the host application: a root-level raw-body parser that the storage scopes must override.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  registerStorageRoutes(app, new ObjectStore(join(dataDir, 'gcs')));
  await app.listen({ host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  storage = new Storage({ apiEndpoint: endpoint, projectId: 'p' });
  await storage.createBucket('staging');
});

afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const md5 = (data: Buffer) => createHash('md5').update(data).digest('base64');
const crc = (data: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(data) >>> 0);
  return out.toString('base64');
};

describe('buckets', () => {
  it('creates, finds, lists and refuses duplicates', async () => {
    const [bucket] = await storage.createBucket('tvx-bucket-a');
    expect(bucket.name).toBe('tvx-bucket-a');
    expect((await storage.bucket('tvx-bucket-a').exists())[0]).toBe(true);
    expect((await storage.bucket('tvx-nope').exists())[0]).toBe(false);
    const [buckets] = await storage.getBuckets();
    expect(buckets.map((b) => b.name)).toEqual(expect.arrayContaining(['staging', 'tvx-bucket-a']));
    await expect(storage.createBucket('tvx-bucket-a')).rejects.toMatchObject({ code: 409 });
    await expect(storage.createBucket('Bad_Name')).rejects.toThrow(/lowercase/);
    await storage.bucket('tvx-bucket-a').delete();
    expect(existsSync(join(dataDir, 'gcs', 'tvx-bucket-a'))).toBe(false);
  });
});

describe('objects', () => {
  const bucket = () => storage.bucket('staging');

  it('uploads multipart (name in query) and downloads identical bytes', async () => {
    const data = Buffer.from('a,b\n1,2\n');
    await bucket().file('data/a.csv').save(data, { resumable: false, contentType: 'text/csv' });
    const [back] = await bucket().file('data/a.csv').download();
    expect(back.equals(data)).toBe(true);
    const [meta] = await bucket().file('data/a.csv').getMetadata();
    expect(meta).toMatchObject({ name: 'data/a.csv', bucket: 'staging', contentType: 'text/csv', size: '8' });
    expect(meta.md5Hash).toBe(md5(data));
    expect(meta.crc32c).toBe(crc(data));
    expect(await readFile(join(dataDir, 'gcs', 'staging', 'data', 'a.csv'))).toEqual(data);
  });

  it('uploads resumable in one PUT and in 1 MiB chunks (3 MB)', async () => {
    const small = Buffer.from('{"hello":"world"}');
    await bucket().file('data/b.json').save(small, { resumable: true });
    expect((await bucket().file('data/b.json').download())[0].equals(small)).toBe(true);
    const big = randomBytes(3 * 1024 * 1024 + 17);
    await bucket().file('big/one.bin').save(big, { resumable: true });
    await bucket()
      .file('big/chunked.bin')
      .save(big, { resumable: true, chunkSize: 1024 * 1024 });
    for (const name of ['big/one.bin', 'big/chunked.bin']) {
      const [back] = await bucket().file(name).download();
      expect(back.equals(big)).toBe(true);
    }
    const [part] = await bucket().file('big/one.bin').download({ start: 10, end: 19 });
    expect(part.equals(big.subarray(10, 20))).toBe(true);
  });

  it('lists with prefix and delimiter, page by page', async () => {
    for (const name of ['list/x/1.txt', 'list/x/2.txt', 'list/y/3.txt', 'list/top.txt', 'list-other.txt']) {
      await bucket().file(name).save(name, { resumable: false });
    }
    const [files, , response] = await bucket().getFiles({
      prefix: 'list/',
      delimiter: '/',
      autoPaginate: false,
    });
    expect(files.map((f) => f.name)).toEqual(['list/top.txt']);
    expect((response as { prefixes?: string[] }).prefixes).toEqual(['list/x/', 'list/y/']);
    const [all] = await bucket().getFiles({ prefix: 'list' });
    expect(all.map((f) => f.name)).toEqual([
      'list-other.txt',
      'list/top.txt',
      'list/x/1.txt',
      'list/x/2.txt',
      'list/y/3.txt',
    ]);
    const [page1, next] = await bucket().getFiles({ prefix: 'list/', maxResults: 2, autoPaginate: false });
    expect(page1.map((f) => f.name)).toEqual(['list/top.txt', 'list/x/1.txt']);
    const [page2] = await bucket().getFiles({ ...(next as object), autoPaginate: false });
    expect(page2.map((f) => f.name)).toEqual(['list/x/2.txt', 'list/y/3.txt']);
  });

  it('answers exists, deletes, copies and patches metadata', async () => {
    const file = bucket().file('tmp/del.txt');
    expect((await file.exists())[0]).toBe(false);
    await file.save('bye', { resumable: false });
    expect((await file.exists())[0]).toBe(true);
    await file.copy(bucket().file('tmp/copy.txt'));
    await storage.createBucket('tvx-other');
    await file.copy(storage.bucket('tvx-other').file('elsewhere/c.txt'));
    expect((await storage.bucket('tvx-other').file('elsewhere/c.txt').download())[0].toString()).toBe('bye');
    await file.delete();
    expect((await file.exists())[0]).toBe(false);
    await expect(file.delete()).rejects.toMatchObject({ code: 404 });
    expect((await bucket().file('tmp/copy.txt').download())[0].toString()).toBe('bye');
    await bucket()
      .file('tmp/copy.txt')
      .setMetadata({ metadata: { run: '7' } });
    const [meta] = await bucket().file('tmp/copy.txt').getMetadata();
    expect(meta.metadata).toEqual({ run: '7' });
    expect(meta.metageneration).toBe('2');
  });

  it('serves files a local process wrote into the bucket folder, with correct hashes', async () => {
    const data = Buffer.from('written by a trainer\n');
    await mkdir(join(dataDir, 'gcs', 'staging', 'direct', 'model'), { recursive: true });
    await writeFile(join(dataDir, 'gcs', 'staging', 'direct', 'model', 'out.txt'), data);
    const [files] = await bucket().getFiles({ prefix: 'direct/' });
    expect(files.map((f) => f.name)).toEqual(['direct/model/out.txt']);
    expect(files[0]?.metadata).toMatchObject({
      md5Hash: md5(data),
      crc32c: crc(data),
      size: String(data.length),
    });
    expect((await bucket().file('direct/model/out.txt').download())[0].equals(data)).toBe(true);
    // Rewritten by the process: new hashes, new generation.
    const before = files[0]?.metadata.generation;
    await new Promise((r) => setTimeout(r, 20));
    const changed = Buffer.from('rewritten\n');
    await writeFile(join(dataDir, 'gcs', 'staging', 'direct', 'model', 'out.txt'), changed);
    const [meta] = await bucket().file('direct/model/out.txt').getMetadata();
    expect(meta.md5Hash).toBe(md5(changed));
    expect(meta.generation).not.toBe(before);
    expect((await bucket().file('direct/model/out.txt').download())[0].equals(changed)).toBe(true);
    // Sidecars live outside the bucket folder and never show up as objects.
    expect(existsSync(join(dataDir, 'gcs-meta', 'staging', 'direct', 'model', 'out.txt'))).toBe(true);
  });

  it('serves the public URL', async () => {
    await bucket().file('pub/x y.txt').save('public', { resumable: false });
    const res = await fetch(bucket().file('pub/x y.txt').publicUrl());
    expect(await res.text()).toBe('public');
  });

  it("refuses names with '..' and writes nothing outside the bucket folder", async () => {
    for (const name of ['../escape.txt', 'a/../../escape.txt', '../../escape.txt']) {
      await expect(bucket().file(name).save('x', { resumable: false })).rejects.toThrow(
        /'\.\.' path segment/,
      );
      await expect(bucket().file(name).save('x', { resumable: true })).rejects.toMatchObject({ code: 400 });
    }
    expect(existsSync(join(dataDir, 'gcs', 'escape.txt'))).toBe(false);
    expect(existsSync(join(dataDir, 'escape.txt'))).toBe(false);
    await writeFile(join(dataDir, 'secret.txt'), 'secret');
    const res = await fetch(`${endpoint}/storage/v1/b/staging/o/..%2F..%2Fsecret.txt?alt=media`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /'\.\.' path segment/,
    );
  });
});

describe('STORAGE_EMULATOR_HOST', () => {
  it('works without the /storage/v1 prefix for JSON calls', async () => {
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = endpoint;
    try {
      const viaEnv = new Storage({ projectId: 'p' });
      await viaEnv.createBucket('tvx-env');
      const file = viaEnv.bucket('tvx-env').file('dir/e.txt');
      await file.save('env', { resumable: false });
      await viaEnv.bucket('tvx-env').file('dir/r.txt').save('resumable', { resumable: true });
      expect((await file.download())[0].toString()).toBe('env');
      const [files] = await viaEnv.bucket('tvx-env').getFiles({ prefix: 'dir/' });
      expect(files.map((f) => f.name)).toEqual(['dir/e.txt', 'dir/r.txt']);
      expect((await viaEnv.bucket('tvx-env').file('nope').exists())[0]).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
    }
  });
});
