import { join } from 'node:path';
import type { Json } from '../vertex/protos.ts';
import type { RuntimeContext } from './custom-job-runner.ts';
import { gcsToLocal } from './gcs-paths.ts';
import { checkImport, type LocalImage, prebuiltImage, unknownImageMessage } from './images.ts';
import { installPackages, missingRequirements, RUNTIME_PYTHON_DIR } from './python-packages.ts';

/** How every replica of one pool starts. */
export interface PoolPlan {
  argv: string[];
  env: Record<string, string>;
  userEnv: Record<string, string>;
  /** Set MASTER_ADDR/MASTER_PORT/WORLD_SIZE/RANK (PyTorch images). */
  torch: boolean;
  notice?: string;
}

/** Resolves images the emulator was told about (`--image-map`). */
export interface LaunchPlanner {
  localImages: Record<string, LocalImage>;
}

const PYTHON_NAMES = new Set(['python', 'python3']);

/**
 * Decides how a worker pool runs locally: a Python package spec is pip-installed and run as
 * `python -m <module>`; a prebuilt image is checked for its framework; any other image needs a mapping.
 * Returns `{ error }` with the job's failure message when it cannot run.
 */
export async function planPool(
  ctx: RuntimeContext,
  pool: Json,
  index: number,
  jobDir: string,
): Promise<PoolPlan | { error: string }> {
  const pkg = pool.pythonPackageSpec as Json | undefined;
  const container = pool.containerSpec as Json | undefined;
  const imageUri = (pkg?.executorImageUri ?? container?.imageUri) as string;
  const userEnv = Object.fromEntries(
    (((pkg ?? container)?.env as { name: string; value?: string }[] | undefined) ?? []).map((e) => [
      e.name,
      e.value ?? '',
    ]),
  );
  const args = ((pkg ?? container)?.args as string[] | undefined) ?? [];
  const mapped = ctx.planner.localImages[imageUri];
  const prebuilt = prebuiltImage(imageUri);
  const baseEnv = inheritedEnv();

  if (pkg) {
    const python = mapped?.command[0] ?? ctx.python;
    if (!mapped) {
      if (prebuilt?.kind !== 'training') return { error: unknownImageMessage(imageUri) };
      const importError = await checkImport(python, prebuilt.module);
      if (importError) return { error: frameworkMessage(imageUri, prebuilt.module, python, importError) };
    }
    const site = join(jobDir, `packages-pool${index}`);
    try {
      const paths = (pkg.packageUris as string[]).map((u) => gcsToLocal(ctx.gcsRoot, u));
      await installPackages(python, paths, site);
      const missing = await missingRequirements(python, site);
      if (missing.length) {
        return {
          error:
            `workerPoolSpecs[${index}]: the package requires ${missing.join(', ')}, which ${python} cannot import, and the ` +
            'emulator cannot pip-install from the internet. Install them (Debian: python3-<name>) or point TVX_PYTHON at a Python that has them.',
        };
      }
    } catch (err) {
      return { error: `workerPoolSpecs[${index}]: ${(err as Error).message}` };
    }
    const env = {
      ...baseEnv,
      ...mapped?.env,
      PYTHONPATH: [site, RUNTIME_PYTHON_DIR, baseEnv.PYTHONPATH].filter(Boolean).join(':'),
    };
    return {
      argv: [python, '-m', pkg.pythonModule as string, ...args],
      env,
      userEnv,
      torch: prebuilt?.framework === 'pytorch',
    };
  }

  const command = (container?.command as string[] | undefined) ?? [];
  if (mapped) {
    const argv = [...(command.length ? command : mapped.command), ...args];
    return {
      argv,
      env: { ...withRuntimePython(baseEnv), ...mapped.env },
      userEnv,
      torch: prebuilt?.framework === 'pytorch',
    };
  }
  if (prebuilt?.kind === 'training' && command.length) {
    const importError = await checkImport(ctx.python, prebuilt.module);
    if (importError) return { error: frameworkMessage(imageUri, prebuilt.module, ctx.python, importError) };
    const argv = [PYTHON_NAMES.has(command[0]!) ? ctx.python : command[0]!, ...command.slice(1), ...args];
    return { argv, env: withRuntimePython(baseEnv), userEnv, torch: prebuilt.framework === 'pytorch' };
  }
  return { error: unknownImageMessage(imageUri) };
}

function frameworkMessage(image: string, module: string, python: string, importError: string): string {
  return (
    `Image ${image} needs the Python module '${module}', which ${python} cannot import (${importError}). ` +
    'Install it (Debian: python3-sklearn, python3-torch, python3-xgboost) or point TVX_PYTHON at a Python that has it.'
  );
}

/** The parts of the emulator's environment a trainer should see (PATH, locale, BLAS settings …). */
export function inheritedEnv(): Record<string, string> {
  const keep = /^(PATH|HOME|LANG|LC_.*|TZ|TMPDIR|USER|OPENBLAS_.*|OMP_.*|MKL_.*|PYTHONPATH)$/;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => keep.test(k) && v !== undefined),
  ) as Record<string, string>;
  // Replicas share a few local cores, where OpenMP's spinning threads fight each other; a job's env can override.
  env.OMP_NUM_THREADS ??= '1';
  return env;
}

/** Adds the runtime's own Python modules (hypertune) to PYTHONPATH. */
function withRuntimePython(env: Record<string, string>): Record<string, string> {
  return { ...env, PYTHONPATH: [RUNTIME_PYTHON_DIR, env.PYTHONPATH].filter(Boolean).join(':') };
}
