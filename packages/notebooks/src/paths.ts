/** Where this package keeps its notebooks and its Python helper (from `src/` and from `dist/` alike). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The published `.ipynb` files (generated from packages/templates; do not edit them by hand). */
export const NOTEBOOKS_DIR = fileURLToPath(new URL('../notebooks/', import.meta.url));

/** `python/execute_notebook.py`, the nbclient driver of the headless runner. */
export const EXECUTE_SCRIPT = fileURLToPath(new URL('../python/execute_notebook.py', import.meta.url));

/** Absolute paths of the published notebooks, sorted by name. */
export function bundledNotebooks(dir: string = NOTEBOOKS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => join(dir, f));
}
