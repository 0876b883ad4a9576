/**
 * Errors of the Cloud Storage emulator, shaped like the JSON API's:
 * `{"error":{"code":404,"message":"…","errors":[{"reason":"notFound","domain":"global","message":"…"}]}}`.
 */

/** An error with the HTTP status and `reason` the real Cloud Storage JSON API would answer. */
export class StorageError extends Error {
  override name = 'StorageError';
  readonly code: number;
  readonly reason: string;

  constructor(code: number, reason: string, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  /** The JSON error body the JSON API sends. */
  toJSON(): {
    error: { code: number; message: string; errors: { reason: string; domain: string; message: string }[] };
  } {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ reason: this.reason, domain: 'global', message: this.message }],
      },
    };
  }
}

/** 400 `invalid`: a bad name, parameter or body. The message says what is wrong and how to fix it. */
export function invalid(message: string): StorageError {
  return new StorageError(400, 'invalid', message);
}

/** 404 `notFound` for a bucket. */
export function bucketNotFound(bucket: string): StorageError {
  return new StorageError(404, 'notFound', `The specified bucket does not exist: ${bucket}`);
}

/** 404 `notFound` for an object. */
export function objectNotFound(bucket: string, name: string): StorageError {
  return new StorageError(404, 'notFound', `No such object: ${bucket}/${name}`);
}

/** 412 `conditionNotMet` for a failed `ifGenerationMatch`-style precondition. */
export function preconditionFailed(what: string): StorageError {
  return new StorageError(
    412,
    'conditionNotMet',
    `At least one of the pre-conditions you specified did not hold: ${what}`,
  );
}

/** Whether an unknown error is a Node file-system error with the given code (ENOENT, ENOTDIR …). */
export function isFsError(err: unknown, ...codes: string[]): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}
