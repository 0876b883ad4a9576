/**
 * Executes every published notebook headless (tslab kernel, Debian's nbclient) and reports wall times.
 * Each notebook starts its own in-process emulator; nothing touches the cloud or the user's home.
 *
 *   npm run notebooks -w @terra-vertex/notebooks [-- [--keep-going] [--timeout S] [file.ipynb …]]
 *
 * Needs: apt-get install -y --no-install-recommends python3-nbclient python3-nbconvert python3-jupyter-client
 * python3-ipykernel, and built packages (npx nx run-many -t build). Executed copies go to
 * packages/notebooks/test-results/executed/ (git-ignored); the kernelspec to node_modules/.cache/terra-vertex/jupyter.
 */

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatFailure, runNotebooks } from '@terra-vertex/notebooks';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Where the runner keeps its kernelspec and executed copies (both ignored by git). */
const JUPYTER_DIR = `${root}node_modules/.cache/terra-vertex/jupyter`;
const EXECUTED_DIR = `${root}packages/notebooks/test-results/executed`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'keep-going': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});

try {
  const runs = await runNotebooks({
    outDir: EXECUTED_DIR,
    jupyterDir: JUPYTER_DIR,
    python: values.python,
    timeoutSeconds: Number(values.timeout),
    keepGoing: values['keep-going'],
    ...(positionals.length ? { notebooks: positionals } : {}),
    log: (line) => console.log(line),
  });
  console.log('\nnotebook                          wall time');
  for (const r of runs)
    console.log(`${r.ok ? '✓' : '✗'} ${r.notebook.split('/').pop()!.padEnd(32)} ${r.seconds.toFixed(1)} s`);
  const failed = runs.filter((r) => !r.ok);
  for (const r of failed) console.error(`\n${formatFailure(r)}`);
  process.exit(failed.length ? 1 : 0);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
