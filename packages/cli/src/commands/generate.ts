import { resolve } from 'node:path';
import {
  type TrainerGeneratorSchema,
  toTrainerOptions,
  trainerDirectory,
  writeTrainer,
} from '@terra-vertex/templates';
import type { Command } from 'commander';
import { type GlobalOptions, print } from '../output.ts';
import { collect } from './options.ts';

/** `tvx generate trainer`: the same Python trainer package as `nx g @terra-vertex/templates:trainer`. */
export function registerGenerate(program: Command, globals: () => GlobalOptions): void {
  const generate = program.command('generate').description('scaffold code from the terra-vertex templates');
  generate
    .command('trainer <name>')
    .description('write a Python trainer package that honours Vertex AI’s runtime contract')
    .option('--framework <framework>', 'sklearn, xgboost, pytorch or tf-keras', 'sklearn')
    .option(
      '--metric <id>',
      'tuning metric: accuracy, auc, precision, recall, f1, log_loss or loss',
      'accuracy',
    )
    .option('--goal <goal>', 'maximize or minimize (default: the metric’s natural goal)')
    .option(
      '--hyperparameter <spec>',
      'name:type:min:max[:default][:scale], e.g. learning_rate:double:0.001:0.1:0.01:log or optimizer:categorical:adam|sgd (repeatable)',
      collect,
    )
    .option('--task <task>', 'tabular or image', 'tabular')
    .option('--directory <dir>', 'where to write it (default trainers/<name>)')
    .option('--overwrite', 'replace files that exist')
    .action(
      async (
        name: string,
        o: Omit<TrainerGeneratorSchema, 'name' | 'hyperparameters'> & { hyperparameter?: string[] },
      ) => {
        const g = globals();
        const schema: TrainerGeneratorSchema = { ...o, name, hyperparameters: o.hyperparameter };
        const options = toTrainerOptions(schema);
        const dir = resolve(trainerDirectory(schema));
        const files = await writeTrainer(dir, options, { overwrite: o.overwrite });
        print(g, { directory: dir, files }, () =>
          [
            `Wrote ${options.framework} trainer ${name} to ${dir} (${files.length} files).`,
            `Try it:  cd ${dir} && /usr/bin/python3 -m trainer.demo_data --out data/ && /usr/bin/python3 -m trainer.task --data data/train.csv`,
            `Train it on Vertex AI (or the emulator):  tvx train package --package-dir ${dir} --module trainer.task`,
          ].join('\n'),
        );
      },
    );
}
