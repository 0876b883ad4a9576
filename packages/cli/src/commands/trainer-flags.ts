import {
  CustomJob,
  resolveConfig,
  stagePythonPackage,
  ValidationError,
  type WorkerPoolSpec,
} from '@terra-vertex/core';
import type { Command } from 'commander';
import type { GlobalOptions } from '../output.ts';
import { collect, keyValues, type RunResourceFlags } from './options.ts';

/** The flags that say what a job runs: a Python package (staged from a folder or given) or a container. */
export interface TrainerFlags extends RunResourceFlags {
  displayName?: string;
  packageUri?: string[];
  packageDir?: string;
  module?: string;
  executorImage: string;
  containerImage?: string;
  command?: string[];
  dryRun?: boolean;
}

/** Adds the {@link TrainerFlags} options (`--package-dir`, `--module`, `--container-image` …). */
export function trainerOptions(cmd: Command): Command {
  return cmd
    .option('--package-uri <gs-uri>', 'gs:// URI of a Python sdist (repeatable)', collect)
    .option('--package-dir <dir>', 'local folder with setup.py: built and uploaded to the staging bucket')
    .option('--module <module>', 'Python module to run, e.g. trainer.task')
    .option(
      '--executor-image <uri>',
      'prebuilt training image for a package',
      'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest',
    )
    .option('--container-image <uri>', 'run this container image instead of a package')
    .option('--command <cmd...>', 'container entrypoint override');
}

/**
 * The CustomJob the flags describe; `--package-dir` is built and uploaded to the staging bucket (not with
 * `--dry-run`). Trainer arguments (after `--`) go to the package or container.
 */
export async function customJobFromFlags(
  args: string[],
  o: TrainerFlags,
  g: GlobalOptions,
): Promise<CustomJob> {
  const config = await resolveConfig({ project: g.project, location: g.location });
  const env = keyValues(o.env, '--env');
  const machineSpec = {
    machineType: o.machineType,
    acceleratorType: o.acceleratorType as never,
    acceleratorCount: o.acceleratorCount,
  };
  let task: Pick<WorkerPoolSpec, 'pythonPackageSpec' | 'containerSpec'>;
  if (o.containerImage) {
    task = { containerSpec: { imageUri: o.containerImage, command: o.command, args, env } };
  } else {
    if (!o.module) {
      throw new ValidationError(
        '--module',
        'is required with a package',
        'Give e.g. --module trainer.task, or run a container with --container-image.',
      );
    }
    const uris = [...(o.packageUri ?? [])];
    if (o.packageDir) uris.unshift(await stagePythonPackage(config, o.packageDir, { dryRun: o.dryRun }));
    if (uris.length === 0) {
      throw new ValidationError(
        '--package-dir',
        'no package given',
        'Give --package-dir <folder> or --package-uri gs://…, or run a container with --container-image.',
      );
    }
    task = {
      pythonPackageSpec: {
        executorImageUri: o.executorImage,
        packageUris: uris,
        pythonModule: o.module,
        args,
        env,
      },
    };
  }
  const pools: WorkerPoolSpec[] = [{ ...task, machineSpec, replicaCount: 1 }];
  if (o.replicaCount > 1) pools.push({ ...task, machineSpec, replicaCount: o.replicaCount - 1 });
  const job = new CustomJob({
    displayName: o.displayName,
    workerPoolSpecs: pools,
    baseOutputDir: o.baseOutputDir,
    labels: keyValues(o.label, '--label'),
    project: g.project,
    location: g.location,
  });
  return job;
}
