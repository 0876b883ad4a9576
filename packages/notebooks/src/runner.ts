/**
 * The headless runner: executes notebooks in fresh tslab kernels through Debian's nbclient (one Python
 * process per notebook, python/execute_notebook.py), stops at the first failing cell, writes the executed
 * copies, and times each notebook. Jupyter state (kernelspec, connection files) stays in a private
 * folder; nothing is written to the user's home.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { findTslab, installKernel } from './kernel.ts';
import { bundledNotebooks, EXECUTE_SCRIPT, NOTEBOOKS_DIR } from './paths.ts';
import { runnerProblems } from './requirements.ts';

/** Options of {@link runNotebooks}. */
export interface RunNotebooksOptions {
  /** Folder for the executed copies (`<name>.ipynb`). */
  outDir: string;
  /** Private Jupyter folder: the kernelspec prefix and Jupyter's data, runtime and config folders. */
  jupyterDir: string;
  /** `.ipynb` paths (default: this package's notebooks). Kernels start in each notebook's folder. */
  notebooks?: string[];
  /** Python with Debian's nbclient (default `/usr/bin/python3`). */
  python?: string;
  /** Node >= 22 for the kernel (default: this process's Node). */
  node?: string;
  /** Seconds a cell may take (default 600). */
  timeoutSeconds?: number;
  /** Run the remaining notebooks after a failure (default false: stop at the first failing cell). */
  keepGoing?: boolean;
  /** Environment changes for the kernels; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** The outcome of one notebook. */
export interface NotebookRun {
  notebook: string;
  /** The executed copy. */
  executed: string;
  ok: boolean;
  /** Wall time, kernel start included. */
  seconds: number;
  cells: { index: number; seconds: number }[];
  /** The first failing cell (`index` -1: the kernel itself failed). */
  error?: { index: number; source: string; message: string };
  /** The last lines the kernel and nbclient wrote to stderr. */
  stderrTail: string;
}

/** Variables removed from the kernels' environment by default, so each notebook starts its own emulator. */
export const CLEARED_VARIABLES = [
  'GOOGLE_CLOUD_PROJECT',
  'CLOUD_ML_PROJECT_ID',
  'VERTEX_AI_EMULATOR_HOST',
  'STORAGE_EMULATOR_HOST',
  'NODE_OPTIONS',
];

/** Jupyter's environment, confined to `jupyterDir`. */
export function jupyterEnv(jupyterDir: string): Record<string, string> {
  const dir = resolve(jupyterDir);
  return {
    JUPYTER_PATH: join(dir, 'share', 'jupyter'),
    JUPYTER_DATA_DIR: join(dir, 'data'),
    JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
    JUPYTER_CONFIG_DIR: join(dir, 'config'),
    IPYTHONDIR: join(dir, 'ipython'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
}

/** Registers the kernel in `jupyterDir` unless a kernelspec with this Node and tslab is already there. */
export function ensureKernel(jupyterDir: string, python: string, node: string): string {
  const file = join(resolve(jupyterDir), 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
  const bin = join(findTslab(), 'bin', 'tslab');
  if (existsSync(file)) {
    const argv = (JSON.parse(readFileSync(file, 'utf8')) as { argv?: string[] }).argv ?? [];
    if (argv[0] === node && argv[1] === bin) return file;
  }
  installKernel({ prefix: jupyterDir, python, node, env: jupyterEnv(jupyterDir) });
  return file;
}

/** The failing cell and its error, for printing. */
export function formatFailure(run: NotebookRun): string {
  if (!run.error) return `${basename(run.notebook)}: ok`;
  const where = run.error.index < 0 ? 'the kernel' : `cell ${run.error.index}`;
  const source = run.error.source.replace(/^/gm, '    ');
  return [
    `${basename(run.notebook)} failed in ${where} after ${run.seconds.toFixed(1)} s:`,
    source,
    '  error:',
    run.error.message.replace(/^/gm, '    '),
    ...(run.stderrTail ? ['  kernel stderr (last lines):', run.stderrTail.replace(/^/gm, '    ')] : []),
  ].join('\n');
}

function executeOne(notebook: string, options: RunNotebooksOptions, python: string): Promise<NotebookRun> {
  const executed = join(resolve(options.outDir), basename(notebook));
  const env: Record<string, string | undefined> = { ...process.env, ...jupyterEnv(options.jupyterDir) };
  for (const name of CLEARED_VARIABLES) delete env[name];
  Object.assign(env, options.env);
  const args = [EXECUTE_SCRIPT, notebook, executed, '--timeout', String(options.timeoutSeconds ?? 600)];
  const started = performance.now();
  const run: NotebookRun = { notebook, executed, ok: false, seconds: 0, cells: [], stderrTail: '' };
  return new Promise((done, fail) => {
    const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line);
      if (stderr.length > 40) stderr.shift();
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // not ours: stray output of a library
      }
      if (event.event === 'cell') {
        run.cells.push({ index: Number(event.index), seconds: Number(event.seconds) });
        options.log?.(`  ${basename(notebook)} cell ${event.index} ${Number(event.seconds).toFixed(1)} s`);
      } else if (event.event === 'error') {
        run.error = {
          index: Number(event.index),
          source: String(event.source),
          message: String(event.message),
        };
      } else if (event.event === 'done') run.ok = event.ok === true;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      run.seconds = (performance.now() - started) / 1000;
      run.stderrTail = stderr.join('\n');
      if (code !== 0) run.ok = false;
      if (!run.ok && !run.error) {
        run.error = { index: -1, source: '', message: `execute_notebook.py exited with ${code}` };
      }
      done(run);
    });
  });
}

/**
 * Executes the notebooks one after the other, each in a fresh kernel.
 *
 * @throws Error listing every unmet requirement (with its fix) before running anything.
 */
export async function runNotebooks(options: RunNotebooksOptions): Promise<NotebookRun[]> {
  const python = options.python ?? '/usr/bin/python3';
  const node = options.node ?? process.execPath;
  const notebooks = (options.notebooks ?? bundledNotebooks()).map((n) => resolve(n));
  const problems = runnerProblems(python, node, dirname(notebooks[0] ?? NOTEBOOKS_DIR));
  if (problems.length > 0) {
    throw new Error(
      `Cannot run the notebooks headless:\n${problems.map((p) => `  - ${p.what}\n    fix: ${p.fix}`).join('\n')}`,
    );
  }
  mkdirSync(resolve(options.outDir), { recursive: true });
  const kernel = ensureKernel(options.jupyterDir, python, node);
  options.log?.(`kernelspec: ${kernel}`);
  const runs: NotebookRun[] = [];
  for (const notebook of notebooks) {
    options.log?.(`▶ ${basename(notebook)}`);
    const run = await executeOne(notebook, options, python);
    runs.push(run);
    options.log?.(
      `${run.ok ? '✓' : '✗'} ${basename(notebook)} ${run.seconds.toFixed(1)} s → ${run.executed}`,
    );
    if (!run.ok && !options.keepGoing) break;
  }
  return runs;
}
