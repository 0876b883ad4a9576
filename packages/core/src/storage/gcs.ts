/**
 * gs:// helpers on the official `@google-cloud/storage` client: parse URIs, upload and download files
 * and bytes, list, check existence. The same calls work against Cloud Storage and the local emulator;
 * only the `Storage` instance (see `storageClient`) differs.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { StatusCode, toApiError, ValidationError } from '../errors.ts';

/** A parsed `gs://bucket/path` URI. `path` is '' for the bucket itself. */
export interface GcsLocation {
  bucket: string;
  path: string;
}

/** One object of a listing. */
export interface GcsObjectSummary {
  /** `gs://bucket/name`. */
  uri: string;
  name: string;
  /** Size in bytes. */
  size: number;
  /** RFC 3339 time of the last change. */
  updated: string;
}

/** The result of {@link listObjects}. */
export interface GcsListing {
  objects: GcsObjectSummary[];
  /** `gs://` URIs of the "folders" the delimiter rolled up (ending with the delimiter). */
  prefixes: string[];
}

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/**
 * Parses `gs://bucket/path/to/object` into `{ bucket, path }`. Throws a {@link ValidationError} naming
 * `field` for anything that is not a gs:// URI with a valid bucket name.
 */
export function parseGcsUri(uri: string, field = 'uri'): GcsLocation {
  const fix = "Give a Cloud Storage URI such as 'gs://my-bucket/data/train.csv'.";
  if (typeof uri !== 'string' || !uri.startsWith('gs://')) {
    throw new ValidationError(field, `${JSON.stringify(uri)} is not a gs:// URI`, fix);
  }
  const rest = uri.slice('gs://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new ValidationError(
      field,
      `${JSON.stringify(bucket)} in ${JSON.stringify(uri)} is not a valid bucket name`,
      `${fix} Bucket names have 3-63 lowercase letters, digits, '-', '_' or '.'.`,
    );
  }
  return { bucket, path };
}

/** Parses a URI that must name an object (not a bucket or a folder). */
function parseObjectUri(uri: string, field: string): GcsLocation {
  const location = parseGcsUri(uri, field);
  if (location.path === '' || location.path.endsWith('/')) {
    throw new ValidationError(
      field,
      `${JSON.stringify(uri)} names a bucket or folder, not an object`,
      "Add the object name, e.g. 'gs://my-bucket/data/train.csv'.",
    );
  }
  return location;
}

const HTTP_TO_STATUS: Record<number, number> = {
  400: StatusCode.INVALID_ARGUMENT,
  401: StatusCode.UNAUTHENTICATED,
  403: StatusCode.PERMISSION_DENIED,
  404: StatusCode.NOT_FOUND,
  409: StatusCode.ALREADY_EXISTS,
  412: StatusCode.FAILED_PRECONDITION,
  429: StatusCode.RESOURCE_EXHAUSTED,
  499: StatusCode.CANCELLED,
  500: StatusCode.INTERNAL,
  501: StatusCode.UNIMPLEMENTED,
  503: StatusCode.UNAVAILABLE,
  504: StatusCode.DEADLINE_EXCEEDED,
};

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT']);

/**
 * Wraps a Cloud Storage client error into an `ApiError` with `context`. The client reports HTTP
 * statuses (404) and network codes (ECONNREFUSED); they are mapped to the status codes `ApiError` uses.
 */
function storageError(err: unknown, context: string): Error {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = e?.code;
  let status: number | undefined;
  if (typeof code === 'number')
    status = HTTP_TO_STATUS[code] ?? (code >= 500 ? StatusCode.INTERNAL : StatusCode.UNKNOWN);
  else if (typeof code === 'string' && NETWORK_ERRORS.has(code)) status = StatusCode.UNAVAILABLE;
  if (status === undefined) return toApiError(err, context);
  const message = String(e?.message ?? err);
  return toApiError(
    { code: status, details: typeof code === 'number' ? `HTTP ${code}: ${message}` : message },
    context,
  );
}

async function call<T>(context: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw storageError(err, context);
  }
}

/** Uploads a local file to `gsUri` (resumable for large files, as the client decides). Returns `gsUri`. */
export async function uploadFile(storage: Storage, localPath: string, gsUri: string): Promise<string> {
  const { bucket, path } = parseObjectUri(gsUri, 'gsUri');
  await call(`Cloud Storage upload of ${localPath} to ${gsUri}`, () =>
    storage.bucket(bucket).upload(localPath, { destination: path }),
  );
  return gsUri;
}

