import {
  ApiError,
  ConfigurationError,
  JobFailedError,
  StatusCode,
  ValidationError,
} from '@terra-vertex/core';

/** Exit codes scripts can rely on. */
export const ExitCode = {
  OK: 0,
  /** The job ran and ended FAILED or CANCELLED. */
  JOB_FAILED: 1,
  /** Bad command-line input or configuration. */
  USAGE: 2,
  /** The server refused or failed the call (NOT_FOUND, INVALID_ARGUMENT …). */
  API: 3,
  /** The emulator or the service could not be reached. */
  UNAVAILABLE: 4,
  /** Anything unexpected. */
  INTERNAL: 70,
} as const;

/** Global flags every command understands. */
export interface GlobalOptions {
  json?: boolean;
  project?: string;
  location?: string;
}

/** Prints a result: JSON with `--json`, otherwise the human form. */
export function print(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Maps an error to a message on stderr and an exit code. */
export function failWith(err: unknown, json = false): never {
  const e = err as Error;
  let code: number = ExitCode.INTERNAL;
  if (err instanceof JobFailedError) code = ExitCode.JOB_FAILED;
  else if (err instanceof ValidationError || err instanceof ConfigurationError) code = ExitCode.USAGE;
  else if (typeof (err as { fix?: unknown })?.fix === 'string')
    code = ExitCode.USAGE; // other packages' option errors
  else if (err instanceof ApiError)
    code = err.code === StatusCode.UNAVAILABLE ? ExitCode.UNAVAILABLE : ExitCode.API;
  else if ((e as { code?: string }).code === 'commander.invalidArgument') code = ExitCode.USAGE;
  if (json)
    process.stderr.write(
      `${JSON.stringify({ error: { name: e.name, message: e.message, exitCode: code } })}\n`,
    );
  else process.stderr.write(`error: ${e?.message ?? String(err)}\n`);
  process.exit(code);
}

/** A simple fixed-width table for human output. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}
