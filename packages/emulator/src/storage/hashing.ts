/**
 * The two checksums Cloud Storage keeps for every object: MD5 and CRC32C, both base64-encoded
 * (CRC32C as a big-endian unsigned 32-bit integer). The client checks them after uploads and downloads.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32c } from '@node-rs/crc32';

/** Size and checksums of some bytes. */
export interface Checksums {
  size: number;
  /** Base64 of the MD5 digest. */
  md5Hash: string;
  /** Base64 of the big-endian uint32 CRC32C. */
  crc32c: string;
}

/** Incremental MD5 + CRC32C over a sequence of chunks. */
export class Hasher {
  #md5: Hash = createHash('md5');
  #crc = 0;
  #size = 0;

  /** Adds a chunk. */
  update(chunk: Uint8Array): void {
    this.#md5.update(chunk);
    this.#crc = crc32c(chunk, this.#crc);
    this.#size += chunk.byteLength;
  }

  /** The checksums of everything added so far; call once. */
  digest(): Checksums {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(this.#crc >>> 0);
    return { size: this.#size, md5Hash: this.#md5.digest('base64'), crc32c: crc.toString('base64') };
  }
}

/** A pass-through stream that hashes what flows through it; read `checksums()` after it ends. */
export class HashingStream extends Transform {
  readonly #hasher = new Hasher();
  #result: Checksums | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hasher.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#result = this.#hasher.digest();
    callback();
  }

  /** Checksums of all bytes that passed; throws if the stream has not ended. */
  checksums(): Checksums {
    if (!this.#result) throw new Error('HashingStream.checksums() called before the stream ended');
    return this.#result;
  }
}

/** Checksums of bytes in memory. */
export function checksumsOf(data: Uint8Array): Checksums {
  const hasher = new Hasher();
  hasher.update(data);
  return hasher.digest();
}

/** Checksums of a file, read as a stream. */
export async function checksumsOfFile(path: string): Promise<Checksums> {
  const hasher = new Hasher();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hasher.update(chunk as Buffer);
  }
  return hasher.digest();
}
