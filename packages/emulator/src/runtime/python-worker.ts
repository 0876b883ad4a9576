/**
 * A warm Python process answering one JSON line per request line, in order (`python -m <module> --serve`):
 * the search engine (tvx_search) and the BigQuery ML engine (tvx_bqml) each run as one, so that their imports
 * (SciPy, scikit-learn, PyTorch) are paid once. Lines a request's `onLine` claims (progress) come before its
 * answer. When the process dies, the requests in flight fail with its last words.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** packages/emulator/python: goes on PYTHONPATH so that `python -m tvx_…` resolves. */
export const EMULATOR_PYTHON_DIR = fileURLToPath(new URL('../../python', import.meta.url));

/** `PYTHONPATH` with the emulator's Python packages first. */
export function emulatorPythonPath(): string {
  return process.env.PYTHONPATH ? `${EMULATOR_PYTHON_DIR}:${process.env.PYTHONPATH}` : EMULATOR_PYTHON_DIR;
}

/** A JSON answer line. */
export type JsonLine = Record<string, unknown>;

/** Options of {@link PythonWorker}. */
export interface PythonWorkerOptions {
  python: string;
  /** Run as `python -m <module> --serve`. */
  module: string;
  /** Extra environment (PYTHONPATH is set to the emulator's packages). */
  env?: Record<string, string>;
  /** The error to report when the process cannot start, exits or answers garbage. */
  error: (message: string) => Error;
}

interface Pending {
  resolve: (answer: JsonLine) => void;
  reject: (err: Error) => void;
  /** Returns true for a line that is not the answer yet (e.g. progress). */
  onLine?: (line: JsonLine) => boolean;
}

/** One warm process; see the module comment. */
export class PythonWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Pending[] = [];
  private readonly options: PythonWorkerOptions;
  private stderr = '';
  private failure: Error | undefined;

  constructor(options: PythonWorkerOptions) {
    this.options = options;
    this.child = spawn(options.python, ['-m', options.module, '--serve'], {
      env: { ...process.env, ...options.env, PYTHONPATH: emulatorPythonPath(), PYTHONUNBUFFERED: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.onLine(line));
    this.child.on('error', (err) => this.fail(options.error(`cannot run ${options.python}: ${err.message}`)));
    this.child.on('close', () => this.fail(options.error(`${options.module} exited: ${this.lastWords()}`)));
  }

  private lastWords(): string {
    return this.stderr.trim().split('\n').slice(-5).join('\n');
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }

  private onLine(text: string): void {
    const head = this.waiting[0];
    if (!head) return;
    let line: JsonLine;
    try {
      line = JSON.parse(text) as JsonLine;
    } catch {
      this.waiting.shift();
      head.reject(
        this.options.error(`${this.options.module} answered something else than JSON: ${text.slice(0, 200)}`),
      );
      return;
    }
    if (head.onLine?.(line)) return;
    this.waiting.shift();
    head.resolve(line);
  }

  /** Sends one request; resolves with the answer line (errors in it are the caller's to read). */
  ask(request: unknown, onLine?: (line: JsonLine) => boolean): Promise<JsonLine> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject, onLine });
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** False once the process has exited or could not start. */
  get alive(): boolean {
    return this.failure === undefined && this.child.exitCode === null;
  }

  /** Ends the process after it has answered what it was asked. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.failure) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    await closed;
  }
}

/** A {@link PythonWorker} started on first use and started again on the next request after it died. */
export class RestartingWorker {
  private worker: PythonWorker | undefined;
  private readonly create: () => PythonWorker;

  constructor(create: () => PythonWorker) {
    this.create = create;
  }

  async ask(request: unknown, onLine?: (line: JsonLine) => boolean): Promise<JsonLine> {
    this.worker ??= this.create();
    const worker = this.worker;
    try {
      return await worker.ask(request, onLine);
    } finally {
      if (!worker.alive && this.worker === worker) this.worker = undefined;
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
  }
}
