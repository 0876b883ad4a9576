import {
  CustomJob,
  resolveConfig,
  stagePythonPackage,
  ValidationError,
  type WorkerPoolSpec,
} from '@terra-vertex/core';
import { type Command, Option } from 'commander';
import { type GlobalOptions, print } from '../output.ts';
import { progressDisplay } from '../progress.ts';
import { collect, keyValues, type RunResourceFlags, runResourceOptions } from './options.ts';
import { registerTrainPipelines } from './train-pipeline.ts';

interface TrainOptions extends RunResourceFlags {
  displayName?: string;
  packageUri?: string[];
  packageDir?: string;
  module?: string;
  executorImage: string;
  containerImage?: string;
  command?: string[];
  dryRun?: boolean;
}

/** `tvx train custom-job`: run a Python package or a container as a Vertex AI CustomJob. */
export function registerTrain(program: Command, globals: () => GlobalOptions): void {
  const train = program.command('train').description('submit training jobs');
  registerTrainPipelines(train, globals);
  runResourceOptions(train.command('custom-job'), 'job')
    .description('run a Python package or a container as a CustomJob; trainer arguments go after --')
    .argument('[args...]', 'arguments passed to the trainer')
    .option('--display-name <name>', 'job display name')
    .option('--package-uri <gs-uri>', 'gs:// URI of a Python sdist (repeatable)', collect)
    .option('--package-dir <dir>', 'local folder with setup.py: built and uploaded to the staging bucket')
    .option('--module <module>', 'Python module to run, e.g. trainer.task')
    .option(
      '--executor-image <uri>',
      'prebuilt training image for a package',
      'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest',
    )
    .option('--container-image <uri>', 'run this container image instead of a package')
    .option('--command <cmd...>', 'container entrypoint override')
    .option('--dry-run', 'print the exact CreateCustomJob request without sending it (nothing is uploaded)')
    .addOption(new Option('--sync', 'alias of the default (wait)').hideHelp())
    .action(async (args: string[], o: TrainOptions) => {
      const g = globals();
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
      if (o.dryRun) {
        const request = await job.buildRequest({ timeout: o.timeout, serviceAccount: o.serviceAccount });
        print(g, request, () => JSON.stringify(request, null, 2));
        return;
      }
      const display = progressDisplay({ json: g.json, logs: o.logs });
      try {
        await job.run({
          sync: o.wait,
          timeout: o.timeout,
          serviceAccount: o.serviceAccount,
          onProgress: display.listener,
        });
      } finally {
        display.stop();
      }
      const out = {
        name: job.resourceName,
        state: job.state,
        baseOutputDir: job.gcaResource?.jobSpec?.baseOutputDirectory?.outputUriPrefix,
      };
      print(
        g,
        out,
        () => `${job.resourceName} ${job.state.replace('JOB_STATE_', '')}\nOutputs: ${out.baseOutputDir}`,
      );
    });
}
