/**
 * HTTP plumbing shared by the JSON API and upload routes: body parsing inside an encapsulated scope,
 * raw-path parsing (object names are percent-encoded and may be longer than the router's parameter
 * limit), query helpers and JSON API-shaped error replies.
 */
import { pipeline, type Readable, Transform } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ObjectConditions } from './conditions.ts';
import { invalid, StorageError } from './errors.ts';

const RAW_BODY = Symbol('tvx.storage.rawBody');

/**
 * Replaces the scope's body parsers: every body reaches the handler as an unread stream, except that
 * with `json: true` `application/json` bodies are parsed (an empty body gives `{}`).
 */
export function installBodyParsers(scope: FastifyInstance, { json }: { json: boolean }): void {
  scope.removeAllContentTypeParsers();
  if (json) {
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 16 * 2 ** 20 },
      (_req, text, done) => {
        try {
          done(null, (text as string).trim() === '' ? {} : JSON.parse(text as string));
        } catch (err) {
          done(
            invalid(`The request body is not valid JSON (${(err as Error).message}). Send a JSON object.`),
            undefined,
          );
        }
      },
    );
  }
  scope.addContentTypeParser('*', (request, payload, done) => {
    // The handler reads the bytes as a stream; `request.body` only counts them, so that request logs
    // of the host application record `{ bytes }` rather than a stream object.
    const summary = { bytes: 0 };
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        summary.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    (request as unknown as Record<symbol, Readable>)[RAW_BODY] = pipeline(payload, counter, () => {});
    done(null, summary);
  });
  scope.setErrorHandler((err: FastifyError | StorageError, request, reply) => {
    // Let the client finish sending an upload we refused, so it reads our answer instead of a reset.
    (bodyStream(request) ?? request.raw).resume();
    sendError(reply, err);
  });
}

/** Sends an error as the JSON API does: `{"error":{"code","message","errors":[{reason,message}]}}`. */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  let error: StorageError;
  if (err instanceof StorageError) {
    error = err;
  } else {
    const status = (err as { statusCode?: unknown }).statusCode;
    const code = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
    const reason = code === 413 ? 'uploadTooLarge' : code < 500 ? 'invalid' : 'backendError';
    error = new StorageError(code, reason, err instanceof Error ? err.message : String(err));
    if (code >= 500) reply.log.error({ err }, 'Cloud Storage emulator error');
  }
  return reply.code(error.code).type('application/json; charset=UTF-8').send(JSON.stringify(error.toJSON()));
}

/** A query parameter as one string (the first if repeated). */
export function queryParam(request: FastifyRequest, key: string): string | undefined {
  const value = (request.query as Record<string, string | string[] | undefined>)[key];
  return Array.isArray(value) ? value[0] : value;
}

/** `ifGenerationMatch` & co from the query string. */
export function conditionsFrom(request: FastifyRequest): ObjectConditions {
  const conditions: ObjectConditions = {};
  for (const key of [
    'ifGenerationMatch',
    'ifGenerationNotMatch',
    'ifMetagenerationMatch',
    'ifMetagenerationNotMatch',
  ] as const) {
    const value = queryParam(request, key);
    if (value !== undefined) conditions[key] = value;
  }
  return conditions;
}

/**
 * The percent-decoded path segments after `prefix` in the request's raw URL. Splitting the raw URL
 * keeps `%2F` inside an object name apart from the `/` between segments.
 */
export function pathSegments(request: FastifyRequest, prefix: string): string[] {
  const raw = (request.raw.url ?? '').split('?', 1)[0] ?? '';
  if (!raw.startsWith(prefix)) {
    throw new StorageError(404, 'notFound', `Unexpected path ${raw}; expected it to start with ${prefix}.`);
  }
  return raw
    .slice(prefix.length)
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw invalid(
          `The path segment ${JSON.stringify(segment)} is not valid percent-encoding. Encode names with encodeURIComponent.`,
        );
      }
    });
}

/** Reads a request body stream into memory, refusing more than `limit` bytes with a 413. */
export async function readBody(body: Readable | undefined, limit: number, hint: string): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new StorageError(413, 'uploadTooLarge', `The request body exceeds ${limit} bytes. ${hint}`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request body as a stream; `undefined` when the request has none. */
export function bodyStream(request: FastifyRequest): Readable | undefined {
  return (request as unknown as Record<symbol, Readable | undefined>)[RAW_BODY];
}
