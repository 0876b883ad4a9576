/**
 * The demo's last part: terra-vertex as another repository gets it. What a release would publish
 * (`npm run release:dry`), the API reference built from TSDoc (`npm run docs`), then the packed tarballs installed
 * into a fresh project that runs a custom job on the emulator and into a fresh Nx workspace that generates a trainer
 * and a notebook and builds them (`npm run check:consumer`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../release/packages.ts';

function runScript(label: string, script: string, args: string[] = []): void {
  const result = spawnSync(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`${label} failed (exit ${result.status}): run it alone to see why`);
}

/** Runs the three steps; the packages must be built (the demo builds them first). */
export function packagesDemo(step: (title: string) => void): void {
  step('What a release would publish (npm run release:dry)');
  runScript('release:dry', 'tools/release/dry-run.ts', ['--no-build']);

  step('The API reference, generated from TSDoc (npm run docs)');
  const docs = spawnSync('npm', ['run', 'api', '-w', '@terra-vertex/docs', '--silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (docs.status !== 0) throw new Error(`npm run docs failed (exit ${docs.status})`);
  console.log('  docs/api/index.html (guides per capability: docs/README.md)');

  step('Installed from the tarballs into a fresh project and a fresh Nx workspace (npm run check:consumer)');
  runScript('check:consumer', 'tools/release/consumer-check.ts', ['--no-build']);
}
