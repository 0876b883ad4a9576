/**
 * Local-file load jobs: `POST /upload/bigquery/v2/projects/{projectId}/jobs` with `uploadType=multipart`
 * (a JSON Job resource part, then the file; what `table.load(localPath)` and `createWriteStream` send)
 * or `uploadType=resumable` (the Job resource, then the bytes PUT to the session URL in `Location`, in
 * one request or `Content-Range` chunks). The bytes go to a file under `{root}/uploads`, handed to
 * `deps.jobs.insert` as `uploadedFile`; the answer is the Job resource.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseContentRange } from '../../storage/resumable.ts';
import type { BigQueryDeps, JsonObject } from '../deps.ts';
import { BigQueryError, invalid } from '../errors.ts';
import { sendBigQueryError } from '../http.ts';
import { queryParam } from './http.ts';
import { validateProjectId } from './names.ts';

const PATH = '/upload/bigquery/v2/projects/:projectId/jobs';

interface Session {
  projectId: string;
  job: JsonObject;
  total?: number;
  result?: JsonObject;
}

function parseJob(text: string, where: string): JsonObject {
  try {
    const job = JSON.parse(text.trim() === '' ? '{}' : text) as unknown;
    if (typeof job === 'object' && job !== null && !Array.isArray(job)) return job as JsonObject;
  } catch {
    // fall through
  }
  throw invalid(
    `The ${where} is not a JSON Job resource. Send {"configuration": {"load": {…}}, "jobReference": {…}}.`,
  );
}

/** Finds the JSON part and the byte range of the file part in a multipart/related body stored in `raw`. */
async function splitMultipart(
  raw: string,
  boundary: string,
): Promise<{ job: JsonObject; start: number; end: number }> {
  const malformed = (what: string) =>
    invalid(
      `Malformed multipart/related upload: ${what}. Send the JSON Job resource part, then the file part, separated by --${boundary}.`,
    );
  const size = (await stat(raw)).size;
  const file = await open(raw, 'r');
  try {
    const headLength = Math.min(size, 16 * 2 ** 20);
    const head = Buffer.alloc(headLength);
    await file.read(head, 0, headLength, 0);
    const delim = Buffer.from(`--${boundary}`);
    const first = head.indexOf(delim);
    if (first < 0) throw malformed('the boundary does not occur');
    const jsonHeadersEnd = head.indexOf('\r\n\r\n', first);
    const second = head.indexOf(Buffer.from(`\r\n--${boundary}`), jsonHeadersEnd);
    if (jsonHeadersEnd < 0 || second < 0) throw malformed('the JSON part is not followed by a file part');
    const job = parseJob(head.subarray(jsonHeadersEnd + 4, second).toString('utf8'), 'first multipart part');
    const mediaHeadersEnd = head.indexOf('\r\n\r\n', second + 2);
    if (mediaHeadersEnd < 0) throw malformed('the file part has no blank line after its headers');
    const tailLength = Math.min(size, delim.length + 16);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    const closing = tail.lastIndexOf(Buffer.from(`\r\n--${boundary}--`));
    if (closing < 0) throw malformed('the closing boundary is missing');
    const start = mediaHeadersEnd + 4;
    return { job, start, end: Math.max(start, size - tailLength + closing) };
  } finally {
    await file.close();
  }
}

