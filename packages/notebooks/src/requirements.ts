/**
 * What the headless runner needs, checked before anything runs: Debian's Jupyter pieces in the given
 * Python, Node >= 22 for the kernel, tslab, and built terra-vertex packages (the kernel loads `dist/`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkKernelNode, findTslab } from './kernel.ts';

/** One unmet requirement and how to meet it. */
export interface Problem {
  what: string;
  fix: string;
}

/** The Debian packages behind the Python modules the runner imports. */
export const DEBIAN_JUPYTER_PACKAGES = [
  'python3-nbclient',
  'python3-nbconvert',
  'python3-nbformat',
  'python3-jupyter-client',
  'python3-ipykernel',
] as const;

/** Packages the notebooks import; the kernel loads their built `dist/`. */
export const NOTEBOOK_PACKAGES = [
  '@terra-vertex/core',
  '@terra-vertex/emulator',
  '@terra-vertex/templates',
  '@terra-vertex/notebooks',
] as const;

/**
 * The built entry point (`main`) of a package as a plain `require` in a notebook finds it, or undefined.
 * Read from package.json rather than resolved, since test runners add export conditions to this process.
 */
export function builtEntry(name: string, from: string = process.cwd()): string | undefined {
  const dirs = createRequire(join(from, 'noop.js')).resolve.paths(name) ?? [];
  for (const dir of dirs) {
    const manifest = join(dir, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const { main } = JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string };
    const entry = join(dir, name, main ?? 'index.js');
    return existsSync(entry) ? entry : undefined;
  }
  return undefined;
}

/**
 * Every unmet requirement of running notebooks headless with `python` and `node`, for notebooks in the
 * folder `from` (empty when all is well).
 */
export function runnerProblems(python: string, node: string, from: string = process.cwd()): Problem[] {
  const problems: Problem[] = [];
  const py = spawnSync(python, ['-c', 'import nbclient, nbformat, jupyter_client, IPython'], {
    encoding: 'utf8',
  });
  if (py.error || py.status !== 0) {
    problems.push({
      what: `${python} cannot import nbclient, nbformat, jupyter_client and IPython (${(py.error?.message ?? py.stderr).trim().split('\n').at(-1)})`,
      fix: `apt-get install -y --no-install-recommends ${DEBIAN_JUPYTER_PACKAGES.join(' ')} (Debian's packages; run the notebooks with /usr/bin/python3)`,
    });
  }
  try {
    checkKernelNode(node);
  } catch (err) {
    problems.push({
      what: (err as Error).message,
      fix: 'Run through npm (npm scripts use the Node 22 of the `node` devDependency)',
    });
  }
  try {
    findTslab();
  } catch (err) {
    problems.push({
      what: (err as Error).message,
      fix: 'npm ci at the repository root (tslab is a devDependency of @terra-vertex/notebooks)',
    });
  }
  for (const name of NOTEBOOK_PACKAGES) {
    const entry = builtEntry(name, from);
    if (!entry) {
      problems.push({
        what: `${name} is not built (the tslab kernel loads its dist/)`,
        fix: 'npx nx run-many -t build',
      });
    }
  }
  return problems;
}
