import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ResolvedConfig } from '../config.ts';
import { requireStagingBucket } from '../config.ts';
import { storageClient } from '../connection.ts';
import { ValidationError } from '../errors.ts';
import { ensureBucket, parseGcsUri, uploadFile } from '../storage/gcs.ts';

const run = promisify(execFile);

/** The Python that builds packages: TVX_PYTHON, else Debian's /usr/bin/python3. */
export function localPython(): string {
  return process.env.TVX_PYTHON ?? '/usr/bin/python3';
}

/** Builds a source distribution from a folder holding `setup.py` and returns the `.tar.gz` path. */
export async function buildSourceDistribution(dir: string, python = localPython()): Promise<string> {
  if (!existsSync(join(dir, 'setup.py'))) {
    throw new ValidationError(
      'packageDir',
      `${dir} has no setup.py`,
      'Point at the folder of a Python package with a setup.py (e.g. one made by `tvx generate trainer`).',
    );
  }
  const out = mkdtempSync(join(tmpdir(), 'tvx-sdist-'));
  try {
    await run(python, ['setup.py', '-q', 'sdist', '--formats=gztar', '--dist-dir', out], {
      cwd: dir,
      timeout: 120_000,
    });
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new ValidationError(
      'packageDir',
      `building the package failed: ${(e.stderr || e.message).trim().split('\n').slice(-5).join(' ')}`,
      'Fix setup.py so that `python3 setup.py sdist` works.',
    );
  }
  const built = readdirSync(out).filter((f) => f.endsWith('.tar.gz'));
  if (built.length !== 1)
    throw new Error(`expected one sdist in ${out}, found ${built.join(', ') || 'none'}`);
  return join(out, built[0]!);
}

/**
 * Builds a package folder and uploads it under `<staging>/packages/`; returns its gs:// URI. With
 * `dryRun` the package is built (so errors show) but not uploaded.
 */
export async function stagePythonPackage(
  config: ResolvedConfig,
  dir: string,
  options: { dryRun?: boolean } = {},
): Promise<string> {
  const sdist = await buildSourceDistribution(dir);
  try {
    const staging = requireStagingBucket(config, 'a Python package upload');
    if (options.dryRun) return `${staging}/packages/${Date.now()}/${basename(sdist)}`;
    const storage = await storageClient(config);
    if (config.emulator) await ensureBucket(storage, parseGcsUri(staging).bucket);
    const uri = `${staging}/packages/${Date.now()}/${basename(sdist)}`;
    await uploadFile(storage, sdist, uri);
    return uri;
  } finally {
    rmSync(dirname(sdist), { recursive: true, force: true }); // the build's temporary folder
  }
}
