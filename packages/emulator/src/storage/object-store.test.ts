import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore, StorageError, validateBucketName } from './index.ts';

let dataDir: string;
let store: ObjectStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tvx-store-'));
  store = new ObjectStore(join(dataDir, 'gcs'));
  await store.createBucket('bkt');
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('names', () => {
  it.each([
    ['../x', "'..' path segment"],
    ['a/../../x', "'..' path segment"],
    ['a/./b', "'.' path segment"],
    ['a//b', 'empty path segment'],
    ['/abs', "starts with '/'"],
    ['dir/', "ends with '/'"],
    ['a\0b', 'NUL'],
    ['x'.repeat(1025), 'longer than 1024 bytes'],
    ['', 'missing'],
  ])('refuses %j with a 400 that says why', (name, why) => {
    const attempt = () => store.localPath('bkt', name);
    expect(attempt).toThrow(StorageError);
    expect(attempt).toThrow(why);
    try {
      attempt();
    } catch (err) {
      expect((err as StorageError).code).toBe(400);
    }
  });

  it('maps valid names inside the bucket folder', () => {
    expect(store.localPath('bkt', 'a/b c/ü.txt')).toBe(join(dataDir, 'gcs', 'bkt', 'a', 'b c', 'ü.txt'));
    expect(store.localPath('bkt', '..a/b..')).toBe(join(dataDir, 'gcs', 'bkt', '..a', 'b..'));
  });

  it('checks bucket names', () => {
    expect(validateBucketName('my-bucket.v2_x')).toBe('my-bucket.v2_x');
    for (const bad of [
      'ab',
      'UPPER',
      '-dash',
      'goog-x',
      'my-google-bucket',
      '192.168.1.1',
      'a..b',
      'x'.repeat(64),
      '../x',
    ]) {
      expect(() => validateBucketName(bad)).toThrow(/Invalid bucket name/);
    }
  });
});

