/** Server-side copy and compose, built on the store's public operations. */
import { createReadStream } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { invalid } from './errors.ts';
import { type ObjectInfo, OPTIONAL_STRING_FIELDS } from './metadata.ts';
import type { ObjectStore, PutOptions } from './object-store.ts';

/** Copies an object; the copy keeps the source's settable metadata unless `options` override it. */
export async function copyObject(
  store: ObjectStore,
  srcBucket: string,
  srcName: string,
  dstBucket: string,
  dstName: string,
  options: PutOptions,
): Promise<ObjectInfo> {
  const source = await store.getObject(srcBucket, srcName);
  store.localPath(dstBucket, dstName);
  await store.getBucket(dstBucket);
  const inherited: PutOptions = { contentType: source.contentType };
  if (source.metadata) inherited.metadata = source.metadata;
  for (const field of OPTIONAL_STRING_FIELDS) {
    if (source[field] !== undefined) inherited[field] = source[field];
  }
  const tmp = await store.tempPath();
  try {
    await copyFile(store.localPath(srcBucket, srcName), tmp);
    return await store.putObjectFile(dstBucket, dstName, tmp, { ...inherited, ...options });
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Concatenates 1 to 32 objects of one bucket into `dstName`. */
export async function composeObject(
  store: ObjectStore,
  bucket: string,
  sources: string[],
  dstName: string,
  options: PutOptions,
): Promise<ObjectInfo> {
  if (sources.length === 0 || sources.length > 32) {
    throw invalid(`compose takes 1 to 32 source objects, got ${sources.length}. Compose in several steps.`);
  }
  for (const source of sources) await store.getObject(bucket, source);
  const paths = sources.map((source) => store.localPath(bucket, source));
  async function* concatenated() {
    for (const path of paths) yield* createReadStream(path);
  }
  return store.putObject(bucket, dstName, concatenated(), options);
}
