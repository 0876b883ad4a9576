/** Cloud Storage emulator: an object store on the local file system and its JSON API routes. */
export type { BucketInfo, CreateBucketOptions } from './buckets.ts';
export { StorageError } from './errors.ts';
export type { Checksums } from './hashing.ts';
export type { ListOptions } from './listing.ts';
export type { ObjectInfo, ObjectMetadataInput } from './metadata.ts';
export { objectNameSegments, validateBucketName } from './names.ts';
export { type ObjectConditions, type ObjectData, ObjectStore, type PutOptions } from './object-store.ts';
export { registerStorageRoutes, type StorageRoutesOptions } from './routes.ts';
