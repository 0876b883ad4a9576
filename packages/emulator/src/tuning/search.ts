/**
 * The emulator's hyperparameter search engine, seen from TypeScript: grid, random and the Gaussian-process
 * bandit (Vertex's default, `ALGORITHM_UNSPECIFIED`) live in the Python package `tvx_search`
 * (packages/emulator/python), which does the numerical work with scikit-learn and SciPy. Each call of
 * {@link suggest} runs `python -m tvx_search` once; a {@link SearchWorker} keeps one process warm for loops.
 */
import { spawn } from 'node:child_process';
import { EMULATOR_PYTHON_DIR, emulatorPythonPath, PythonWorker } from '../runtime/python-worker.ts';

/** Folder that goes on PYTHONPATH so that `python -m tvx_search` resolves. */
export const SEARCH_PYTHON_DIR = EMULATOR_PYTHON_DIR;

/** `StudySpec.Algorithm` as proto3 JSON enum names. */
export type SearchAlgorithm = 'ALGORITHM_UNSPECIFIED' | 'GRID_SEARCH' | 'RANDOM_SEARCH';
/** `StudySpec.ParameterSpec.ScaleType`. */
export type ScaleType =
  | 'SCALE_TYPE_UNSPECIFIED'
  | 'UNIT_LINEAR_SCALE'
  | 'UNIT_LOG_SCALE'
  | 'UNIT_REVERSE_LOG_SCALE';
/** A parameter value as a trial carries it: number for INTEGER/DOUBLE/DISCRETE, string for CATEGORICAL. */
export type ParameterValue = number | string;
/** A trial's parameters by `parameterId`. */
export type ParameterValues = Record<string, ParameterValue>;

/** `StudySpec.ParameterSpec` in canonical proto3 JSON (int64 fields as strings; numbers accepted too). */
export interface ParameterSpec {
  parameterId: string;
  doubleValueSpec?: { minValue: number; maxValue: number };
  integerValueSpec?: { minValue: string | number; maxValue: string | number };
  categoricalValueSpec?: { values: string[] };
  discreteValueSpec?: { values: number[] };
  scaleType?: ScaleType;
  conditionalParameterSpecs?: ConditionalParameterSpec[];
}

/** `ParameterSpec.ConditionalParameterSpec`: a child active when its parent takes one of the listed values. */
export interface ConditionalParameterSpec {
  parameterSpec: ParameterSpec;
  parentDiscreteValues?: { values: number[] };
  parentIntValues?: { values: (string | number)[] };
  parentCategoricalValues?: { values: string[] };
}

/** What `tvx_search` is asked: the space, the history and how many new points to suggest. */
export interface SuggestRequest {
  /** Unset = the Gaussian-process bandit. */
  algorithm?: SearchAlgorithm;
  parameters: ParameterSpec[];
  /** The objective; `goal` unset means MAXIMIZE, as in Vertex. */
  metric?: { metricId?: string; goal?: 'MAXIMIZE' | 'MINIMIZE' | 'GOAL_TYPE_UNSPECIFIED' };
  /** Trials with a final measurement of the metric. */
  completed?: { parameters: ParameterValues; value: number }[];
  /** Trials suggested but not finished; new suggestions avoid them (kriging believer for the GP). */
  pending?: { parameters: ParameterValues }[];
  /** Number of suggestions (the batch for parallel trials); default 1. */
  count?: number;
  /** Seed for every random choice; the same request gives the same answer. Default 0. */
  seed?: number;
  /** GP bandit acquisition: expected improvement (default) or UCB with coefficient 1.8 (Vizier's). */
  acquisition?: 'EI' | 'UCB';
}

/** What `tvx_search` answers. */
export interface SuggestResponse {
  suggestions: ParameterValues[];
  /** Grid search only: true when these suggestions use up the grid (then the study is done). */
  exhausted: boolean;
}

/** Options of {@link suggest}. */
export interface SuggestOptions {
  /** Python interpreter with numpy, SciPy and scikit-learn; default `TVX_PYTHON` or `/usr/bin/python3`. */
  python?: string;
  /** Answer through this warm process instead of starting a new one. */
  worker?: SearchWorker;
}

/** A search request the engine rejected, or an engine failure; `message` is the engine's. */
export class SearchError extends Error {
  override name = 'SearchError';
}

/** One BLAS thread: the matrices are small, and parallel trials run beside the engine. */
const SINGLE_THREADED_BLAS = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function pythonEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...SINGLE_THREADED_BLAS, PYTHONPATH: emulatorPythonPath() };
}

const defaultPython = () => process.env.TVX_PYTHON ?? '/usr/bin/python3';

function fromAnswer(out: Record<string, unknown>): SuggestResponse {
  if (typeof out.error === 'string') throw new SearchError(out.error);
  return { suggestions: out.suggestions as ParameterValues[], exhausted: out.exhausted as boolean };
}

function parseResponse(text: string, stderr: string): SuggestResponse {
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new SearchError(
      `tvx_search gave no answer: ${(stderr || text).trim().split('\n').slice(-5).join('\n')}`,
    );
  }
  return fromAnswer(out);
}

/**
 * Suggests parameter values for the next trial(s) of a study.
 * @throws {SearchError} with the engine's message, e.g. `parameters[1].doubleValueSpec: minValue 2 > maxValue 1 …`.
 */
export async function suggest(
  request: SuggestRequest,
  options: SuggestOptions = {},
): Promise<SuggestResponse> {
  if (options.worker) return options.worker.suggest(request);
  const python = options.python ?? defaultPython();
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'tvx_search'], { env: pythonEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (err) => reject(new SearchError(`cannot run ${python}: ${err.message}`)));
    child.on('close', () => {
      try {
        resolve(parseResponse(stdout, stderr));
      } catch (err) {
        reject(err);
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/**
 * One warm `python -m tvx_search --serve` process answering requests in order (saves the ~1 s of
 * importing SciPy and scikit-learn per suggestion). Call {@link SearchWorker.close} when done.
 */
export class SearchWorker {
  private readonly worker: PythonWorker;

  constructor(python: string = defaultPython()) {
    this.worker = new PythonWorker({
      python,
      module: 'tvx_search',
      env: SINGLE_THREADED_BLAS,
      error: (message) => new SearchError(`tvx_search gave no answer: ${message}`),
    });
  }

  /** Same as {@link suggest}, answered by this process. */
  async suggest(request: SuggestRequest): Promise<SuggestResponse> {
    return fromAnswer(await this.worker.ask(request));
  }

  /** False once the process has exited or could not start. */
  get alive(): boolean {
    return this.worker.alive;
  }

  /** Ends the process (after it has answered what it was asked). */
  close(): Promise<void> {
    return this.worker.close();
  }
}
