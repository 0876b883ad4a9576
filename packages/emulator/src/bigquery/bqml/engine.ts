/**
 * The BigQuery ML engine process seen from TypeScript: one warm `python -m tvx_bqml --serve` (scikit-learn,
 * XGBoost and PyTorch imported once), asked one JSON line at a time. Training streams
 * `{"progress": IterationResult}` lines before its answer. The process is started on first use and restarted
 * after it dies (the request in flight fails with the engine's last words).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BigQueryError, invalidQuery } from '../errors.ts';
import type { IterationResult } from '../types.ts';

/** Folder that goes on PYTHONPATH so that `python -m tvx_bqml` resolves. */
export const BQML_PYTHON_DIR = fileURLToPath(new URL('../../../python', import.meta.url));

/** A request to `tvx_bqml` (`cmd` plus its fields). */
export type EngineRequest = { cmd: string } & Record<string, unknown>;
/** An answer from `tvx_bqml`. */
export type EngineAnswer = Record<string, unknown>;

interface Pending {
  resolve: (a: EngineAnswer) => void;
  reject: (e: Error) => void;
  onProgress?: (it: IterationResult) => void;
}

class Worker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Pending[] = [];
  private stderr = '';
  failure: Error | undefined;

  constructor(python: string) {
    const path = process.env.PYTHONPATH ? `${BQML_PYTHON_DIR}:${process.env.PYTHONPATH}` : BQML_PYTHON_DIR;
    this.child = spawn(python, ['-m', 'tvx_bqml', '--serve'], {
      env: { ...process.env, PYTHONPATH: path, PYTHONUNBUFFERED: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.onLine(line));
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    this.child.on('error', (err) =>
      fail(new BigQueryError(500, 'internalError', `cannot run ${python}: ${err.message}`)),
    );
    this.child.on('close', () =>
      fail(
        new BigQueryError(
          500,
          'internalError',
          `The BigQuery ML engine (tvx_bqml) exited: ${this.stderr.trim().split('\n').slice(-5).join('\n')}`,
        ),
      ),
    );
  }

  private onLine(line: string): void {
    const head = this.waiting[0];
    if (!head) return;
    let msg: EngineAnswer;
    try {
      msg = JSON.parse(line) as EngineAnswer;
    } catch {
      this.waiting.shift();
      head.reject(
        new BigQueryError(
          500,
          'internalError',
          `tvx_bqml answered something else than JSON: ${line.slice(0, 200)}`,
        ),
      );
      return;
    }
    if ('progress' in msg) {
      head.onProgress?.(msg.progress as IterationResult);
      return;
    }
    this.waiting.shift();
    if (typeof msg.error === 'string') {
      const internal = msg.error.startsWith('internal error');
      head.reject(
        internal
          ? new BigQueryError(500, 'internalError', `${msg.error}\n${String(msg.trace ?? '')}`.trim())
          : invalidQuery(msg.error),
      );
    } else head.resolve(msg);
  }

  ask(req: EngineRequest, onProgress?: (it: IterationResult) => void): Promise<EngineAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject, onProgress });
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  get alive(): boolean {
    return this.failure === undefined && this.child.exitCode === null;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.failure) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    await closed;
  }
}

/** The emulator's one BigQuery ML engine process. */
export class BqmlEngine {
  private worker: Worker | undefined;
  private readonly python: string;

  constructor(python: string) {
    this.python = python;
  }

  /**
   * Sends a request and waits for its answer; `onProgress` sees each training iteration as it completes.
   * @throws {BigQueryError} `invalidQuery` with the engine's message for bad options or data; `internalError` otherwise.
   */
  async ask(req: EngineRequest, onProgress?: (it: IterationResult) => void): Promise<EngineAnswer> {
    this.worker ??= new Worker(this.python);
    const worker = this.worker;
    try {
      return await worker.ask(req, onProgress);
    } finally {
      if (!worker.alive && this.worker === worker) this.worker = undefined;
    }
  }

  /** Ends the process after the requests in flight. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
  }
}
