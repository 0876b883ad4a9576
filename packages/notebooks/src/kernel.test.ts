import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKernelNode, findTslab, installKernel } from './kernel.ts';
import { jupyterEnv } from './runner.ts';

describe('installKernel', () => {
  it('registers tslab and jslab in a prefix, running on this Node with absolute paths', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'tvx-kernel-'));
    const kernel = installKernel({ prefix, python: '/usr/bin/python3', env: jupyterEnv(prefix) });
    expect(kernel.kernelDir).toBe(join(prefix, 'share', 'jupyter', 'kernels', 'tslab'));
    const spec = JSON.parse(readFileSync(join(kernel.kernelDir, 'kernel.json'), 'utf8'));
    const bin = join(findTslab(), 'bin', 'tslab');
    expect(spec).toMatchObject({ language: 'typescript', display_name: 'TypeScript' });
    expect(spec.argv).toEqual([process.execPath, bin, 'kernel', '--config-path', '{connection_file}']);
    const js = JSON.parse(
      readFileSync(join(prefix, 'share', 'jupyter', 'kernels', 'jslab', 'kernel.json'), 'utf8'),
    );
    expect(js.argv.at(-1)).toBe('--js');
    expect(installKernel({ prefix, python: '/usr/bin/python3', env: jupyterEnv(prefix) }).argv).toEqual(
      spec.argv,
    );
    rmSync(prefix, { recursive: true, force: true });
  });

  it('names the option at fault and the fix', () => {
    expect(() => installKernel({ prefix: tmpdir(), python: '/bin/false' })).toThrow(
      /python: \/bin\/false cannot import jupyter_client and IPython\. On Debian: apt-get install/,
    );
    expect(() => checkKernelNode('/bin/false')).toThrow(
      /node: \/bin\/false is not runnable, but the tslab kernel needs Node >= 22/,
    );
    expect(() => findTslab('/tmp')).toThrow(/tslabDir: \/tmp has no bin\/tslab/);
  });
});
