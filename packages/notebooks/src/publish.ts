/**
 * Copies notebooks into a Terra workspace bucket the way Terra keeps workspace notebooks: each one as
 * `gs://<workspace bucket>/notebooks/<name>.ipynb` (content type `application/x-ipynb+json`), where
 * Terra's Analyses tab lists them and localizes them into the cloud environment.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  exists,
  type ResolvedConfig,
  resolveConfig,
  storageClient,
  uploadBytes,
  ValidationError,
} from '@terra-vertex/core';
import { bundledNotebooks } from './paths.ts';
import { terraEnvironment } from './terra.ts';

/** The content type Terra gives notebooks in the workspace bucket. */
export const NOTEBOOK_CONTENT_TYPE = 'application/x-ipynb+json';

/** Options of {@link publishNotebooks}. */
export interface PublishOptions {
  /** `gs://fc-…` (Terra's WORKSPACE_BUCKET; the default). The bucket only: notebooks go to its `notebooks/` folder. */
  workspaceBucket?: string;
  /** `.ipynb` paths (default: the notebooks of this package). */
  notebooks?: string[];
  /** Replace notebooks that already exist in the bucket (default false: keep the workspace's copy, which the user may have edited). */
  overwrite?: boolean;
  /** Connection (default: `resolveConfig()`, i.e. the cloud, or the emulator when it is configured). */
  config?: ResolvedConfig;
}

/** What happened to one notebook. */
export interface PublishedNotebook {
  name: string;
  uri: string;
  status: 'uploaded' | 'exists';
}

/** `gs://bucket` from a workspace bucket option (accepts `fc-…` without the scheme). */
export function workspaceBucketUri(value: string | undefined): string {
  const bucket = (value ?? '').trim().replace(/\/+$/, '');
  if (!bucket) {
    throw new ValidationError(
      'workspaceBucket',
      'no workspace bucket given and WORKSPACE_BUCKET is not set',
      'Pass the bucket of your Terra workspace, e.g. gs://fc-01234567-….',
    );
  }
  const uri = bucket.startsWith('gs://') ? bucket : `gs://${bucket}`;
  if (!/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(uri)) {
    throw new ValidationError(
      'workspaceBucket',
      `${JSON.stringify(value)} is not a bucket`,
      'Pass the bucket only (gs://fc-…): notebooks go to its notebooks/ folder.',
    );
  }
  return uri;
}

/**
 * Uploads the notebooks to `<workspace bucket>/notebooks/`. Existing notebooks are kept unless
 * `overwrite` is set.
 *
 * @throws Error naming `workspaceBucket` or `notebooks` when they are wrong, and Cloud Storage errors.
 */
export async function publishNotebooks(options: PublishOptions = {}): Promise<PublishedNotebook[]> {
  const bucket = workspaceBucketUri(options.workspaceBucket ?? terraEnvironment().workspaceBucket);
  const files = options.notebooks ?? bundledNotebooks();
  const bad = files.find((f) => !f.endsWith('.ipynb'));
  if (bad || files.length === 0) {
    throw new Error(
      `notebooks: ${bad ? `${bad} is not an .ipynb file` : 'nothing to publish'}. Pass .ipynb paths`,
    );
  }
  const storage = await storageClient(options.config ?? (await resolveConfig()));
  const published: PublishedNotebook[] = [];
  for (const file of files) {
    const name = basename(file);
    const uri = `${bucket}/notebooks/${name}`;
    if (!options.overwrite && (await exists(storage, uri))) {
      published.push({ name, uri, status: 'exists' });
      continue;
    }
    await uploadBytes(storage, await readFile(file), uri, NOTEBOOK_CONTENT_TYPE);
    published.push({ name, uri, status: 'uploaded' });
  }
  return published;
}
