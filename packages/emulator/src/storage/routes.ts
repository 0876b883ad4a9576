/**
 * The Cloud Storage emulator as Fastify routes: the JSON API (with and without `/storage/v1`), media
 * downloads and the three upload types. Each group lives in its own encapsulated scope with its own
 * body parsers and error handler, so it works whatever parsers the host application installed.
 */
import type { FastifyInstance } from 'fastify';
import { jsonRoutes } from './json-routes.ts';
import type { ObjectStore } from './object-store.ts';
import { uploadRoutes } from './upload-routes.ts';

/** Options of {@link registerStorageRoutes}. */
export interface StorageRoutesOptions {
  /**
   * Serve `GET /{bucket}/{name}` (the URL `file.publicUrl()` gives) as a media download. It is a
   * catch-all for two-segment paths, so turn it off if it shadows other routes. Default: true.
   */
  publicUrls?: boolean;
}

/**
 * Registers the Cloud Storage JSON API on a Fastify app, backed by `store`. Clients reach it with
 * `new Storage({ apiEndpoint: 'http://127.0.0.1:PORT' })` or `STORAGE_EMULATOR_HOST=http://127.0.0.1:PORT`.
 */
export function registerStorageRoutes(
  app: FastifyInstance,
  store: ObjectStore,
  options: StorageRoutesOptions = {},
): void {
  app.register(async (scope) => jsonRoutes(scope, store, { publicUrls: options.publicUrls ?? true }));
  app.register(async (scope) => uploadRoutes(scope, store));
}
