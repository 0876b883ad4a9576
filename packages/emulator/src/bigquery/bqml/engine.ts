/**
 * The BigQuery ML engine process seen from TypeScript: one warm `python -m tvx_bqml --serve` (scikit-learn,
 * XGBoost and PyTorch imported once), asked one JSON line at a time. Training streams
 * `{"progress": IterationResult}` lines before its answer. The process is started on first use and restarted
 * after it dies (the request in flight fails with the engine's last words).
 */
import { EMULATOR_PYTHON_DIR, PythonWorker, RestartingWorker } from '../../runtime/python-worker.ts';
import { BigQueryError, invalidQuery } from '../errors.ts';
import type { IterationResult } from '../types.ts';

/** Folder that goes on PYTHONPATH so that `python -m tvx_bqml` resolves. */
export const BQML_PYTHON_DIR = EMULATOR_PYTHON_DIR;

/** A request to `tvx_bqml` (`cmd` plus its fields). */
export type EngineRequest = { cmd: string } & Record<string, unknown>;
/** An answer from `tvx_bqml`. */
export type EngineAnswer = Record<string, unknown>;

const internal = (message: string) => new BigQueryError(500, 'internalError', message);

/** The emulator's one BigQuery ML engine process. */
export class BqmlEngine {
  private readonly worker: RestartingWorker;

  constructor(python: string) {
    this.worker = new RestartingWorker(
      () =>
        new PythonWorker({
          python,
          module: 'tvx_bqml',
          error: (message) => internal(`The BigQuery ML engine failed: ${message}`),
        }),
    );
  }

  /**
   * Sends a request and waits for its answer; `onProgress` sees each training iteration as it completes.
   * @throws {BigQueryError} `invalidQuery` with the engine's message for bad options or data; `internalError` otherwise.
   */
  async ask(req: EngineRequest, onProgress?: (it: IterationResult) => void): Promise<EngineAnswer> {
    const answer = await this.worker.ask(req, (line) => {
      if (!('progress' in line)) return false;
      onProgress?.(line.progress as IterationResult);
      return true;
    });
    if (typeof answer.error !== 'string') return answer;
    if (answer.error.startsWith('internal error'))
      throw internal(`${answer.error}\n${String(answer.trace ?? '')}`.trim());
    throw invalidQuery(answer.error);
  }

  /** Ends the process after the requests in flight. */
  close(): Promise<void> {
    return this.worker.close();
  }
}
