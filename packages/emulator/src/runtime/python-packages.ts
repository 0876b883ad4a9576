import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Installs a job's Python packages (sdists or wheels from the local bucket) into one folder with pip,
 * offline and without dependencies, the way a Vertex prebuilt image `pip install`s them; the folder then
 * goes on PYTHONPATH.
 */
export async function installPackages(python: string, packagePaths: string[], target: string): Promise<void> {
  mkdirSync(target, { recursive: true });
  for (const path of packagePaths) {
    if (!existsSync(path)) throw new Error(`package ${path} does not exist`);
  }
  try {
    await run(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--no-deps',
        '--no-build-isolation',
        '--no-index',
        '--disable-pip-version-check',
        '--target',
        target,
        ...packagePaths,
      ],
      { timeout: 300_000, env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const detail = (e.stderr ?? e.message).trim().split('\n').slice(-8).join('\n');
    throw new Error(`pip could not install the job's Python package(s): ${detail}`);
  }
}

/** Python modules the emulator's runtime provides to every job (cloudml-hypertune's `hypertune`). */
export const RUNTIME_PYTHON_DIR = fileURLToPath(new URL('../../python', import.meta.url));

/**
 * Checks that the `install_requires` of the packages installed in `site` are importable by `python`
 * (they cannot be pip-installed offline); returns the missing ones, e.g. `["pandas>=2"]`.
 */
export async function missingRequirements(python: string, site: string): Promise<string[]> {
  const { stdout } = await run(python, [`${RUNTIME_PYTHON_DIR}/tvx_check_requirements.py`, site], {
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim()) as string[];
}
