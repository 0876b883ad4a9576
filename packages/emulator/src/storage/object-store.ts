/**
 * The Cloud Storage emulator's state: objects as plain files under `<root>/<bucket>/<name>` (so that
 * local processes read and write them like Vertex AI's /gcs/ mount) and metadata in sidecars under
 * `<metaRoot>/<bucket>/<name>` (see metadata.ts). Writes go to a temporary file and are renamed into
 * place, so readers never see half an object.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BucketStore } from './buckets.ts';
import { checkConditions, nextGeneration, type ObjectConditions } from './conditions.ts';
import { invalid, isFsError, objectNotFound, StorageError } from './errors.ts';
import { moveIntoPlace, pruneEmptyFolders, writeFileAtomic } from './fs-util.ts';
import { type Checksums, checksumsOf, checksumsOfFile, HashingStream } from './hashing.ts';
import { KeyedLock } from './keyed-lock.ts';
import { type ListOptions, listNames } from './listing.ts';
import {
  applyMetadataInput,
  describeFile,
  guessContentType,
  type ObjectInfo,
  type ObjectMetadataInput,
  readSidecar,
  type Sidecar,
  sidecarIsFresh,
  withoutMtime,
} from './metadata.ts';
import { objectNameSegments } from './names.ts';
import { composeObject, copyObject } from './object-copy.ts';

export type { ObjectConditions } from './conditions.ts';

/** Options of a write: metadata to set plus preconditions on the object being replaced. */
export type PutOptions = ObjectMetadataInput & ObjectConditions;

/** Bytes to store: in memory, or a stream. */
export type ObjectData = Uint8Array | string | Readable | AsyncIterable<Uint8Array>;

/** Buckets and objects stored as folders and files. */
export class ObjectStore extends BucketStore {
  readonly #lock = new KeyedLock();

  /**
   * The file holding an object's bytes. Throws a 400 for names that cannot be a file path inside the
   * bucket folder (`..`/`.` or empty segments, leading or trailing `/`, NUL, over 1024 bytes).
   */
  localPath(bucket: string, name: string): string {
    const segments = objectNameSegments(name);
    const bucketDir = resolve(this.bucketPath(bucket));
    const path = resolve(bucketDir, ...segments);
    const rel = relative(bucketDir, path);
    if (!path.startsWith(bucketDir + sep) || rel === '' || rel.split(sep).includes('..')) {
      throw invalid(
        `Invalid object name ${JSON.stringify(name)}: it resolves outside the bucket folder. Use a relative path such as 'data/train.csv'.`,
      );
    }
    return path;
  }

