import {
  type AcceleratorType,
  CustomContainerTrainingJob,
  CustomPythonPackageTrainingJob,
  CustomTrainingJob,
  fromProtoValue,
  type ProtoValue,
  resolveConfig,
  stagePythonPackage,
  type TrainingJob,
  type TrainingJobOptions,
  type TrainingRunOptions,
  ValidationError,
} from '@terra-vertex/core';
import type { Command } from 'commander';
import { type GlobalOptions, print } from '../output.ts';
import { progressDisplay } from '../progress.ts';
import {
  asFlagError,
  collect,
  dryRunEstimate,
  keyValues,
  type RunResourceFlags,
  runResourceOptions,
} from './options.ts';

interface PipelineFlags extends RunResourceFlags {
  displayName: string;
  containerUri?: string;
  servingImage?: string;
  predictRoute?: string;
  healthRoute?: string;
  modelDisplayName?: string;
  parentModel?: string;
  modelAlias?: string[];
  dryRun?: boolean;
}

/** The options every `tvx train script|package|container` takes. */
function pipelineOptions(cmd: Command): Command {
  return runResourceOptions(cmd, 'training')
    .argument('[args...]', 'arguments passed to the trainer (after --)')
    .option('--display-name <name>', 'training pipeline display name', 'tvx-training')
    .option('--serving-image <uri>', 'prediction image: register the trained model with it')
    .option('--predict-route <route>', 'serving container predict route')
    .option('--health-route <route>', 'serving container health route')
    .option('--model-display-name <name>', 'display name of the registered model')
    .option('--parent-model <model>', 'register the model as a new version of this one')
    .option('--model-alias <alias>', 'version alias of the registered model (repeatable)', collect)
    .option(
      '--dry-run',
      'print the exact CreateTrainingPipeline request without sending it (nothing is uploaded)',
    );
}

function jobOptions(f: PipelineFlags, g: GlobalOptions): TrainingJobOptions {
  return {
    displayName: f.displayName,
    containerUri: f.containerUri,
    modelServingContainerImageUri: f.servingImage,
    modelServingContainerPredictRoute: f.predictRoute,
    modelServingContainerHealthRoute: f.healthRoute,
    labels: keyValues(f.label, '--label'),
    project: g.project,
    location: g.location,
  };
}

function runOptions(f: PipelineFlags, args: string[]): TrainingRunOptions {
  return {
    args,
    environmentVariables: keyValues(f.env, '--env'),
    replicaCount: f.replicaCount,
    machineType: f.machineType,
    acceleratorType: f.acceleratorType as AcceleratorType | undefined,
    acceleratorCount: f.acceleratorCount,
    baseOutputDir: f.baseOutputDir,
    timeout: f.timeout,
    serviceAccount: f.serviceAccount,
    tensorboard: f.tensorboard,
    modelDisplayName: f.modelDisplayName,
    parentModel: f.parentModel,
    modelVersionAliases: f.modelAlias,
    expectedDuration: f.expectedDuration,
  };
}

async function submit(job: TrainingJob, f: PipelineFlags, g: GlobalOptions, args: string[]): Promise<void> {
  const run = runOptions(f, args);
  if (f.dryRun) {
    const { parent, trainingPipeline } = await job.buildRequest(run, { dryRun: true });
    // The task inputs are a protobuf Value on the wire; show them as the JSON they stand for.
    const inputs = fromProtoValue(trainingPipeline.trainingTaskInputs as ProtoValue);
    const request = { parent, trainingPipeline: { ...trainingPipeline, trainingTaskInputs: inputs } };
    print(g, request, () => JSON.stringify(request, null, 2));
    dryRunEstimate(await job.estimateCost(run), f, g);
    return;
  }
  const display = progressDisplay({ json: g.json, logs: f.logs });
  let model: Awaited<ReturnType<TrainingJob['run']>>;
  try {
    model = await job.run({
      ...run,
      maxCost: f.maxCost,
      sync: f.wait,
      onProgress: display.listener,
    });
  } catch (err) {
    throw asFlagError(err);
  } finally {
    display.stop();
  }
  const out = { trainingPipeline: job.resourceName, state: job.state, model: model?.versionedResourceName };
  print(g, out, () =>
    [
      `${job.resourceName} ${job.state.replace('PIPELINE_STATE_', '')}`,
      ...(model ? [`Model: ${model.versionedResourceName}`] : []),
    ].join('\n'),
  );
}

const DEFAULT_TRAINING_IMAGE = 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest';

/** `tvx train script|package|container`: training pipelines that register the trained model. */
export function registerTrainPipelines(train: Command, globals: () => GlobalOptions): void {
  pipelineOptions(
    train
      .command('script')
      .description('train a local Python script (CustomTrainingJob)')
      .requiredOption('--script <path>', 'the training script, or a folder with task.py')
      .option('--container-uri <uri>', 'training image', DEFAULT_TRAINING_IMAGE)
      .option('--requirement <req>', "pip requirement of the script (repeatable), e.g. 'pandas'", collect),
  ).action(async (args: string[], f: PipelineFlags & { script: string; requirement?: string[] }) => {
    const g = globals();
    const job = new CustomTrainingJob({
      ...jobOptions(f, g),
      scriptPath: f.script,
      requirements: f.requirement,
    });
    await submit(job, f, g, args);
  });

  pipelineOptions(
    train
      .command('package')
      .description('train a Python package (CustomPythonPackageTrainingJob)')
      .option('--package-uri <gs-uri>', 'gs:// URI of the sdist')
      .option('--package-dir <dir>', 'local folder with setup.py: built and uploaded to the staging bucket')
      .requiredOption('--module <module>', 'module to run, e.g. trainer.task')
      .option('--container-uri <uri>', 'training image', DEFAULT_TRAINING_IMAGE),
  ).action(
    async (
      args: string[],
      f: PipelineFlags & { packageUri?: string; packageDir?: string; module: string },
    ) => {
      const g = globals();
      let uri = f.packageUri;
      // Priced before --package-dir is uploaded: a refused run stages nothing.
      if (f.packageDir && !f.dryRun && f.maxCost !== undefined) {
        const preview = new CustomPythonPackageTrainingJob({
          ...jobOptions(f, g),
          pythonPackageGcsUri: 'gs://not-uploaded/package.tar.gz',
          pythonModuleName: f.module,
        });
        dryRunEstimate(await preview.estimateCost(runOptions(f, args)), f, g);
      }
      if (f.packageDir)
        uri = await stagePythonPackage(
          await resolveConfig({ project: g.project, location: g.location }),
          f.packageDir,
          { dryRun: f.dryRun },
        );
      if (!uri)
        throw new ValidationError(
          '--package-dir',
          'no package given',
          'Give --package-dir <folder> or --package-uri gs://….',
        );
      const job = new CustomPythonPackageTrainingJob({
        ...jobOptions(f, g),
        pythonPackageGcsUri: uri,
        pythonModuleName: f.module,
      });
      await submit(job, f, g, args);
    },
  );

  pipelineOptions(
    train
      .command('container')
      .description('train with a container image (CustomContainerTrainingJob)')
      .requiredOption('--container-uri <uri>', 'training image')
      .option('--command <cmd...>', 'entrypoint override'),
  ).action(async (args: string[], f: PipelineFlags & { command?: string[] }) => {
    const g = globals();
    const job = new CustomContainerTrainingJob({ ...jobOptions(f, g), command: f.command });
    await submit(job, f, g, args);
  });
}
