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

/**
 * Runs `python/tvx_image_data.py <command> <json>` and returns the JSON it prints. A failure says which
 * Python ran and carries the end of its stderr.
 */
export async function runImageDataScript(command: 'shapes' | 'digits', args: object): Promise<unknown> {
  const python = dataPython();
  try {
    const { stdout } = await run(python, [`${PYTHON_DIR}tvx_image_data.py`, command, JSON.stringify(args)], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
  } catch (err) {
    const e = err as Error & { stderr?: string; code?: string | number };
    const tail = (e.stderr ?? '').trim().split('\n').slice(-5).join('\n');
    const hint =
      e.code === 'ENOENT'
        ? `${python} was not found: set TVX_PYTHON to a Python 3 with Pillow, NumPy and scikit-learn.`
        : 'It needs Pillow and NumPy (and scikit-learn for the digits): on Debian, apt install python3-pil python3-sklearn.';
    throw new Error(`tvx_image_data.py ${command} failed with ${python}: ${tail || e.message}\n${hint}`);
  }
}
