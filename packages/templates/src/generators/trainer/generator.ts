/**
 * Nx generator `@terra-vertex/templates:trainer`: writes a Python trainer package into the Tree and registers
 * it as an Nx project (`nx build <name>` builds its sdist, `nx run <name>:smoke` trains it on demo data).
 *
 *     nx g @terra-vertex/templates:trainer iris-trainer --framework=xgboost \
 *       --hyperparameters=learning_rate:double:0.01:0.3:0.1:log,max_depth:integer:2:8
 */
import { posix } from 'node:path';
import type { Tree } from '@nx/devkit';
import { TrainerOptionsError } from '../../errors.ts';
import type { Framework, TrainerOptions } from '../../options.ts';
import { METRICS } from '../../options.ts';
import { renderTrainer } from '../../render.ts';
import { parseHyperparameters } from './parse-hyperparameters.ts';
import type { TrainerGeneratorSchema } from './schema.d.ts';

/** Trainer options from the generator's (CLI-friendly) schema. */
export function toTrainerOptions(schema: TrainerGeneratorSchema): TrainerOptions {
  const metric = schema.metric ?? 'accuracy';
  return {
    name: schema.name,
    framework: (schema.framework ?? 'sklearn') as Framework,
    metric: { id: metric, goal: schema.goal ?? METRICS[metric] ?? 'maximize' },
    hyperparameters: parseHyperparameters(schema.hyperparameters),
    task: schema.task ?? 'tabular',
  };
}

/** Directory the package goes to, relative to the workspace root. */
export function trainerDirectory(schema: TrainerGeneratorSchema): string {
  return posix.normalize(schema.directory ?? posix.join('trainers', schema.name)).replace(/\/$/, '');
}

/**
 * Writes the files of {@link renderTrainer} under `directory` in the Tree, and a project.json for them unless
 * the directory has one.
 */
export async function trainerGenerator(tree: Tree, schema: TrainerGeneratorSchema): Promise<void> {
  const options = toTrainerOptions(schema);
  const files = renderTrainer(options);
  const directory = trainerDirectory(schema);
  if (!schema.overwrite && tree.exists(posix.join(directory, 'trainer', 'task.py'))) {
    throw new TrainerOptionsError(
      'directory',
      `${directory} already holds a trainer package`,
      'Pass --overwrite to replace it, or choose another --directory',
    );
  }
  for (const [path, content] of Object.entries(files)) {
    tree.write(posix.join(directory, path), content);
  }
  // Loaded here, not at the top: index.ts re-exports this module, and @nx/devkit (with nx behind it) must not
  // load for every user of @terra-vertex/templates, only for the generator.
  const { registerTrainerProject } = await import('./project.ts').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('@nx/devkit')) throw err;
    throw new Error(
      'The trainer generator needs @nx/devkit, an optional peer dependency of @terra-vertex/templates: ' +
        'install it for your nx major (npm install -D @nx/devkit@<nx major>).',
      { cause: err },
    );
  });
  registerTrainerProject(tree, directory, options);
}

export default trainerGenerator;
