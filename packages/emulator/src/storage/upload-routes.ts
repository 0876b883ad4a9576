/**
 * Upload endpoints of the JSON API under `/upload/storage/v1/b/{bucket}/o`: `uploadType=media` (raw
 * bytes, name in the query), `multipart` (JSON metadata part + media part; name in the query or the
 * metadata) and `resumable` (a session URL in `Location`, then one or more PUTs).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalid, StorageError } from './errors.ts';
import {
  bodyStream,
  conditionsFrom,
  installBodyParsers,
  pathSegments,
  queryParam,
  readBody,
} from './http.ts';
import type { ObjectMetadataInput } from './metadata.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import type { ObjectStore, PutOptions } from './object-store.ts';
import { baseUrlOf, objectResource } from './resources.ts';
import { parseContentRange, ResumableUploads } from './resumable.ts';

const UPLOAD_PREFIX = '/upload/storage/v1/b/';
const MULTIPART_LIMIT = 2 ** 31 - 1;
const METADATA_LIMIT = 16 * 2 ** 20;

/** The bucket of an upload URL (`/upload/storage/v1/b/{bucket}/o`). */
function uploadBucket(request: FastifyRequest): string {
  const segments = pathSegments(request, UPLOAD_PREFIX);
  if (segments.length !== 2 || segments[1] !== 'o' || !segments[0]) {
    throw new StorageError(
      404,
      'notFound',
      `Unknown upload URL ${request.url}. Uploads go to /upload/storage/v1/b/{bucket}/o.`,
    );
  }
  return segments[0];
}

/** Parses a JSON metadata document (the first multipart part, or the resumable initiation body). */
function parseMetadata(bytes: Buffer, where: string): ObjectMetadataInput & { name?: string } {
  const text = bytes.toString('utf8').trim();
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as ObjectMetadataInput;
  } catch {
    // fall through
  }
  throw invalid(
    `The ${where} is not a JSON object of object metadata. Send e.g. {"name":"data/a.csv","contentType":"text/csv"}.`,
  );
}

function objectName(request: FastifyRequest, metadata: { name?: string }): string {
  const name = queryParam(request, 'name') ?? metadata.name;
  if (!name) {
    throw invalid(
      "The upload has no object name. Pass it as the 'name' query parameter (or the 'name' field of the metadata).",
    );
  }
  return name;
}

function putOptions(
  request: FastifyRequest,
  metadata: ObjectMetadataInput,
  contentType?: string,
): PutOptions {
  const options: PutOptions = { ...metadata, ...conditionsFrom(request) };
  const encoding = queryParam(request, 'contentEncoding');
  if (encoding) options.contentEncoding = encoding;
  if (!options.contentType && contentType) options.contentType = contentType;
  return options;
}

/** Registers the upload routes in their own scope (raw bodies, never parsed as JSON by Fastify). */
export async function uploadRoutes(scope: FastifyInstance, store: ObjectStore): Promise<void> {
  installBodyParsers(scope, { json: false });
  const sessions = new ResumableUploads(store);

  const resumeSession = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const result = await sessions.put(
      id,
      parseContentRange(request.headers['content-range']),
      bodyStream(request),
    );
    if (result.done) return reply.send(objectResource(result.object, baseUrlOf(request)));
    reply.code(308);
    if (result.received > 0) reply.header('range', `bytes=0-${result.received - 1}`);
    return reply.header('content-length', '0').send();
  };

  scope.post(`${UPLOAD_PREFIX}*`, async (request, reply) => {
    const bucket = uploadBucket(request);
    const uploadId = queryParam(request, 'upload_id');
    if (uploadId) return resumeSession(request, reply, uploadId);
    const uploadType = queryParam(request, 'uploadType');
    const base = baseUrlOf(request);
    if (uploadType === 'media') {
      const name = objectName(request, {});
      const options = putOptions(request, {}, request.headers['content-type'] ?? 'application/octet-stream');
      const info = await store.putObject(bucket, name, bodyStream(request) ?? Buffer.alloc(0), options);
      return reply.send(objectResource(info, base));
    }
    if (uploadType === 'multipart') {
      const boundary = boundaryOf(request.headers['content-type']);
      const body = await readBody(
        bodyStream(request),
        MULTIPART_LIMIT,
        'Use a resumable upload for objects this large.',
      );
      const [meta, media, ...extra] = parseMultipart(body, boundary);
      if (!meta || !media || extra.length > 0) {
        throw invalid(
          `A multipart upload needs exactly two parts (JSON metadata, then the media); got ${[meta, media, ...extra].filter(Boolean).length}.`,
        );
      }
      const metadata = parseMetadata(meta.body, 'first multipart part');
      const { name: _name, ...rest } = metadata;
      const info = await store.putObject(
        bucket,
        objectName(request, metadata),
        media.body,
        putOptions(request, rest, media.headers['content-type']),
      );
      return reply.send(objectResource(info, base));
    }
    if (uploadType === 'resumable') {
      const metadata = parseMetadata(
        await readBody(bodyStream(request), METADATA_LIMIT, 'Send only metadata here.'),
        'resumable upload body',
      );
      const { name: _name, ...rest } = metadata;
      const name = objectName(request, metadata);
      const type = request.headers['x-upload-content-type'];
      const length = request.headers['x-upload-content-length'];
      const total = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
      const id = await sessions.create(
        bucket,
        name,
        putOptions(request, rest, typeof type === 'string' ? type : undefined),
        total,
      );
      const location = `${base}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      return reply
        .code(200)
        .header('location', location)
        .header('x-guploader-uploadid', id)
        .header('content-length', '0')
        .send();
    }
    throw invalid(
      `Unsupported uploadType ${JSON.stringify(uploadType ?? '')}. Use 'media', 'multipart' or 'resumable'.`,
    );
  });

  scope.put(`${UPLOAD_PREFIX}*`, async (request, reply) => {
    uploadBucket(request);
    const uploadId = queryParam(request, 'upload_id');
    if (!uploadId) {
      throw invalid(
        'PUT on an upload URL needs the upload_id of a resumable session. Start one with POST ?uploadType=resumable and PUT to its Location.',
      );
    }
    return resumeSession(request, reply, uploadId);
  });

  scope.delete(`${UPLOAD_PREFIX}*`, async (request, reply) => {
    uploadBucket(request);
    const uploadId = queryParam(request, 'upload_id');
    if (!uploadId)
      throw invalid('DELETE on an upload URL needs the upload_id of the resumable session to cancel.');
    await sessions.cancel(uploadId);
    return reply.code(499).header('content-length', '0').send();
  });
}