  #sidecarPath(bucket: string, name: string): string {
    return join(this.metaRoot, bucket, ...objectNameSegments(name));
  }

  /** Directory where resumable upload sessions keep their state and received bytes. */
  get uploadsDir(): string {
    return join(this.metaRoot, '.uploads');
  }

  /** A fresh path for a temporary file on the same file system as the objects. */
  async tempPath(): Promise<string> {
    await mkdir(this.tmpDir, { recursive: true });
    return join(this.tmpDir, randomUUID());
  }

  /** An object's metadata, or `undefined` if it does not exist. Computes it for files written directly. */
  findObject(bucket: string, name: string): Promise<ObjectInfo | undefined> {
    return this.#find(bucket, name, false);
  }

  /** An object's metadata; 404 if the bucket or object does not exist, 412 if a condition fails. */
  getObject(bucket: string, name: string, conditions: ObjectConditions = {}): Promise<ObjectInfo> {
    return this.#require(bucket, name, conditions, false);
  }

  async #require(
    bucket: string,
    name: string,
    conditions: ObjectConditions,
    locked: boolean,
  ): Promise<ObjectInfo> {
    const info = await this.#find(bucket, name, locked);
    if (!info) {
      await this.getBucket(bucket);
      throw objectNotFound(bucket, name);
    }
    checkConditions(bucket, name, info, conditions);
    return info;
  }

  /** Writers, deleters and lazy describers of one object take turns (`locked`: the caller holds the turn). */
  #locked<T>(bucket: string, name: string, fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(`${bucket}/${name}`, fn);
  }

  async #find(bucket: string, name: string, locked: boolean): Promise<ObjectInfo | undefined> {
    const path = this.localPath(bucket, name);
    for (let attempt = 0; attempt < 3; attempt++) {
      const stats = await stat(path, { bigint: true }).catch((err: unknown) => {
        if (isFsError(err, 'ENOENT', 'ENOTDIR')) return undefined;
        throw err;
      });
      if (!stats?.isFile()) return undefined;
      const sidecar = await readSidecar(this.#sidecarPath(bucket, name));
      if (sidecarIsFresh(sidecar, stats)) return { bucket, name, ...withoutMtime(sidecar) };
      if (!locked) return this.#locked(bucket, name, () => this.#find(bucket, name, true));
      // Written by a local process (or rewritten since): hash it and remember the result.
      const fresh = await describeFile(path, name, stats);
      if (!fresh) continue; // changed while we read it
      await writeFileAtomic(this.#sidecarPath(bucket, name), JSON.stringify(fresh), this.tmpDir).catch(
        () => {},
      );
      return { bucket, name, ...withoutMtime(fresh) };
    }
    throw new StorageError(
      503,
      'backendError',
      `Object ${bucket}/${name} keeps changing on disk; retry when the writer is done.`,
    );
  }

  /** A stream of an object's bytes, optionally of the inclusive byte range `start`..`end`. */
  async readStream(bucket: string, name: string, range?: { start: number; end: number }): Promise<Readable> {
    await this.getObject(bucket, name);
    return createReadStream(
      this.localPath(bucket, name),
      range ? { start: range.start, end: range.end } : {},
    );
  }

  /** Stores an object (replacing any previous one) and returns its metadata. */
  async putObject(
    bucket: string,
    name: string,
    data: ObjectData,
    options: PutOptions = {},
  ): Promise<ObjectInfo> {
    this.localPath(bucket, name);
    await this.getBucket(bucket);
    const tmp = await this.tempPath();
    try {
      let sums: Checksums;
      if (typeof data === 'string' || data instanceof Uint8Array) {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        await writeFile(tmp, bytes);
        sums = checksumsOf(bytes);
      } else {
        const hashing = new HashingStream();
        await pipeline(
          data instanceof Readable ? data : Readable.from(data),
          hashing,
          createWriteStream(tmp),
        );
        sums = hashing.checksums();
      }
      return await this.#commit(bucket, name, tmp, sums, options);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** Moves an existing file (e.g. a finished upload) into place as an object. */
  async putObjectFile(
    bucket: string,
    name: string,
    file: string,
    options: PutOptions = {},
  ): Promise<ObjectInfo> {
    this.localPath(bucket, name);
    await this.getBucket(bucket);
    const sums = await checksumsOfFile(file);
    return this.#commit(bucket, name, file, sums, options);
  }

  async #commit(
    bucket: string,
    name: string,
    tmp: string,
    sums: Checksums,
    options: PutOptions,
  ): Promise<ObjectInfo> {
    const path = this.localPath(bucket, name);
    return this.#locked(bucket, name, async () => {
      checkConditions(bucket, name, await this.#find(bucket, name, true).catch(() => undefined), options);
      if ((await moveIntoPlace(tmp, path)) === 'clash') throw fileFolderClash(bucket, name);
      return this.#writeSidecar(bucket, name, path, sums, options);
    });
  }

  /** Records a new generation's metadata: defaults, then checksums, then the caller's settings. */
  async #writeSidecar(bucket: string, name: string, path: string, sums: Checksums, options: PutOptions) {
    const stats = await stat(path, { bigint: true });
    const now = new Date().toISOString();
    const sidecar: Sidecar = applyMetadataInput(
      {
        contentType: guessContentType(name),
        ...sums,
        generation: nextGeneration(),
        metageneration: '1',
        timeCreated: now,
        updated: now,
      } as Sidecar,
      options,
    );
    sidecar.mtimeNs = String(stats.mtimeNs);
    await writeFileAtomic(this.#sidecarPath(bucket, name), JSON.stringify(sidecar), this.tmpDir);
    return { bucket, name, ...withoutMtime(sidecar) };
  }

  /** Lists objects and delimiter prefixes, sorted by name. */
  async listObjects(
    bucket: string,
    options: ListOptions = {},
  ): Promise<{ items: ObjectInfo[]; prefixes: string[]; nextPageToken?: string }> {
    await this.getBucket(bucket);
    const page = await listNames(this.bucketPath(bucket), options);
    const items: ObjectInfo[] = [];
    for (const name of page.names) {
      const info = await this.findObject(bucket, name).catch(() => undefined);
      if (info) items.push(info);
    }
    return {
      items,
      prefixes: page.prefixes,
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  }

  /** Deletes an object and prunes folders left empty; 404 if it does not exist. */
  deleteObject(bucket: string, name: string, conditions: ObjectConditions = {}): Promise<void> {
    return this.#locked(bucket, name, async () => {
      await this.#require(bucket, name, conditions, true);
      await rm(this.localPath(bucket, name), { force: true });
      await rm(this.#sidecarPath(bucket, name), { force: true });
      await pruneEmptyFolders(dirname(this.localPath(bucket, name)), this.bucketPath(bucket));
      await pruneEmptyFolders(dirname(this.#sidecarPath(bucket, name)), join(this.metaRoot, bucket));
    });
  }

  /** Copies an object; `options` override the source's metadata and set preconditions on the target. */
  copyObject(
    srcBucket: string,
    srcName: string,
    dstBucket: string,
    dstName: string,
    options: PutOptions = {},
  ) {
    return copyObject(this, srcBucket, srcName, dstBucket, dstName, options);
  }

  /** Concatenates objects of one bucket into a new object (the JSON API's `compose`). */
  composeObject(bucket: string, sources: string[], dstName: string, options: PutOptions = {}) {
    return composeObject(this, bucket, sources, dstName, options);
  }

  /** Updates settable metadata (content type, custom metadata …); bumps the metageneration. */
  async patchObject(
    bucket: string,
    name: string,
    patch: ObjectMetadataInput,
    conditions: ObjectConditions = {},
  ): Promise<ObjectInfo> {
    return this.#locked(bucket, name, async () => {
      const info = await this.#require(bucket, name, conditions, true);
      const stats = await stat(this.localPath(bucket, name), { bigint: true });
      const { bucket: _b, name: _n, ...rest } = info;
      const sidecar: Sidecar = applyMetadataInput({ ...rest, mtimeNs: String(stats.mtimeNs) }, patch);
      sidecar.metageneration = String(Number(info.metageneration) + 1);
      sidecar.updated = new Date().toISOString();
      await writeFileAtomic(this.#sidecarPath(bucket, name), JSON.stringify(sidecar), this.tmpDir);
      return { bucket, name, ...withoutMtime(sidecar) };
    });
  }
}

function fileFolderClash(bucket: string, name: string): StorageError {
  return new StorageError(
    409,
    'conflict',
    `Cannot store ${bucket}/${name}: an object and a folder of the same name would clash (e.g. objects 'a' and 'a/b'). ` +
      'The emulator stores objects as files, so a name cannot be both; rename one of them.',
  );
}
