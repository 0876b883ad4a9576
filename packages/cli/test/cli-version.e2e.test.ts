/**
 * `tvx --version` prints the version of the installed package, read from its package.json at run time (the
 * built `bin/tvx.js` → `dist/`), never a copy that could drift from it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliVersion } from '../src/main.ts';
import { root } from './cli-harness.ts';

const manifest = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as {
  version: string;
};

describe('tvx --version', () => {
  it('prints the version in package.json, from the built command', () => {
    const r = spawnSync(process.execPath, [join(root, 'packages/cli/bin/tvx.js'), '--version'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(manifest.version);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  });

  it('reads the same version from the sources', () => {
    expect(cliVersion()).toBe(manifest.version);
  });
});
