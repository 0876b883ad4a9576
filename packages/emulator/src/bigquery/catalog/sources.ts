/**
 * `gs://bucket/name` URIs of load and extract jobs, resolved against the Cloud Storage emulator's
 * object store (objects are plain files there, so DuckDB reads them in place).
 */
import { stat } from 'node:fs/promises';
import { StorageError } from '../../storage/index.ts';
import type { BigQueryDeps } from '../deps.ts';
import { BigQueryError, invalid, notFound } from '../errors.ts';

/** A file a load job reads. */
export interface SourceFile {
  /** Local path of the bytes. */
  path: string;
  /** What error messages call it: the gs:// URI or "the uploaded file". */
  uri: string;
  bytes: number;
}

/** Splits `gs://bucket/name`; `field` names the configuration field in errors. */
export function parseGcsUri(uri: unknown, field: string): { bucket: string; name: string } {
  const m = typeof uri === 'string' ? /^gs:\/\/([^/]+)\/(.+)$/.exec(uri) : null;
  if (!m)
    throw invalid(`${field} ${JSON.stringify(uri)} is not a Cloud Storage URI. Use gs://BUCKET/OBJECT.`);
  return { bucket: m[1] as string, name: m[2] as string };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function objectNames(deps: BigQueryDeps, bucket: string, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await deps.objects.listObjects(bucket, { prefix, ...(pageToken ? { pageToken } : {}) });
    names.push(...page.items.map((i) => i.name));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return names;
}

/** Resolves `sourceUris` (each may hold `*` wildcards) to files, in URI then name order. */
export async function resolveSourceUris(deps: BigQueryDeps, uris: unknown): Promise<SourceFile[]> {
  if (!Array.isArray(uris) || uris.length === 0)
    throw invalid('configuration.load.sourceUris is empty. Give gs://BUCKET/OBJECT URIs or upload a file.');
  const files: SourceFile[] = [];
  for (const [i, uri] of uris.entries()) {
    const { bucket, name } = parseGcsUri(uri, `configuration.load.sourceUris[${i}]`);
    try {
      if (name.includes('*')) {
        const prefix = name.slice(0, name.indexOf('*'));
        const pattern = new RegExp(`^${name.split('*').map(escapeRegExp).join('.*')}$`, 's');
        const matches = (await objectNames(deps, bucket, prefix)).filter((n) => pattern.test(n));
        if (matches.length === 0) throw notFound('URI', uri as string);
        for (const match of matches) {
          const info = await deps.objects.getObject(bucket, match);
          files.push({
            path: deps.objects.localPath(bucket, match),
            uri: `gs://${bucket}/${match}`,
            bytes: info.size,
          });
        }
      } else {
        const info = await deps.objects.findObject(bucket, name);
        if (!info) throw notFound('URI', uri as string);
        files.push({ path: deps.objects.localPath(bucket, name), uri: uri as string, bytes: info.size });
      }
    } catch (err) {
      if (err instanceof StorageError && err.code === 404) throw notFound('URI', uri as string);
      if (err instanceof BigQueryError || !(err instanceof StorageError)) throw err;
      throw new BigQueryError(err.code, err.reason, `${uri}: ${err.message}`);
    }
  }
  return files;
}

/** The uploaded file of a local-file load job. */
export async function uploadedSource(path: string): Promise<SourceFile> {
  const info = await stat(path);
  return { path, uri: 'the uploaded file', bytes: info.size };
}
