/**
 * Wire-level checks of the Cloud Storage emulator with plain `fetch`: the request shapes other clients
 * (gsutil, gcsfs, curl) send that the Node client does not exercise.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore, registerStorageRoutes } from './index.ts';

let app: FastifyInstance;
let dataDir: string;
let base: string;
let port: number;
const loggedBodies: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tvx-wire-'));
  app = Fastify();
  // Like the host's request log: bodies must stay JSON-serializable (uploads are summarized as bytes).
  app.addHook('onResponse', async (req) => {
    loggedBodies.push(`${req.method} ${req.url} ${JSON.stringify(req.body ?? null)}`);
  });
  registerStorageRoutes(app, new ObjectStore(join(dataDir, 'gcs')));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  const res = await fetch(`${base}/storage/v1/b?project=p`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'wire' }),
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const upload = `/upload/storage/v1/b/wire/o`;

async function startSession(name: string): Promise<string> {
  const res = await fetch(`${base}${upload}?uploadType=resumable`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, contentType: 'text/plain' }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('location') ?? '';
}

describe('resumable uploads', () => {
  it('accepts Content-Range chunks, answers 308 with Range, and status queries', async () => {
    const location = await startSession('chunks/a.txt');
    expect(location.startsWith(`${base}${upload}?uploadType=resumable`)).toBe(true);
    const put = (body: string, range: string) =>
      fetch(location, { method: 'PUT', headers: { 'content-range': range }, body });
    const status = await put('', 'bytes */*');
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBeNull();
    const first = await put('hello ', 'bytes 0-5/*');
    expect([first.status, first.headers.get('range')]).toEqual([308, 'bytes=0-5']);
    const resent = await put('o world', 'bytes 4-10/*'); // overlaps: bytes 4-5 are sent again
    expect([resent.status, resent.headers.get('range')]).toEqual([308, 'bytes=0-10']);
    const last = await put('!', 'bytes 11-11/12');
    expect(last.status).toBe(200);
    const object = (await last.json()) as Record<string, string>;
    expect(object).toMatchObject({
      kind: 'storage#object',
      name: 'chunks/a.txt',
      size: '12',
      contentType: 'text/plain',
    });
    expect(object.md5Hash).toBe(createHash('md5').update('hello world!').digest('base64'));
    expect((await put('', 'bytes */12')).status).toBe(200);
    expect(await (await fetch(`${base}/storage/v1/b/wire/o/chunks%2Fa.txt?alt=media`)).text()).toBe(
      'hello world!',
    );
  });

  it('builds the session URL from the Host header and can be cancelled', async () => {
    // fetch() may not set Host, so this request goes through Fastify's inject.
    const res = await app.inject({
      method: 'POST',
      url: `${upload}?uploadType=resumable&name=host.txt`,
      headers: { host: `localhost:${port}` },
    });
    const location = String(res.headers.location);
    expect(location.startsWith(`http://localhost:${port}/upload/storage/v1/b/wire/o?`)).toBe(true);
    const local = location.replace('localhost', '127.0.0.1');
    expect((await fetch(local, { method: 'DELETE' })).status).toBe(499);
    const gone = await fetch(local, { method: 'PUT', body: 'x' });
    expect(gone.status).toBe(404);
  });
});

describe('simple uploads', () => {
  it('takes the name from multipart metadata and keeps JSON media bytes raw', async () => {
    const body = [
      '--b1',
      'Content-Type: application/json; charset=UTF-8',
      '',
      JSON.stringify({ name: 'meta/named.json', metadata: { a: '1' } }),
      '--b1',
      'Content-Type: application/json',
      '',
      '{not json',
      '--b1--',
    ].join('\r\n');
    const res = await fetch(`${base}${upload}?uploadType=multipart`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/related; boundary=b1' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: 'meta/named.json',
      contentType: 'application/json',
      metadata: { a: '1' },
    });
    const media = await fetch(`${base}${upload}?uploadType=media&name=raw.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{still not json',
    });
    expect(media.status).toBe(200);
    const download = await fetch(`${base}/download/storage/v1/b/wire/o/raw.json?alt=media`);
    expect(download.headers.get('content-type')).toBe('application/json');
    expect(download.headers.get('x-goog-stored-content-encoding')).toBe('identity');
    expect(download.headers.get('x-goog-hash')).toMatch(/^crc32c=[A-Za-z0-9+/=]{8},md5=[A-Za-z0-9+/=]{24}$/);
    expect(await download.text()).toBe('{still not json');
  });

  it('handles names longer than the router parameter limit, with and without /storage/v1', async () => {
    const name = `deep/${'segment-of-a-long-name/'.repeat(12)}file.txt`;
    const res = await fetch(`${base}${upload}?uploadType=media&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      body: 'long',
    });
    expect(res.status).toBe(200);
    for (const prefix of ['/storage/v1', '']) {
      const meta = await fetch(`${base}${prefix}/b/wire/o/${encodeURIComponent(name)}`);
      expect(((await meta.json()) as { name: string }).name).toBe(name);
    }
  });
});

describe('errors and ranges', () => {
  it('answers JSON API error bodies with proper codes', async () => {
    const missing = await fetch(`${base}/storage/v1/b/wire/o/nope.txt`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        code: 404,
        message: 'No such object: wire/nope.txt',
        errors: [{ reason: 'notFound', domain: 'global', message: 'No such object: wire/nope.txt' }],
      },
    });
    expect((await fetch(`${base}/b/nobucket/o`)).status).toBe(404);
    const dup = await fetch(`${base}/b?project=p`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"wire"}',
    });
    expect(dup.status).toBe(409);
    const bad = await fetch(`${base}${upload}?uploadType=media&name=a%2F%2Fb`, { method: 'POST', body: 'x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /empty path segment.*collapse/,
    );
  });

  it('answers a refused large upload instead of resetting the connection', async () => {
    const res = await fetch(`${base}/upload/storage/v1/b/no-bucket/o?uploadType=media&name=x`, {
      method: 'POST',
      body: Buffer.alloc(3 * 1024 * 1024),
    });
    expect(res.status).toBe(404);
  });

  it('serves byte ranges', async () => {
    await fetch(`${base}${upload}?uploadType=media&name=r.txt`, { method: 'POST', body: '0123456789' });
    expect(loggedBodies).toContain(`POST ${upload}?uploadType=media&name=r.txt {"bytes":10}`);
    const part = await fetch(`${base}/storage/v1/b/wire/o/r.txt?alt=media`, {
      headers: { range: 'bytes=2-4' },
    });
    expect([part.status, part.headers.get('content-range'), await part.text()]).toEqual([
      206,
      'bytes 2-4/10',
      '234',
    ]);
    const tail = await fetch(`${base}/storage/v1/b/wire/o/r.txt?alt=media`, {
      headers: { range: 'bytes=-3' },
    });
    expect(await tail.text()).toBe('789');
    const past = await fetch(`${base}/storage/v1/b/wire/o/r.txt?alt=media`, {
      headers: { range: 'bytes=20-' },
    });
    expect(past.status).toBe(416);
  });
});