describe('ObjectStore', () => {
  it('writes objects as files, with sidecars in the metadata tree', async () => {
    const info = await store.putObject('bkt', 'd/a.csv', 'x,y\n', {
      contentType: 'text/csv',
      metadata: { k: 'v' },
    });
    expect(info).toMatchObject({
      bucket: 'bkt',
      name: 'd/a.csv',
      size: 4,
      contentType: 'text/csv',
      metadata: { k: 'v' },
    });
    expect(await readFile(join(dataDir, 'gcs', 'bkt', 'd', 'a.csv'), 'utf8')).toBe('x,y\n');
    expect(existsSync(join(dataDir, 'gcs-meta', 'bkt', 'd', 'a.csv'))).toBe(true);
    expect(await readdir(join(dataDir, 'gcs', 'bkt', 'd'))).toEqual(['a.csv']);
    const again = await store.putObject('bkt', 'd/a.csv', Readable.from([Buffer.from('new')]));
    expect(BigInt(again.generation)).toBeGreaterThan(BigInt(info.generation));
    expect(again.contentType).toBe('text/csv'); // guessed from the extension
  });

  it('recomputes metadata when a local process rewrites a file', async () => {
    const first = await store.putObject('bkt', 'm.bin', Buffer.from('one'));
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(store.localPath('bkt', 'm.bin'), 'two!');
    const second = await store.getObject('bkt', 'm.bin');
    expect(second.size).toBe(4);
    expect(second.md5Hash).not.toBe(first.md5Hash);
    expect(second.generation).not.toBe(first.generation);
  });

  it('keeps uploaded metadata when readers race the write', async () => {
    await store.putObject('bkt', 'race.dat', 'old');
    const readers = Array.from({ length: 20 }, () => store.findObject('bkt', 'race.dat'));
    await store.putObject('bkt', 'race.dat', 'new bytes', {
      contentType: 'text/x-custom',
      metadata: { k: 'v' },
    });
    await Promise.all(readers);
    await Promise.all(Array.from({ length: 20 }, () => store.findObject('bkt', 'race.dat')));
    expect(await store.getObject('bkt', 'race.dat')).toMatchObject({
      contentType: 'text/x-custom',
      metadata: { k: 'v' },
      size: 9,
    });
  });

  it('lists in byte order with prefixes, skipping empty folders', async () => {
    for (const name of ['a/b', 'a-c', 'a/d/e', 'b']) await store.putObject('bkt', name, name);
    await mkdir(join(dataDir, 'gcs', 'bkt', 'empty', 'deeper'), { recursive: true });
    const all = await store.listObjects('bkt');
    expect(all.items.map((i) => i.name)).toEqual(['a-c', 'a/b', 'a/d/e', 'b']);
    const top = await store.listObjects('bkt', { delimiter: '/' });
    expect(top.items.map((i) => i.name)).toEqual(['a-c', 'b']);
    expect(top.prefixes).toEqual(['a/']);
    const inA = await store.listObjects('bkt', { prefix: 'a/', delimiter: '/' });
    expect(inA).toMatchObject({ prefixes: ['a/d/'] });
    expect(inA.items.map((i) => i.name)).toEqual(['a/b']);
    expect((await store.listObjects('bkt', { prefix: '../' })).items).toEqual([]);
  });

  it('follows symlinked folders a user placed in a bucket', async () => {
    const outside = join(dataDir, 'dataset');
    await mkdir(outside);
    await writeFile(join(outside, 'img.png'), 'png');
    await symlink(outside, join(dataDir, 'gcs', 'bkt', 'images'));
    expect((await store.listObjects('bkt')).items.map((i) => i.name)).toEqual(['images/img.png']);
  });

  it('deletes objects and prunes folders left empty', async () => {
    await store.putObject('bkt', 'x/y/z.txt', 'z');
    await store.deleteObject('bkt', 'x/y/z.txt');
    expect(existsSync(join(dataDir, 'gcs', 'bkt', 'x'))).toBe(false);
    expect(existsSync(join(dataDir, 'gcs-meta', 'bkt', 'x'))).toBe(false);
    await expect(store.deleteObject('bkt', 'x/y/z.txt')).rejects.toMatchObject({ code: 404 });
    await expect(store.getObject('nobucket', 'x')).rejects.toThrow('bucket does not exist');
  });

  it('reports an object/folder clash as a 409', async () => {
    await store.putObject('bkt', 'a', 'file');
    await expect(store.putObject('bkt', 'a/b', 'inside')).rejects.toMatchObject({ code: 409 });
    await store.putObject('bkt', 'c/d', 'inside');
    await expect(store.putObject('bkt', 'c', 'file')).rejects.toMatchObject({ code: 409 });
  });

  it('honours generation preconditions', async () => {
    const info = await store.putObject('bkt', 'p.txt', '1', { ifGenerationMatch: 0 });
    await expect(store.putObject('bkt', 'p.txt', '2', { ifGenerationMatch: 0 })).rejects.toMatchObject({
      code: 412,
    });
    await store.putObject('bkt', 'p.txt', '2', { ifGenerationMatch: info.generation });
  });

  it('copies, composes, patches and refuses to delete a non-empty bucket', async () => {
    await store.putObject('bkt', 'a.txt', 'A', { metadata: { k: '1' } });
    await store.putObject('bkt', 'b.txt', 'B');
    const copy = await store.copyObject('bkt', 'a.txt', 'bkt', 'copy/a.txt');
    expect(copy.metadata).toEqual({ k: '1' });
    await store.composeObject('bkt', ['a.txt', 'b.txt', 'a.txt'], 'ab.txt');
    expect(await readFile(store.localPath('bkt', 'ab.txt'), 'utf8')).toBe('ABA');
    const patched = await store.patchObject('bkt', 'a.txt', {
      metadata: { k: null, j: '2' },
      contentType: 'text/x',
    });
    expect(patched).toMatchObject({ metadata: { j: '2' }, contentType: 'text/x', metageneration: '2' });
    await expect(store.deleteBucket('bkt')).rejects.toMatchObject({ code: 409 });
  });
});
