import { type Command, Option } from 'commander';
import { type GlobalOptions, print } from '../output.ts';
import { progressDisplay } from '../progress.ts';
import { runResourceOptions } from './options.ts';
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
      const job = await customJobFromFlags(args, o, g);
      if (o.dryRun) {
        const request = await job.buildRequest({
          timeout: o.timeout,
          serviceAccount: o.serviceAccount,
          tensorboard: o.tensorboard,
        });
        print(g, request, () => JSON.stringify(request, null, 2));
        return;
      }
      const display = progressDisplay({ json: g.json, logs: o.logs });
      try {
        await job.run({
          sync: o.wait,
          timeout: o.timeout,
          serviceAccount: o.serviceAccount,
          tensorboard: o.tensorboard,
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
