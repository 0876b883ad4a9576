import { resolve, sep } from 'node:path';

/**
 * Maps `gs://bucket/path` onto the emulator's store, the way Vertex mounts buckets at `/gcs/bucket/path`.
 * Throws when the URI is not gs:// or would leave the store.
 */
export function gcsToLocal(gcsRoot: string, uri: string): string {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`${JSON.stringify(uri)} is not a gs:// URI`);
  const root = resolve(gcsRoot);
  const local = resolve(root, m[1]!, m[2]!);
  if (local !== root && !local.startsWith(root + sep))
    throw new Error(`${uri} points outside the bucket store`);
  return local;
}
