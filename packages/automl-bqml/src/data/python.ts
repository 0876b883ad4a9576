import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `packages/automl-bqml/python/` (from `src/data/` and from `dist/data/` alike). */
export const PYTHON_DIR = fileURLToPath(new URL('../../python/', import.meta.url));

/** The Python that writes the datasets: `TVX_PYTHON`, else Debian's `/usr/bin/python3`. */
export function dataPython(): string {
  return process.env.TVX_PYTHON || '/usr/bin/python3';
}

/** What {@link runDataPython} runs, for its error message. */
export interface DataPythonRun {
  /** What failed, e.g. `load_digits()`. */
  what: string;
  /** The packages it needs, as a hint, e.g. `scikit-learn: on Debian, apt install python3-sklearn`. */
  needs: string;
  /** Written to the script's stdin. */
  input?: string;
  maxBuffer?: number;
  /** Lines of stderr kept in the error (default 3). */
  tailLines?: number;
}

/**
 * Runs the data Python ({@link dataPython}) with `args` and returns its stdout. A failure says which Python ran,
 * carries the end of its stderr, and hints at what is missing (the interpreter, or `o.needs`).
 */
export async function runDataPython(args: string[], o: DataPythonRun): Promise<string> {
  const python = dataPython();
  try {
    const child = run(python, args, { maxBuffer: o.maxBuffer ?? 64 * 1024 * 1024 });
    if (o.input !== undefined) child.child.stdin?.end(o.input);
    return (await child).stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string; code?: string | number };
    const tail = (e.stderr ?? '')
      .trim()
      .split('\n')
      .slice(-(o.tailLines ?? 3))
      .join('\n');
    const hint =
      e.code === 'ENOENT'
        ? `${python} was not found: set TVX_PYTHON to a Python 3 with ${o.needs.split(':')[0]}.`
        : `It needs ${o.needs}.`;
    throw new Error(`${o.what} failed with ${python}: ${tail || e.message}\n${hint}`);
  }
}

/**
 * Runs `python/tvx_image_data.py <command> <json>` and returns the JSON it prints. A failure says which
 * Python ran and carries the end of its stderr.
 */
export async function runImageDataScript(command: 'shapes' | 'digits', args: object): Promise<unknown> {
  const stdout = await runDataPython([`${PYTHON_DIR}tvx_image_data.py`, command, JSON.stringify(args)], {
    what: `tvx_image_data.py ${command}`,
    needs:
      'Pillow, NumPy and scikit-learn (for the digits): on Debian, apt install python3-pil python3-sklearn',
    maxBuffer: 16 * 1024 * 1024,
    tailLines: 5,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
}
