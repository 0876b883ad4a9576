/**
 * Typed errors. Every error says what was wrong and what to do about it; errors that come from a
 * server keep the server's message and status code.
 */

/** Base class of every error terra-vertex throws on purpose. */
export class TvxError extends Error {
  override name = 'TvxError';
}

/** Bad input, caught before anything was sent. `field` names the option at fault. */
export class ValidationError extends TvxError {
  override name = 'ValidationError';
  readonly field: string;
  readonly fix: string;

  constructor(field: string, problem: string, fix: string) {
    super(`${field}: ${problem}. ${fix}`);
    this.field = field;
    this.fix = fix;
  }
}

/** Something the configuration needs is missing (project, staging bucket …). */
export class ConfigurationError extends TvxError {
  override name = 'ConfigurationError';
}

/** gRPC status codes as numbers, so callers can branch without importing grpc. */
export const StatusCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const STATUS_NAMES = Object.fromEntries(Object.entries(StatusCode).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

const HINTS: Record<number, string> = {
  [StatusCode.NOT_FOUND]:
    'Check the resource name, project and location (list the resources to see what exists).',
  [StatusCode.PERMISSION_DENIED]:
    'The caller lacks an IAM role on this project. On Terra, grant the Vertex AI User role to your Terra group or pet service account in your own Google Cloud project.',
  [StatusCode.UNAUTHENTICATED]:
    'No usable credentials. Run `gcloud auth application-default login`, or use the local emulator (`tvx emulator start`).',
  [StatusCode.UNAVAILABLE]:
    'The service could not be reached. If you use the local emulator, start it with `tvx emulator start` and check VERTEX_AI_EMULATOR_HOST.',
};

/** An error answered by a server (Vertex AI, Cloud Storage or the emulator). */
export class ApiError extends TvxError {
  override name = 'ApiError';
  readonly code: number;
  readonly status: string;
  readonly serverMessage: string;

  constructor(code: number, serverMessage: string, context: string) {
    const status = STATUS_NAMES[code] ?? `CODE_${code}`;
    const hint = HINTS[code];
    super(`${context} failed with ${status}: ${serverMessage}${hint ? `\n${hint}` : ''}`);
    this.code = code;
    this.status = status;
    this.serverMessage = serverMessage;
  }
}

/** A job ended FAILED or CANCELLED. `resource` holds the job as the server last reported it. */
export class JobFailedError extends TvxError {
  override name = 'JobFailedError';
  readonly resourceName: string;
  readonly state: string;

  constructor(resourceName: string, state: string, message: string) {
    super(`Job ${resourceName} ended ${state}: ${message}`);
    this.resourceName = resourceName;
    this.state = state;
  }
}

/** Wraps an error from a Google client call into an {@link ApiError}, keeping the server's message. */
export function toApiError(err: unknown, context: string): Error {
  if (err instanceof TvxError) return err;
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  if (typeof e?.code === 'number') {
    const details = typeof e.details === 'string' && e.details ? e.details : String(e.message ?? err);
    return new ApiError(e.code, details, context);
  }
  return err instanceof Error ? err : new Error(String(err));
}
