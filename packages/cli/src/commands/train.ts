import { type Command, Option } from 'commander';
import { type GlobalOptions, print } from '../output.ts';
import { progressDisplay } from '../progress.ts';
import { asFlagError, dryRunEstimate, runResourceOptions } from './options.ts';
import { registerTrainPipelines } from './train-pipeline.ts';
import { customJobFromFlags, type TrainerFlags, trainerOptions } from './trainer-flags.ts';

interface TrainOptions extends TrainerFlags {
  dryRun?: boolean;
}

/** `tvx train custom-job`: run a Python package or a container as a Vertex AI CustomJob. */
export function registerTrain(program: Command, globals: () => GlobalOptions): void {
  const train = program.command('train').description('submit training jobs');
  registerTrainPipelines(train, globals);
  trainerOptions(runResourceOptions(train.command('custom-job'), 'job'))
    .description('run a Python package or a container as a CustomJob; trainer arguments go after --')
    .argument('[args...]', 'arguments passed to the trainer')
    .option('--display-name <name>', 'job display name')
    .option('--dry-run', 'print the exact CreateCustomJob request without sending it (nothing is uploaded)')
    .addOption(new Option('--sync', 'alias of the default (wait)').hideHelp())
    .action(async (args: string[], o: TrainOptions) => {
      const g = globals();
      const run = {
        timeout: o.timeout,
        serviceAccount: o.serviceAccount,
        tensorboard: o.tensorboard,
        expectedDuration: o.expectedDuration,
      };
      // Priced before --package-dir is uploaded: a refused run stages nothing.
      if (o.packageDir && !o.dryRun && o.maxCost !== undefined) {
        const preview = await customJobFromFlags(args, { ...o, dryRun: true }, g);
        dryRunEstimate(await preview.estimateCost(run), o, g);
      }
      const job = await customJobFromFlags(args, o, g);
      if (o.dryRun) {
        const request = await job.buildRequest(run);
        print(g, request, () => JSON.stringify(request, null, 2));
        dryRunEstimate(await job.estimateCost(run), o, g);
        return;
      }
      const display = progressDisplay({ json: g.json, logs: o.logs });
      try {
        await job.run({
          ...run,
          maxCost: o.maxCost,
          sync: o.wait,
          onProgress: display.listener,
        });
      } catch (err) {
        throw asFlagError(err);
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