/** Registers the upload routes (at the root) in their own scope with raw bodies. */
export function uploadRoutes(scope: FastifyInstance, deps: BigQueryDeps): void {
  const dir = join(deps.root, 'uploads');
  const sessionPath = (id: string) => {
    if (!/^[0-9a-f]{32}$/.test(id))
      throw new BigQueryError(
        404,
        'notFound',
        `Not found: upload session ${id}. Start a new one with uploadType=resumable.`,
      );
    return { state: join(dir, `${id}.json`), bytes: join(dir, `${id}.bin`) };
  };

  const submit = async (projectId: string, job: JsonObject, file: string) => {
    try {
      const result = await deps.jobs.insert(projectId, job, { uploadedFile: file });
      if ((result.status as { state?: string } | undefined)?.state === 'DONE')
        await rm(file, { force: true });
      return result;
    } catch (err) {
      await rm(file, { force: true });
      throw err;
    }
  };
  const bodyOf = (request: FastifyRequest): Readable => (request.body as Readable | undefined) ?? request.raw;

  const resume = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const paths = sessionPath(id);
    const session = JSON.parse(
      await readFile(paths.state, 'utf8').catch(() => {
        throw new BigQueryError(
          404,
          'notFound',
          `Not found: upload session ${id}. Start a new one with uploadType=resumable.`,
        );
      }),
    ) as Session;
    if (session.result) return session.result;
    const range = parseContentRange(request.headers['content-range']);
    let received = (await stat(paths.bytes)).size;
    if (range?.kind !== 'query') {
      const start = range?.start ?? 0;
      if (start > received)
        throw invalid(
          `Content-Range starts at byte ${start}, but only ${received} bytes arrived. Resume from byte ${received}.`,
        );
      await truncate(paths.bytes, start);
      await pipeline(bodyOf(request), createWriteStream(paths.bytes, { flags: 'a' }));
      received = (await stat(paths.bytes)).size;
    }
    const total = range?.total ?? session.total ?? (range === undefined ? received : undefined);
    if (total !== undefined && received >= total) {
      const file = join(dir, `${randomUUID()}.data`);
      await rename(paths.bytes, file);
      session.result = await submit(session.projectId, session.job, file);
      await writeFile(paths.state, JSON.stringify(session));
      return session.result;
    }
    reply.code(308);
    if (received > 0) reply.header('range', `bytes=0-${received - 1}`);
    return reply.header('content-length', '0').send();
  };

  scope.register(async (api) => {
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    api.setErrorHandler((err: FastifyError | BigQueryError, request, reply) => {
      (request.body as Readable | undefined)?.resume?.();
      return sendBigQueryError(reply, err);
    });

    api.post(PATH, async (request, reply) => {
      const projectId = validateProjectId((request.params as { projectId: string }).projectId, 'the URL');
      await mkdir(dir, { recursive: true });
      const uploadId = queryParam(request, 'upload_id');
      if (uploadId) return resume(request, reply, uploadId);
      const uploadType = queryParam(request, 'uploadType');
      const body = bodyOf(request);
      if (uploadType === 'multipart') {
        const type = request.headers['content-type'] ?? '';
        const m = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(type);
        if (!/^\s*multipart\/related/i.test(type) || !m)
          throw invalid(
            `uploadType=multipart needs 'Content-Type: multipart/related; boundary=…', got ${JSON.stringify(type)}.`,
          );
        const raw = join(dir, `${randomUUID()}.raw`);
        try {
          await pipeline(body, createWriteStream(raw));
          const { job, start, end } = await splitMultipart(raw, (m[1] ?? m[2]) as string);
          const file = join(dir, `${randomUUID()}.data`);
          if (end > start)
            await pipeline(createReadStream(raw, { start, end: end - 1 }), createWriteStream(file));
          else await writeFile(file, '');
          return await submit(projectId, job, file);
        } finally {
          await rm(raw, { force: true });
        }
      }
      if (uploadType === 'resumable') {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk as Buffer);
        const job = parseJob(Buffer.concat(chunks).toString('utf8'), 'resumable upload body');
        const id = randomUUID().replaceAll('-', '');
        const paths = sessionPath(id);
        const length = request.headers['x-upload-content-length'];
        const session: Session = { projectId, job };
        if (typeof length === 'string' && /^\d+$/.test(length)) session.total = Number(length);
        await writeFile(paths.bytes, '');
        await writeFile(paths.state, JSON.stringify(session));
        const base = `${request.protocol}://${request.headers.host ?? 'localhost'}`;
        const location = `${base}/upload/bigquery/v2/projects/${encodeURIComponent(projectId)}/jobs?uploadType=resumable&upload_id=${id}`;
        return reply
          .code(200)
          .header('location', location)
          .header('x-guploader-uploadid', id)
          .header('content-length', '0')
          .send();
      }
      throw invalid(
        `Unsupported uploadType ${JSON.stringify(uploadType ?? '')}. Use 'multipart' or 'resumable'.`,
      );
    });

    api.put(PATH, async (request, reply) => {
      validateProjectId((request.params as { projectId: string }).projectId, 'the URL');
      const uploadId = queryParam(request, 'upload_id');
      if (!uploadId)
        throw invalid(
          'PUT on the upload URL needs the upload_id of a resumable session. Start one with POST ?uploadType=resumable.',
        );
      return resume(request, reply, uploadId);
    });
  });
}
