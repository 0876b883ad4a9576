import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ensureBucket,
  type InitOptions,
  parseGcsUri,
  resolveConfig,
  storageClient,
  uploadBytes,
} from '@terra-vertex/core';
import { INDEX_FILE, readLocalImageDataset } from './local-dataset.ts';

/** Options of {@link uploadImageDataset}. */
export interface UploadImageDatasetOptions extends Pick<InitOptions, 'project' | 'emulator'> {
  /** Uploads at a time (default 16). */
  concurrency?: number;
}

/**
 * Uploads a local dataset (`generateShapesDataset`, `writeDigitsDataset`) under `gsPrefix` and writes the
 * Vertex import CSV, `ML_USE,gs://…/image.png,label` per line, as `<gsPrefix>/index.csv`. With the emulator
 * the bucket is created if needed. Returns the CSV's gs:// URI, ready for `ImageDataset.create`.
 *
 * @example
 * const csv = await uploadImageDataset('/tmp/digits', 'gs://tvx-demo/digits');
 * await ImageDataset.create({ gcsSource: csv, importSchemaUri: IMAGE_SCHEMA.singleLabelImport });
 */
export async function uploadImageDataset(
  localDir: string,
  gsPrefix: string,
  options: UploadImageDatasetOptions = {},
): Promise<string> {
  const { bucket, path } = parseGcsUri(gsPrefix, 'gsPrefix');
  const prefix = `gs://${bucket}${path ? `/${path.replace(/\/+$/, '')}` : ''}`;
  const local = await readLocalImageDataset(localDir);
  const config = await resolveConfig(options);
  const storage = await storageClient(config);
  if (config.emulator) await ensureBucket(storage, bucket);
  const queue = [...local.images];
  const worker = async () => {
    // Images are small: one simple upload each is faster than the client's file upload.
    for (let image = queue.shift(); image; image = queue.shift())
      await uploadBytes(storage, await readFile(join(localDir, image.path)), `${prefix}/${image.path}`);
  };
  const concurrency = Math.max(1, options.concurrency ?? 16);
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  const csv = local.images.map((im) => `${im.mlUse},${prefix}/${im.path},${im.label}\n`).join('');
  return uploadBytes(storage, csv, `${prefix}/${INDEX_FILE}`);
}
