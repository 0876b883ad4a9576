import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type ResolvedConfig, requireStagingBucket } from '../config.ts';
import { storageClient } from '../connection.ts';
import { ValidationError } from '../errors.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import { localPython } from '../jobs/python-package.ts';
import { ensureBucket, parseGcsUri, uploadFile } from '../storage/gcs.ts';

const run = promisify(execFile);

/** The module a packaged script runs as, as in the Python SDK. */
export const SCRIPT_MODULE = 'aiplatform_custom_trainer_script.task';
const PACKAGE = 'aiplatform_custom_trainer_script';

/** The `setup.py` the Python SDK writes for a script (`utils/source_utils.py`). */
export function scriptSetupPy(requirements: string[] = []): string {
  const reqs = requirements.map((r) => `"${r}"`).join(',');
  return [
    'from setuptools import find_packages',
    'from setuptools import setup',
    '',
    'setup(',
    `    name='${PACKAGE}',`,
    "    version='0.1',",
    '    packages=find_packages(),',
    `    install_requires=(${reqs}),`,
    '    include_package_data=True,',
    "    description='My training application.'",
    ')',
    '',
  ].join('\n');
}

/**
 * Packages a training script (a file, or a folder copied whole) the way the Python SDK does — module
 * `aiplatform_custom_trainer_script.task`, `requirements` as `install_requires` — builds the sdist with the
 * local Python's setuptools and returns its path (`…/aiplatform_custom_trainer_script-0.1.tar.gz`).
 */
export async function packageScript(
  scriptPath: string,
  requirements: string[] = [],
  python = localPython(),
): Promise<string> {
  if (!existsSync(scriptPath)) {
    throw new ValidationError(
      'scriptPath',
      `${scriptPath} does not exist`,
      'Give the path of your training script (a .py file) or of a folder holding task.py.',
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'tvx-script-'));
  const pkgDir = join(root, 'trainer', PACKAGE);
  if (statSync(scriptPath).isDirectory()) {
    cpSync(scriptPath, pkgDir, { recursive: true });
    if (!existsSync(join(pkgDir, 'task.py'))) {
      throw new ValidationError(
        'scriptPath',
        `the folder ${scriptPath} has no task.py`,
        'The folder is run as `python -m aiplatform_custom_trainer_script.task`: put the entry point in task.py.',
      );
    }
  } else {
    mkdirSync(pkgDir, { recursive: true });
    cpSync(scriptPath, join(pkgDir, 'task.py'));
  }
  if (!existsSync(join(pkgDir, '__init__.py'))) writeFileSync(join(pkgDir, '__init__.py'), '');
  writeFileSync(join(root, 'trainer', 'setup.py'), scriptSetupPy(requirements));
  try {
    await run(python, ['setup.py', 'sdist', '--formats=gztar'], {
      cwd: join(root, 'trainer'),
      timeout: 120_000,
    });
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    throw new Error(
      `Packaging of training script failed with code ${e.code}\n${e.stdout ?? ''} \n${e.stderr ?? ''}`,
    );
  }
  const dist = join(root, 'trainer', 'dist');
  return join(dist, readdirSync(dist).find((f) => f.endsWith('.tar.gz'))!);
}

/** Removes the temporary tree {@link packageScript} built `sdist` in (`<tmp>/tvx-script-…/trainer/dist/x.tar.gz`). */
export function removeScriptBuild(sdist: string): void {
  const root = dirname(dirname(dirname(sdist)));
  if (basename(root).startsWith('tvx-script-')) rmSync(root, { recursive: true, force: true });
}

/** Uploads a built package with the Python SDK's timestamped name; returns its gs:// URI. */
export async function uploadTrainingPackage(config: ResolvedConfig, sdist: string): Promise<string> {
  const staging = requireStagingBucket(config, 'a training job');
  const storage = await storageClient(config);
  if (config.emulator) await ensureBucket(storage, parseGcsUri(staging).bucket);
  const uri = `${staging}/aiplatform-${localTimestamp()}-${sdist.split('/').pop()}`;
  await uploadFile(storage, sdist, uri);
  return uri;
}
