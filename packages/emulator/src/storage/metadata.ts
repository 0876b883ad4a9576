/**
 * Object metadata and its sidecar files. The bytes of `gs://b/dir/x` live at `<root>/b/dir/x`; its
 * metadata lives at the same relative path in a separate tree, `<metaRoot>/b/dir/x`, as JSON. Because
 * the two trees mirror each other, a sidecar never shows up as an object and never collides with one.
 * A sidecar records the size and mtime of the file it describes; when a local process rewrites the
 * file, those no longer match and the metadata is computed again.
 */
import type { BigIntStats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { isFsError } from './errors.ts';
import { checksumsOfFile } from './hashing.ts';

/** What the emulator knows about an object (the fields of the JSON API's object resource). */
export interface ObjectInfo {
  bucket: string;
  name: string;
  size: number;
  /** Microseconds since the epoch of the write that made this version, as a decimal string. */
  generation: string;
  metageneration: string;
  contentType: string;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
  updated: string;
  metadata?: Record<string, string>;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
}

/** Settable metadata of an object: on upload, copy and patch. */
export interface ObjectMetadataInput {
  contentType?: string;
  /** Custom metadata; on patch a `null` value removes the key. */
  metadata?: Record<string, string | null> | null;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
}

/** The sidecar file's content. */
export interface Sidecar extends Omit<ObjectInfo, 'bucket' | 'name'> {
  /** mtime of the data file in nanoseconds when the sidecar was written, to spot direct rewrites. */
  mtimeNs: string;
}

/** The optional string fields copied from uploads and patches. */
export const OPTIONAL_STRING_FIELDS = [
  'contentEncoding',
  'contentDisposition',
  'contentLanguage',
  'cacheControl',
] as const;

/** Reads a sidecar, or `undefined` when there is none or it is unreadable. */
export async function readSidecar(path: string): Promise<Sidecar | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Sidecar;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.mtimeNs === 'string'
      ? parsed
      : undefined;
  } catch (err) {
    if (isFsError(err, 'ENOENT', 'ENOTDIR', 'EISDIR') || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Whether a sidecar still describes the data file with these stats. */
export function sidecarIsFresh(sidecar: Sidecar | undefined, stats: BigIntStats): sidecar is Sidecar {
  return (
    sidecar !== undefined && sidecar.size === Number(stats.size) && sidecar.mtimeNs === String(stats.mtimeNs)
  );
}

/** Copies the settable fields from an upload or patch into metadata, dropping `null` metadata values. */
export function applyMetadataInput<T extends Partial<Sidecar>>(
  target: T,
  input: ObjectMetadataInput | undefined,
): T {
  if (!input) return target;
  if (typeof input.contentType === 'string' && input.contentType !== '')
    target.contentType = input.contentType;
  for (const field of OPTIONAL_STRING_FIELDS) {
    const value = input[field];
    if (typeof value === 'string') target[field] = value;
  }
  if (input.metadata === null) {
    delete target.metadata;
  } else if (input.metadata && typeof input.metadata === 'object') {
    const merged: Record<string, string> = { ...target.metadata };
    for (const [key, value] of Object.entries(input.metadata)) {
      if (value === null) delete merged[key];
      else merged[key] = String(value);
    }
    if (Object.keys(merged).length > 0) target.metadata = merged;
    else delete target.metadata;
  }
  return target;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonl': 'application/jsonl',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.py': 'text/x-python',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.gz': 'application/gzip',
  '.tgz': 'application/gzip',
  '.zip': 'application/zip',
  '.tar': 'application/x-tar',
  '.pdf': 'application/pdf',
  '.parquet': 'application/vnd.apache.parquet',
};

/** Content type for a file written directly by a local process (no upload told us): by extension. */
export function guessContentType(name: string): string {
  return CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** The object metadata part of a sidecar. */
export function withoutMtime(sidecar: Sidecar): Omit<Sidecar, 'mtimeNs'> {
  const { mtimeNs: _, ...rest } = sidecar;
  return rest;
}

/**
 * Metadata for a file a local process wrote: checksums read from the file, generation and times from
 * its mtime, content type from its extension. `undefined` if the file changed while it was read.
 */
export async function describeFile(
  path: string,
  name: string,
  stats: BigIntStats,
): Promise<Sidecar | undefined> {
  const sums = await checksumsOfFile(path);
  const after = await stat(path, { bigint: true }).catch(() => undefined);
  if (
    !after ||
    after.mtimeNs !== stats.mtimeNs ||
    after.size !== stats.size ||
    BigInt(sums.size) !== stats.size
  ) {
    return undefined;
  }
  const time = new Date(Number(stats.mtimeNs / 1_000_000n)).toISOString();
  return {
    ...sums,
    generation: String(stats.mtimeNs / 1000n),
    metageneration: '1',
    contentType: guessContentType(name),
    timeCreated: time,
    updated: time,
    mtimeNs: String(stats.mtimeNs),
  };
}
