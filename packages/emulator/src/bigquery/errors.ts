/** BigQuery's error shape: `{error: {code, message, status, errors: [{reason, message, domain}]}}`. */

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
};

/** An error the local BigQuery reports to the client; `reason` is BigQuery's (`notFound`, `duplicate`, `invalidQuery`, …). */
export class BigQueryError extends Error {
  override name = 'BigQueryError';
  readonly code: number;
  readonly reason: string;
  /** Where in the query (for `invalidQuery`), as BigQuery's `location`. */
  readonly location?: string;

  constructor(code: number, reason: string, message: string, location?: string) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.location = location;
  }

  /** The `ErrorProto` of a job's `status.errorResult` / `status.errors[]`. */
  toErrorProto(): { reason: string; message: string; location?: string } {
    return {
      reason: this.reason,
      message: this.message,
      ...(this.location ? { location: this.location } : {}),
    };
  }

  /** The HTTP error body. */
  toJSON(): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        status: STATUS[this.code] ?? 'UNKNOWN',
        errors: [{ ...this.toErrorProto(), domain: 'global' }],
      },
    };
  }
}

/** 404 in BigQuery's words: `Not found: Table p:d.t`. */
export function notFound(what: string, id: string): BigQueryError {
  return new BigQueryError(404, 'notFound', `Not found: ${what} ${id}`);
}

/** 409 in BigQuery's words: `Already Exists: Table p:d.t`. */
export function duplicate(what: string, id: string): BigQueryError {
  return new BigQueryError(409, 'duplicate', `Already Exists: ${what} ${id}`);
}

/** 400 `invalid` naming the field and the fix. */
export function invalid(message: string): BigQueryError {
  return new BigQueryError(400, 'invalid', message);
}

/** 400 `invalidQuery`: the SQL is wrong or not supported by the local BigQuery. */
export function invalidQuery(message: string): BigQueryError {
  return new BigQueryError(400, 'invalidQuery', message);
}

/**
 * Whether a message is one of DuckDB's exceptions about a statement (`Binder Error: …`, `Conversion Error: …`,
 * `Constraint Error: …` …); DuckDB's INTERNAL errors are not the query's fault.
 */
export function isDuckDbError(message: string): boolean {
  const kind = /^([A-Za-z ]+) Error: /.exec(message)?.[1];
  return kind !== undefined && kind !== 'INTERNAL';
}

/**
 * Wraps anything thrown into a BigQueryError. DuckDB's errors keep their text, said to come from the local
 * BigQuery's engine; a missing table becomes `notFound` and a missing function says BigQuery may have it.
 */
export function asBigQueryError(err: unknown): BigQueryError {
  if (err instanceof BigQueryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const table = /^Catalog Error: Table with name (\S+) does not exist!/.exec(message);
  if (table)
    return new BigQueryError(
      404,
      'notFound',
      `Not found: Table ${table[1]} (no such table in the local BigQuery)`,
    );
  const fn = /^Catalog Error: (?:Scalar|Aggregate|Table) Function with name (\S+) does not exist!/.exec(
    message,
  );
  if (fn)
    return invalidQuery(
      `Function not found: ${fn[1]?.toUpperCase()}. The local BigQuery runs SQL on DuckDB, which has no such function; BigQuery may have it, but it is not supported locally.`,
    );
  if (isDuckDbError(message))
    return invalidQuery(`The local BigQuery's engine (DuckDB) refused the query: ${message}`);
  return new BigQueryError(400, 'invalidQuery', message);
}
