/**
 * Registers the tslab kernel with Jupyter so it runs on Node 22: tslab's own installer (`tslab install
 * --python=… --prefix=…|--user`) writes the kernelspecs, then their argv is pinned to absolute paths of a
 * Node >= 22 and of tslab, so neither the Jupyter server's PATH nor its default `node` matter.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Options of {@link installKernel}. */
export interface InstallKernelOptions {
  /** Install into `<prefix>/share/jupyter/kernels/` (and point `JUPYTER_PATH` at `<prefix>/share/jupyter`). */
  prefix?: string;
  /** Install into the user's Jupyter folder (`~/.local/share/jupyter/kernels`); the default without `prefix`. */
  user?: boolean;
  /** The Jupyter server's Python (needs jupyter_client and IPython); default: the first of TVX_JUPYTER_PYTHON, /usr/bin/python3, /opt/conda/bin/python3 that has them. */
  python?: string;
  /** Node >= 22 that runs the kernel (default: this process's Node). */
  node?: string;
  /** tslab's package folder (default: resolved from this package, then from the current folder). */
  tslabDir?: string;
  /** Extra environment for the installer (e.g. JUPYTER_DATA_DIR). */
  env?: Record<string, string>;
}

/** What {@link installKernel} registered. */
export interface InstalledKernel {
  /** Folder of the `tslab` kernelspec (with `kernel.json`). */
  kernelDir: string;
  argv: string[];
  python: string;
  node: string;
  tslabDir: string;
}

const JUPYTER_IMPORTS = 'import jupyter_client, IPython';
const APT_HINT =
  'On Debian: apt-get install -y --no-install-recommends python3-jupyter-client python3-ipykernel; on Terra: pass the Jupyter server Python (/opt/conda/bin/python3)';

function hasJupyter(python: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync(python, ['-c', JUPYTER_IMPORTS], { env, stdio: 'ignore' }).status === 0;
}

/** The Python to install with (see {@link InstallKernelOptions.python}). */
export function findJupyterPython(python?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (python) {
    if (!hasJupyter(python, env)) {
      throw new Error(`python: ${python} cannot import jupyter_client and IPython. ${APT_HINT}`);
    }
    return python;
  }
  const candidates = [env.TVX_JUPYTER_PYTHON, '/usr/bin/python3', '/opt/conda/bin/python3'].filter(
    (p): p is string => Boolean(p),
  );
  const found = candidates.find((p) => (p.includes('/') ? existsSync(p) : true) && hasJupyter(p, env));
  if (!found) {
    throw new Error(
      `python: none of ${candidates.join(', ')} can import jupyter_client and IPython. ${APT_HINT}`,
    );
  }
  return found;
}

/** tslab's package folder. */
export function findTslab(tslabDir?: string): string {
  if (tslabDir) {
    if (!existsSync(join(tslabDir, 'bin', 'tslab'))) {
      throw new Error(
        `tslabDir: ${tslabDir} has no bin/tslab. Pass the folder of the tslab package (node_modules/tslab)`,
      );
    }
    return resolve(tslabDir);
  }
  for (const from of [import.meta.url, join(process.cwd(), 'noop.js')]) {
    try {
      return dirname(createRequire(from).resolve('tslab/package.json'));
    } catch {
      // Not resolvable from here: try the next place.
    }
  }
  throw new Error('tslab is not installed: run `npm install tslab@1.0.22` next to @terra-vertex/notebooks');
}

/** Checks that `node` is at least Node 22 (the Google clients and our packages need it). */
export function checkKernelNode(node: string): string {
  const result = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const major = Number(result.stdout?.split('.')[0]);
  if (result.status !== 0 || !(major >= 22)) {
    const seen = result.status === 0 ? `Node ${result.stdout.trim()}` : 'not runnable';
    throw new Error(
      `node: ${node} is ${seen}, but the tslab kernel needs Node >= 22. Pass node: the path of a Node 22 binary (e.g. node_modules/.bin/node from the 'node' npm package)`,
    );
  }
  return node;
}

/**
 * Registers the `tslab` (TypeScript) and `jslab` (JavaScript) kernels, running on `node`. Idempotent.
 *
 * @throws Error naming the option at fault (python, node, tslabDir) and the fix.
 */
export function installKernel(options: InstallKernelOptions = {}): InstalledKernel {
  const env = { ...process.env, ...options.env };
  const python = findJupyterPython(options.python, env);
  const node = checkKernelNode(options.node ?? process.execPath);
  const tslabDir = findTslab(options.tslabDir);
  const bin = join(tslabDir, 'bin', 'tslab');
  const where = options.prefix
    ? [`--prefix=${resolve(options.prefix)}`]
    : options.user === false
      ? []
      : ['--user'];
  const run = spawnSync(node, [bin, 'install', `--python=${python}`, `--binary=${bin}`, ...where], {
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    throw new Error(`tslab install failed (exit ${run.status}): ${(run.stderr || run.stdout).trim()}`);
  }
  const find = spawnSync(
    python,
    [
      '-c',
      'from jupyter_client.kernelspec import KernelSpecManager as K; print(K().find_kernel_specs()["tslab"])',
    ],
    {
      env: options.prefix ? { ...env, JUPYTER_PATH: join(resolve(options.prefix), 'share', 'jupyter') } : env,
      encoding: 'utf8',
    },
  );
  const kernelDir = find.stdout.trim();
  if (find.status !== 0 || !existsSync(join(kernelDir, 'kernel.json'))) {
    throw new Error(
      `tslab install reported success but Jupyter cannot find the tslab kernelspec: ${find.stderr.trim()}`,
    );
  }
  const argv = [node, bin, 'kernel', '--config-path', '{connection_file}'];
  for (const [dir, extra] of [
    [kernelDir, []],
    [join(dirname(kernelDir), 'jslab'), ['--js']],
  ] as const) {
    const file = join(dir, 'kernel.json');
    if (!existsSync(file)) continue;
    const spec = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify({ ...spec, argv: [...argv, ...extra] }, null, 1)}\n`);
  }
  return { kernelDir, argv, python, node, tslabDir };
}
