/**
 * The Cloud Storage JSON API (buckets and objects) plus media downloads. JSON calls are served both
 * under `/storage/v1` (what `apiEndpoint` gives) and at the root (what `STORAGE_EMULATOR_HOST` gives).
 * Paths below `/b/` are parsed from the raw URL: object names are percent-encoded (`data%2Fa.csv`) and
 * can be longer than the router's limit for a named parameter.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalid, objectNotFound, StorageError } from './errors.ts';
import { conditionsFrom, installBodyParsers, pathSegments, queryParam } from './http.ts';
import { type ObjectMetadataInput, OPTIONAL_STRING_FIELDS } from './metadata.ts';
import type { ObjectStore } from './object-store.ts';
import { baseUrlOf, bucketResource, mediaHeaders, objectResource } from './resources.ts';

/** Where the JSON API is served: with the `/storage/v1` prefix and without it. */
const PREFIXES = ['/storage/v1', ''] as const;

/** Picks the settable metadata fields from a JSON body (an object resource or a rewrite/compose body). */
function metadataInput(body: unknown): ObjectMetadataInput {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const input: ObjectMetadataInput = {};
  if (typeof source.contentType === 'string') input.contentType = source.contentType;
  for (const field of OPTIONAL_STRING_FIELDS) {
    if (typeof source[field] === 'string') input[field] = source[field] as string;
  }
  if (source.metadata === null || (typeof source.metadata === 'object' && !Array.isArray(source.metadata))) {
    input.metadata = source.metadata as Record<string, string | null> | null;
  }
  return input;
}

function notImplemented(what: string): StorageError {
  return new StorageError(
    501,
    'notImplemented',
    `${what} is not supported by the terra-vertex Cloud Storage emulator.`,
  );
}

/** Parses a `Range: bytes=…` request header against an object size; `undefined` means the whole object. */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : { start, end };
}

/** Sends an object's bytes with the headers the client validates (x-goog-hash, stored encoding …). */
async function sendMedia(
  store: ObjectStore,
  request: FastifyRequest,
  reply: FastifyReply,
  bucket: string,
  name: string,
) {
  const info = await store.getObject(bucket, name, conditionsFrom(request));
  const generation = queryParam(request, 'generation');
  if (generation && generation !== info.generation) throw objectNotFound(bucket, `${name}#${generation}`);
  reply.headers(mediaHeaders(info));
  const range = byteRange(request.headers.range, info.size);
  if (range === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${info.size}`).send();
  }
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
    reply.header('content-length', String(range.end - range.start + 1));
    return reply.send(await store.readStream(bucket, name, range));
  }
  reply.header('content-length', String(info.size));
  return reply.send(info.size === 0 ? '' : await store.readStream(bucket, name));
}

/** Handles every method on `/b/{bucket}…` once the path is split into decoded segments. */
async function dispatch(
  store: ObjectStore,
  request: FastifyRequest,
  reply: FastifyReply,
  segments: string[],
) {
  const base = baseUrlOf(request);
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const [bucket = '', collection, name = '', action, ...rest] = segments;
  if (segments.length === 1) {
    if (method === 'GET') return bucketResource(await store.getBucket(bucket), base);
    if (method === 'DELETE') return reply.code(204).send(await store.deleteBucket(bucket));
    throw notImplemented(`${method} on a bucket`);
  }
  if (collection !== 'o') throw notImplemented(`The path /b/${bucket}/${segments.slice(1).join('/')}`);
  if (segments.length === 2) {
    if (method !== 'GET') throw notImplemented(`${method} on /b/{bucket}/o (use the upload endpoint)`);
    if (queryParam(request, 'matchGlob')) throw notImplemented('Listing with matchGlob');
    const maxResults = queryParam(request, 'maxResults');
    const page = await store.listObjects(bucket, {
      prefix: queryParam(request, 'prefix'),
      delimiter: queryParam(request, 'delimiter'),
      pageToken: queryParam(request, 'pageToken'),
      startOffset: queryParam(request, 'startOffset'),
      endOffset: queryParam(request, 'endOffset'),
      ...(maxResults ? { maxResults: Number(maxResults) } : {}),
    });
    return {
      kind: 'storage#objects',
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      ...(page.prefixes.length > 0 ? { prefixes: page.prefixes } : {}),
      items: page.items.map((item) => objectResource(item, base)),
    };
  }
  if (segments.length === 3) {
    if (method === 'GET') {
      if (queryParam(request, 'alt') === 'media') return sendMedia(store, request, reply, bucket, name);
      const info = await store.getObject(bucket, name, conditionsFrom(request));
      const generation = queryParam(request, 'generation');
      if (generation && generation !== info.generation) throw objectNotFound(bucket, `${name}#${generation}`);
      return objectResource(info, base);
    }
    if (method === 'DELETE')
      return reply.code(204).send(await store.deleteObject(bucket, name, conditionsFrom(request)));
    if (method === 'PATCH' || method === 'PUT') {
      return objectResource(
        await store.patchObject(bucket, name, metadataInput(request.body), conditionsFrom(request)),
        base,
      );
    }
    throw notImplemented(`${method} on an object`);
  }
  if (method === 'POST' && action === 'compose' && segments.length === 4) {
    const body = (request.body ?? {}) as { sourceObjects?: { name?: unknown }[]; destination?: unknown };
    if (!Array.isArray(body.sourceObjects))
      throw invalid('compose needs \'sourceObjects\': [{"name": …}, …] in the body.');
    const sources = body.sourceObjects.map((s, i) => {
      if (typeof s?.name !== 'string')
        throw invalid(`sourceObjects[${i}].name is missing. Name each source object.`);
      return s.name;
    });
    const options = { ...metadataInput(body.destination), ...conditionsFrom(request) };
    return objectResource(await store.composeObject(bucket, sources, name, options), base);
  }
  const [b, dstBucket = '', o, dstName = ''] = rest;
  if (
    method === 'POST' &&
    (action === 'copyTo' || action === 'rewriteTo') &&
    b === 'b' &&
    o === 'o' &&
    rest.length === 4
  ) {
    const options = { ...metadataInput(request.body), ...conditionsFrom(request) };
    const info = await store.copyObject(bucket, name, dstBucket, dstName, options);
    if (action === 'copyTo') return objectResource(info, base);
    const size = String(info.size);
    return {
      kind: 'storage#rewriteResponse',
      totalBytesRewritten: size,
      objectSize: size,
      done: true,
      resource: objectResource(info, base),
    };
  }
  throw notImplemented(`${method} ${request.url}`);
}

