/**
 * Resumable upload sessions (`uploadType=resumable`). The initiating POST creates a session; its bytes
 * arrive in one PUT or in several `Content-Range` chunks (each answered `308` with a `Range` header
 * until the last), and the final request answers the object resource. Sessions are files under
 * `<metaRoot>/.uploads/`, so an upload can resume after an emulator restart.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalid, isFsError, StorageError } from './errors.ts';
import { writeFileAtomic } from './fs-util.ts';
import type { ObjectInfo } from './metadata.ts';
import type { ObjectStore, PutOptions } from './object-store.ts';

interface Session {
  bucket: string;
  name: string;
  options: PutOptions;
  /** Total size once a request declared it. */
  total?: number;
  /** Set once the upload finished. */
  object?: ObjectInfo;
}

/** A parsed `Content-Range` request header: a status query or a chunk of data. */
export type ContentRange =
  | { kind: 'query'; total?: number }
  | {
      kind: 'data';
      start: number /** Inclusive; undefined for `A-*` (the rest of the object). */;
      end?: number;
      total?: number;
    };

/** The outcome of a request on a session: finished with an object, or incomplete with this many bytes. */
export type ChunkResult = { done: true; object: ObjectInfo } | { done: false; received: number };

/**
 * Parses a `Content-Range` request header: `bytes START-END/TOTAL` where END and TOTAL may be `*`, or
 * `bytes *` + `/TOTAL` (a status query; TOTAL may be `*`). `undefined` when the header is absent.
 */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*bytes\s+(?:(\*)|(\d+)-(\d+|\*))\/(\d+|\*)\s*$/i.exec(header);
  if (!match) {
    throw invalid(
      `Invalid Content-Range ${JSON.stringify(header)}. Use 'bytes START-END/TOTAL' (END and TOTAL may be '*') or 'bytes */TOTAL' to ask for the upload status.`,
    );
  }
  const total = match[4] === '*' ? undefined : Number(match[4]);
  if (match[1]) return { kind: 'query', total };
  const start = Number(match[2]);
  const end = match[3] === '*' ? undefined : Number(match[3]);
  if (end !== undefined && end < start) {
    throw invalid(`Invalid Content-Range ${JSON.stringify(header)}: the end byte is before the start byte.`);
  }
  return { kind: 'data', start, end, total };
}

/** Upload sessions of one object store. */
export class ResumableUploads {
  readonly #store: ObjectStore;

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  #paths(id: string): { state: string; bytes: string } {
    if (!/^[0-9a-f]{32}$/.test(id)) {
      throw new StorageError(
        404,
        'notFound',
        `No upload session ${JSON.stringify(id)}. Start a new resumable upload.`,
      );
    }
    return {
      state: join(this.#store.uploadsDir, `${id}.json`),
      bytes: join(this.#store.uploadsDir, `${id}.bin`),
    };
  }

  async #load(id: string): Promise<Session> {
    try {
      return JSON.parse(await readFile(this.#paths(id).state, 'utf8')) as Session;
    } catch (err) {
      if (isFsError(err, 'ENOENT')) {
        throw new StorageError(
          404,
          'notFound',
          `No upload session ${id}: it finished long ago, was cancelled or never existed. Start a new resumable upload.`,
        );
      }
      throw err;
    }
  }

  async #save(id: string, session: Session): Promise<void> {
    await writeFileAtomic(
      this.#paths(id).state,
      JSON.stringify(session),
      join(this.#store.uploadsDir, '.tmp'),
    );
  }

  /** Starts a session after checking the bucket and name; returns its id. */
  async create(bucket: string, name: string, options: PutOptions, total?: number): Promise<string> {
    this.#store.localPath(bucket, name);
    await this.#store.getBucket(bucket);
    const id = randomUUID().replaceAll('-', '');
    await this.#save(id, { bucket, name, options, ...(total !== undefined ? { total } : {}) });
    return id;
  }

  /** Handles a PUT (or POST) on the session URL: stores the bytes and finishes when all arrived. */
  async put(id: string, range: ContentRange | undefined, body: Readable | undefined): Promise<ChunkResult> {
    const session = await this.#load(id);
    const { bytes } = this.#paths(id);
    if (session.object) {
      body?.resume();
      return { done: true, object: session.object };
    }
    let received = await stat(bytes).then(
      (s) => s.size,
      () => 0,
    );
    // Without Content-Range the body is the whole object.
    const chunk = range ?? { kind: 'data' as const, start: 0, end: undefined, total: undefined };
    if (chunk.total !== undefined) {
      if (session.total !== undefined && session.total !== chunk.total) {
        throw invalid(
          `Content-Range total ${chunk.total} differs from the size ${session.total} declared earlier in this upload.`,
        );
      }
      session.total = chunk.total;
    }
    let finishWhenBodyEnds = false;
    if (chunk.kind === 'data') {
      if (chunk.start > received) {
        body?.resume();
        throw invalid(
          `Content-Range starts at byte ${chunk.start} but the session holds only ${received} bytes. Resume from byte ${received} (ask with 'Content-Range: bytes */*').`,
        );
      }
      let skip = chunk.start === 0 && range === undefined ? 0 : received - chunk.start;
      const flags = range === undefined ? 'w' : 'a';
      await pipeline(
        body ?? Readable.from([]),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const piece of source) {
            if (skip >= piece.length) {
              skip -= piece.length;
              continue;
            }
            yield skip > 0 ? piece.subarray(skip) : piece;
            skip = 0;
          }
        },
        createWriteStream(bytes, { flags }),
      );
      received = (await stat(bytes)).size;
      finishWhenBodyEnds = chunk.end === undefined;
    }
    if (session.total !== undefined && received > session.total) {
      throw invalid(
        `The upload received ${received} bytes, more than the declared total of ${session.total}. Start a new upload.`,
      );
    }
    if (received === session.total || (finishWhenBodyEnds && session.total === undefined)) {
      const object = await this.#store.putObjectFile(session.bucket, session.name, bytes, session.options);
      await rm(bytes, { force: true });
      await this.#save(id, { ...session, object });
      return { done: true, object };
    }
    await this.#save(id, session);
    return { done: false, received };
  }

  /** Cancels a session and drops its bytes. */
  async cancel(id: string): Promise<void> {
    await this.#load(id);
    const { state, bytes } = this.#paths(id);
    await rm(bytes, { force: true });
    await rm(state, { force: true });
  }
}
