/**
 * Object listing over a bucket folder: every regular file below it is an object whose name is its
 * relative path. Supports `prefix`, `delimiter`, `startOffset`/`endOffset` and pagination the way the
 * JSON API does; results are sorted by the UTF-8 bytes of the name, as Cloud Storage sorts them.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid, isFsError } from './errors.ts';

/** Options of an object listing (the JSON API's `objects.list` query). */
export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  pageToken?: string;
  /** At most this many items and prefixes together; default and cap 1000. */
  maxResults?: number;
  startOffset?: string;
  endOffset?: string;
}

/** One page of names and prefixes. */
export interface NameListing {
  names: string[];
  prefixes: string[];
  nextPageToken?: string;
}

const MAX_RESULTS = 1000;

/** Compares strings by their UTF-8 bytes. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function entryKind(dir: string, entry: Dirent): Promise<'file' | 'dir' | undefined> {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'dir';
  if (!entry.isSymbolicLink()) return undefined;
  try {
    const target = await stat(join(dir, entry.name));
    return target.isFile() ? 'file' : target.isDirectory() ? 'dir' : undefined;
  } catch {
    return undefined; // dangling link
  }
}

async function readDir(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isFsError(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
}

/** Whether a folder holds at least one file at any depth. */
async function hasAnyFile(dir: string): Promise<boolean> {
  for (const entry of await readDir(dir)) {
    const kind = await entryKind(dir, entry);
    if (kind === 'file' || (kind === 'dir' && (await hasAnyFile(join(dir, entry.name))))) return true;
  }
  return false;
}

/** The folder part of a prefix (`data/tr` → `data/`), or undefined when no object name can match it. */
function folderOfPrefix(prefix: string): string | undefined {
  const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const segments = folder.split('/').slice(0, -1);
  return segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0')) ? undefined : folder;
}

/** Collects all names and delimiter prefixes below a bucket folder that match the prefix. */
async function collect(bucketDir: string, prefix: string, delimiter: string) {
  const names: string[] = [];
  const prefixes = new Set<string>();
  const addName = (name: string) => {
    const rest = name.slice(prefix.length);
    const at = delimiter ? rest.indexOf(delimiter) : -1;
    if (at >= 0) prefixes.add(prefix + rest.slice(0, at + delimiter.length));
    else names.push(name);
  };
  const visit = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await readDir(dir)) {
      const name = rel + entry.name;
      const kind = await entryKind(dir, entry);
      if (kind === 'file') {
        if (name.startsWith(prefix)) addName(name);
      } else if (kind === 'dir') {
        const folder = `${name}/`;
        if (!folder.startsWith(prefix) && !prefix.startsWith(folder)) continue;
        if (delimiter === '/' && folder.startsWith(prefix)) {
          // Every object below would roll up into this one prefix: no need to walk it all.
          if (await hasAnyFile(join(dir, entry.name))) prefixes.add(folder);
        } else {
          await visit(join(dir, entry.name), folder);
        }
      }
    }
  };
  const folder = folderOfPrefix(prefix);
  if (folder !== undefined) await visit(folder ? join(bucketDir, ...folder.split('/')) : bucketDir, folder);
  return { names, prefixes: [...prefixes] };
}

/** Encodes the last key of a page as an opaque page token. */
function encodeToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (encodeToken(key) !== token) {
    throw invalid(
      `Invalid pageToken ${JSON.stringify(token)}. Pass the nextPageToken of the previous page unchanged.`,
    );
  }
  return key;
}

/** Lists one page of object names and prefixes under a bucket folder. */
export async function listNames(bucketDir: string, options: ListOptions = {}): Promise<NameListing> {
  const prefix = options.prefix ?? '';
  const delimiter = options.delimiter ?? '';
  const max = Math.min(
    options.maxResults && options.maxResults > 0 ? options.maxResults : MAX_RESULTS,
    MAX_RESULTS,
  );
  const after = options.pageToken ? decodeToken(options.pageToken) : undefined;
  const { names, prefixes } = await collect(bucketDir, prefix, delimiter);
  const inRange = (name: string) =>
    (!options.startOffset || compareNames(name, options.startOffset) >= 0) &&
    (!options.endOffset || compareNames(name, options.endOffset) < 0);
  const keys = [
    ...names.filter(inRange).map((key) => ({ key, isPrefix: false })),
    ...prefixes.map((key) => ({ key, isPrefix: true })),
  ]
    .filter((entry) => after === undefined || compareNames(entry.key, after) > 0)
    .sort((a, b) => compareNames(a.key, b.key));
  const page = keys.slice(0, max);
  const listing: NameListing = {
    names: page.filter((e) => !e.isPrefix).map((e) => e.key),
    prefixes: page.filter((e) => e.isPrefix).map((e) => e.key),
  };
  const last = page.at(-1);
  if (keys.length > max && last) listing.nextPageToken = encodeToken(last.key);
  return listing;
}