/** Registers the JSON API routes in their own scope (JSON bodies parsed, others passed as streams). */
export async function jsonRoutes(
  scope: FastifyInstance,
  store: ObjectStore,
  options: { publicUrls: boolean },
): Promise<void> {
  installBodyParsers(scope, { json: true });
  for (const prefix of PREFIXES) {
    scope.get(`${prefix}/b`, async (request) => {
      const filter = queryParam(request, 'prefix') ?? '';
      const buckets = (await store.listBuckets()).filter((b) => b.name.startsWith(filter));
      return { kind: 'storage#buckets', items: buckets.map((b) => bucketResource(b, baseUrlOf(request))) };
    });
    scope.post(`${prefix}/b`, async (request) => {
      const body = (request.body ?? {}) as {
        name?: unknown;
        location?: unknown;
        storageClass?: unknown;
        labels?: unknown;
      };
      const info = await store.createBucket(body.name as string, {
        ...(typeof body.location === 'string' ? { location: body.location } : {}),
        ...(typeof body.storageClass === 'string' ? { storageClass: body.storageClass } : {}),
        ...(typeof body.labels === 'object' && body.labels
          ? { labels: body.labels as Record<string, string> }
          : {}),
      });
      return bucketResource(info, baseUrlOf(request));
    });
    scope.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: `${prefix}/b/*`,
      handler: (request, reply) => dispatch(store, request, reply, pathSegments(request, `${prefix}/b/`)),
    });
  }
  scope.get('/download/storage/v1/b/*', async (request, reply) => {
    const [bucket = '', o, name = '', ...extra] = pathSegments(request, '/download/storage/v1/b/');
    if (o !== 'o' || extra.length > 0)
      throw new StorageError(404, 'notFound', `Unknown download URL ${request.url}.`);
    return sendMedia(store, request, reply, bucket, name);
  });
  if (options.publicUrls) {
    // `file.publicUrl()`: {apiEndpoint}/{bucket}/{name}, the name percent-encoded or with plain slashes.
    scope.get('/:bucket/*', async (request, reply) => {
      const [bucket = '', ...parts] = pathSegments(request, '/');
      return sendMedia(store, request, reply, bucket, parts.join('/'));
    });
  }
}
