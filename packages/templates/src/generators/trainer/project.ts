/**
 * The Nx project the trainer generator registers for a generated package, so that `nx build <name>` builds the
 * source distribution Vertex AI installs and `nx run <name>:smoke` trains it once on its own demo data.
 */
import { posix } from 'node:path';
import { addProjectConfiguration, getProjects, type ProjectConfiguration, type Tree } from '@nx/devkit';
import { TrainerOptionsError } from '../../errors.ts';
import type { TrainerOptions } from '../../options.ts';

/** What the project depends on: the package's name, framework and task. */
type ProjectOptions = Pick<TrainerOptions, 'name' | 'framework' | 'task'>;

/**
 * The Python the targets run: `TVX_PYTHON`, else Debian's `/usr/bin/python3` — the interpreter the terra-vertex
 * emulator runs trainers with, so that a smoke run here says something about a job there.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template literal
export const TARGET_PYTHON = '"${TVX_PYTHON:-/usr/bin/python3}"';

/** Where the smoke target's demo data and outputs go, relative to the package (the trainer's local default). */
const SMOKE_OUT = 'trainer-output';

/** What the targets read: the package's sources, not what they write. */
const SOURCES = [
  '{projectRoot}/**/*',
  '!{projectRoot}/dist/**/*',
  `!{projectRoot}/${SMOKE_OUT}/**/*`,
  '!{projectRoot}/**/__pycache__/**/*',
  '!{projectRoot}/*.egg-info/**/*',
  { env: 'TVX_PYTHON' },
];

/** The project configuration of the package at `root` (`build` and `smoke` targets, tags). */
export function trainerProject(root: string, options: ProjectOptions): ProjectConfiguration {
  const demoData = `${SMOKE_OUT}/demo-data`;
  const data = options.task === 'image' ? demoData : `${demoData}/train.csv`;
  return {
    root,
    projectType: 'application',
    tags: ['type:trainer', `framework:${options.framework}`],
    targets: {
      build: {
        executor: 'nx:run-commands',
        options: {
          cwd: '{projectRoot}',
          command: `${TARGET_PYTHON} setup.py -q sdist --formats=gztar --dist-dir dist`,
        },
        inputs: SOURCES,
        outputs: ['{projectRoot}/dist'],
        cache: true,
      },
      smoke: {
        executor: 'nx:run-commands',
        options: {
          cwd: '{projectRoot}',
          commands: [
            `${TARGET_PYTHON} -m trainer.demo_data --out ${demoData} --rows 200`,
            `${TARGET_PYTHON} -m trainer.task --data ${data}`,
          ],
          parallel: false,
        },
        inputs: SOURCES,
        outputs: [`{projectRoot}/${SMOKE_OUT}`],
        cache: true,
      },
    },
  };
}

/**
 * Registers the package at `root` as the Nx project `name`, unless `root` already has a project.json (the
 * user's, kept as is). A project of that name elsewhere is an error: Nx needs unique names.
 */
export function registerTrainerProject(tree: Tree, root: string, options: ProjectOptions): void {
  if (tree.exists(posix.join(root, 'project.json'))) return;
  const existing = getProjects(tree).get(options.name);
  if (existing?.root === root) return; // registered another way (a package.json), kept as is
  if (existing) {
    throw new TrainerOptionsError(
      'name',
      `the Nx project ${options.name} already exists at ${existing.root}`,
      'Choose another name, or pass --directory to regenerate that project in place with --overwrite',
    );
  }
  addProjectConfiguration(tree, options.name, trainerProject(root, options));
}
