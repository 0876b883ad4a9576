/**
 * JSON resources of the Cloud Storage JSON API, built from the store's metadata. Links are built from
 * the address the client used (its Host header), never the bind address, so they are reachable.
 */
import type { FastifyRequest } from 'fastify';
import type { BucketInfo } from './buckets.ts';
import type { ObjectInfo } from './metadata.ts';

/** `http://host:port` as the client addressed this server. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function etag(...parts: string[]): string {
  return Buffer.from(parts.join('/')).toString('base64');
}

/** The `storage#object` resource. */
export function objectResource(info: ObjectInfo, baseUrl: string): Record<string, unknown> {
  const encoded = encodeURIComponent(info.name);
  return {
    kind: 'storage#object',
    id: `${info.bucket}/${info.name}/${info.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${info.bucket}/o/${encoded}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${info.bucket}/o/${encoded}?generation=${info.generation}&alt=media`,
    name: info.name,
    bucket: info.bucket,
    generation: info.generation,
    metageneration: info.metageneration,
    contentType: info.contentType,
    storageClass: 'STANDARD',
    size: String(info.size),
    md5Hash: info.md5Hash,
    crc32c: info.crc32c,
    etag: etag(info.generation, info.metageneration),
    timeCreated: info.timeCreated,
    updated: info.updated,
    timeStorageClassUpdated: info.timeCreated,
    ...(info.contentEncoding ? { contentEncoding: info.contentEncoding } : {}),
    ...(info.contentDisposition ? { contentDisposition: info.contentDisposition } : {}),
    ...(info.contentLanguage ? { contentLanguage: info.contentLanguage } : {}),
    ...(info.cacheControl ? { cacheControl: info.cacheControl } : {}),
    ...(info.metadata ? { metadata: info.metadata } : {}),
  };
}

/** The `storage#bucket` resource. */
export function bucketResource(info: BucketInfo, baseUrl: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: info.name,
    selfLink: `${baseUrl}/storage/v1/b/${info.name}`,
    projectNumber: '0',
    name: info.name,
    timeCreated: info.timeCreated,
    updated: info.updated,
    metageneration: info.metageneration,
    location: info.location,
    locationType: info.location.includes('-') ? 'region' : 'multi-region',
    storageClass: info.storageClass,
    etag: etag(info.metageneration),
    iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'inherited' },
    ...(info.labels ? { labels: info.labels } : {}),
  };
}

/** The headers of a media download: type, length, checksums and identity storage encoding. */
export function mediaHeaders(info: ObjectInfo): Record<string, string> {
  return {
    'content-type': info.contentType,
    'x-goog-hash': `crc32c=${info.crc32c},md5=${info.md5Hash}`,
    'x-goog-stored-content-encoding': info.contentEncoding ?? 'identity',
    'x-goog-stored-content-length': String(info.size),
    'x-goog-generation': info.generation,
    'x-goog-metageneration': info.metageneration,
    'x-goog-storage-class': 'STANDARD',
    etag: `"${etag(info.generation, info.metageneration)}"`,
    'last-modified': new Date(info.updated).toUTCString(),
    'accept-ranges': 'bytes',
    ...(info.contentEncoding === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    ...(info.contentDisposition ? { 'content-disposition': info.contentDisposition } : {}),
    ...(info.cacheControl ? { 'cache-control': info.cacheControl } : { 'cache-control': 'no-store' }),
  };
}