/** Uploads bytes (a string is stored as UTF-8) to `gsUri`. Returns `gsUri`. */
export async function uploadBytes(
  storage: Storage,
  data: Buffer | string,
  gsUri: string,
  contentType?: string,
): Promise<string> {
  const { bucket, path } = parseObjectUri(gsUri, 'gsUri');
  await call(`Cloud Storage upload to ${gsUri}`, () =>
    storage
      .bucket(bucket)
      .file(path)
      .save(data, { resumable: false, ...(contentType ? { contentType } : {}) }),
  );
  return gsUri;
}

/** Downloads the object at `gsUri` to `localPath`, creating its folder. */
export async function downloadFile(storage: Storage, gsUri: string, localPath: string): Promise<void> {
  const { bucket, path } = parseObjectUri(gsUri, 'gsUri');
  await mkdir(dirname(localPath), { recursive: true });
  await call(`Cloud Storage download of ${gsUri}`, () =>
    storage.bucket(bucket).file(path).download({ destination: localPath }),
  );
}

/** The bytes of the object at `gsUri`. */
export async function downloadBytes(storage: Storage, gsUri: string): Promise<Buffer> {
  const { bucket, path } = parseObjectUri(gsUri, 'gsUri');
  const [data] = await call(`Cloud Storage download of ${gsUri}`, () =>
    storage.bucket(bucket).file(path).download(),
  );
  return data;
}

/**
 * Lists the objects whose URIs start with `gsPrefixUri` (all pages). With `delimiter: '/'` objects in
 * sub-folders are rolled up into `prefixes` instead, like `gsutil ls`.
 */
export async function listObjects(
  storage: Storage,
  gsPrefixUri: string,
  options: { delimiter?: string } = {},
): Promise<GcsListing> {
  const { bucket, path } = parseGcsUri(gsPrefixUri, 'gsPrefixUri');
  const listing: GcsListing = { objects: [], prefixes: [] };
  let query: Record<string, unknown> | undefined = {
    prefix: path,
    autoPaginate: false,
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  };
  while (query) {
    const current: Record<string, unknown> = query;
    const [files, next, response] = await call(`Cloud Storage listing of ${gsPrefixUri}`, () =>
      storage.bucket(bucket).getFiles(current),
    );
    for (const file of files) {
      listing.objects.push({
        uri: `gs://${bucket}/${file.name}`,
        name: file.name,
        size: Number(file.metadata.size ?? 0),
        updated: String(file.metadata.updated ?? ''),
      });
    }
    const prefixes = (response as { prefixes?: string[] } | undefined)?.prefixes ?? [];
    listing.prefixes.push(...prefixes.map((p) => `gs://${bucket}/${p}`));
    query = next && Object.keys(next).length > 0 ? (next as Record<string, unknown>) : undefined;
  }
  return listing;
}

/** Whether the object (or, for `gs://bucket`, the bucket) exists. */
export async function exists(storage: Storage, gsUri: string): Promise<boolean> {
  const { bucket, path } = parseGcsUri(gsUri, 'gsUri');
  const [found] = await call(`Cloud Storage existence check of ${gsUri}`, () =>
    path === '' ? storage.bucket(bucket).exists() : storage.bucket(bucket).file(path).exists(),
  );
  return found;
}

/**
 * Creates the bucket if it does not exist (`bucket` as `name` or `gs://name`). Meant for the local
 * emulator; in the cloud, create buckets deliberately (location, access control, billing).
 */
export async function ensureBucket(storage: Storage, bucket: string): Promise<void> {
  const name = parseGcsUri(bucket.startsWith('gs://') ? bucket : `gs://${bucket}`, 'bucket').bucket;
  const [found] = await call(`Cloud Storage lookup of bucket gs://${name}`, () =>
    storage.bucket(name).exists(),
  );
  if (found) return;
  try {
    await storage.createBucket(name);
  } catch (err) {
    if ((err as { code?: unknown }).code === 409) return; // created concurrently
    throw storageError(err, `Cloud Storage creation of bucket gs://${name}`);
  }
}
