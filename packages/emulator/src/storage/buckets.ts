/**
 * Buckets as folders: `gs://b` is the folder `<root>/b`, so a bucket created by `mkdir` is as real as
 * one created through the API. Settings given at creation (location, storage class, labels) are kept in
 * `<metaRoot>/.buckets/<name>.json`.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { bucketNotFound, isFsError, StorageError } from './errors.ts';
import { writeFileAtomic } from './fs-util.ts';
import { validateBucketName } from './names.ts';

/** What the emulator knows about a bucket (fields of the JSON API's bucket resource). */
export interface BucketInfo {
  name: string;
  timeCreated: string;
  updated: string;
  metageneration: string;
  location: string;
  storageClass: string;
  labels?: Record<string, string>;
}

/** Settings accepted when creating a bucket. */
export interface CreateBucketOptions {
  location?: string;
  storageClass?: string;
  labels?: Record<string, string>;
}

/** The bucket half of the object store. */
export class BucketStore {
  /** Folder holding one folder per bucket (`<dataDir>/gcs`). */
  readonly root: string;
  /** Folder holding sidecar metadata, temporary files and upload sessions (`<dataDir>/gcs-meta`). */
  readonly metaRoot: string;

  /**
   * @param root folder of the buckets, usually `<dataDir>/gcs`.
   * @param options.metaRoot folder for metadata; defaults to a sibling of `root` named `<root>-meta`.
   */
  constructor(root: string, options: { metaRoot?: string } = {}) {
    this.root = root;
    this.metaRoot = options.metaRoot ?? join(dirname(root), `${basename(root)}-meta`);
  }

  /** Folder for temporary files; in the metadata tree so that no half-written file looks like an object. */
  protected get tmpDir(): string {
    return join(this.metaRoot, '.tmp');
  }

  /** The folder of a bucket (validates the name, does not check that it exists). */
  bucketPath(bucket: string): string {
    return join(this.root, validateBucketName(bucket));
  }

  #settingsPath(bucket: string): string {
    return join(this.metaRoot, '.buckets', `${bucket}.json`);
  }

  /** Creates a bucket; 409 if it exists. */
  async createBucket(name: string, options: CreateBucketOptions = {}): Promise<BucketInfo> {
    const dir = this.bucketPath(name);
    await mkdir(this.root, { recursive: true });
    try {
      await mkdir(dir);
    } catch (err) {
      if (isFsError(err, 'EEXIST')) {
        throw new StorageError(
          409,
          'conflict',
          `Bucket ${name} already exists. Use it as is, or choose another name.`,
        );
      }
      throw err;
    }
    const now = new Date().toISOString();
    const info: BucketInfo = {
      name,
      timeCreated: now,
      updated: now,
      metageneration: '1',
      location: (options.location ?? 'US').toUpperCase(),
      storageClass: options.storageClass ?? 'STANDARD',
      ...(options.labels && Object.keys(options.labels).length > 0 ? { labels: options.labels } : {}),
    };
    await writeFileAtomic(this.#settingsPath(name), JSON.stringify(info), this.tmpDir);
    return info;
  }

  /** A bucket's settings; 404 if its folder does not exist. */
  async getBucket(name: string): Promise<BucketInfo> {
    const dir = this.bucketPath(name);
    const stats = await stat(dir).catch((err: unknown) => {
      if (isFsError(err, 'ENOENT', 'ENOTDIR')) return undefined;
      throw err;
    });
    if (!stats?.isDirectory()) throw bucketNotFound(name);
    try {
      return { ...(JSON.parse(await readFile(this.#settingsPath(name), 'utf8')) as BucketInfo), name };
    } catch {
      // A folder made by hand: describe it from its timestamps.
      const created = (stats.birthtimeMs > 0 ? stats.birthtime : stats.mtime).toISOString();
      return {
        name,
        timeCreated: created,
        updated: created,
        metageneration: '1',
        location: 'US',
        storageClass: 'STANDARD',
      };
    }
  }

  /** All buckets, sorted by name. Folders whose names are not valid bucket names are skipped. */
  async listBuckets(): Promise<BucketInfo[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch((err: unknown) => {
      if (isFsError(err, 'ENOENT')) return [];
      throw err;
    });
    const names = entries
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name)
      .filter((n) => {
        try {
          return validateBucketName(n) === n;
        } catch {
          return false;
        }
      })
      .sort();
    const buckets: BucketInfo[] = [];
    for (const name of names) {
      try {
        buckets.push(await this.getBucket(name));
      } catch (err) {
        if (!(err instanceof StorageError)) throw err;
      }
    }
    return buckets;
  }

  /** Deletes an empty bucket; 404 if missing, 409 if it still holds objects. */
  async deleteBucket(name: string): Promise<void> {
    await this.getBucket(name);
    const dir = this.bucketPath(name);
    if (await containsFile(dir)) {
      throw new StorageError(
        409,
        'conflict',
        `The bucket you tried to delete is not empty: ${name}. Delete its objects first.`,
      );
    }
    await rm(dir, { recursive: true, force: true });
    await rm(join(this.metaRoot, name), { recursive: true, force: true });
    await rm(this.#settingsPath(name), { force: true });
  }
}

async function containsFile(dir: string): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) return true;
    if (await containsFile(join(dir, entry.name))) return true;
  }
  return false;
}
