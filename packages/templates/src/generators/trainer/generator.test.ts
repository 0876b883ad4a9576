import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { TrainerOptionsError } from '../../errors.ts';
import { renderTrainer } from '../../render.ts';
import { toTrainerOptions, trainerGenerator } from './generator.ts';
import { TARGET_PYTHON } from './project.ts';
import type { TrainerGeneratorSchema } from './schema.d.ts';

/** Golden output; regenerate with `npm run update-fixtures -w @terra-vertex/templates`. */
const FIXTURE = fileURLToPath(new URL('./__fixtures__/iris-trainer/', import.meta.url));
/** The generated project.json, kept beside the package: named project.json, Nx would take it for a project. */
const PROJECT_FIXTURE = fileURLToPath(new URL('./__fixtures__/iris-trainer.project.json', import.meta.url));
const UPDATE = process.env.UPDATE_FIXTURES === '1';

const SCHEMA: TrainerGeneratorSchema = {
  name: 'iris-trainer',
  framework: 'sklearn',
  metric: 'accuracy',
  hyperparameters: 'learning_rate:double:0.01:0.3:0.1:log,max_depth:integer:2:8',
};

function treeFiles(tree: Tree, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const child of tree.children(join(dir, rel))) {
      const path = rel ? `${rel}/${child}` : child;
      if (tree.isFile(join(dir, path))) out[path] = tree.read(join(dir, path), 'utf-8')!;
      else walk(path);
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function fixtureFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(FIXTURE, { recursive: true, withFileTypes: true })) {
    if (e.isFile())
      out[join(e.parentPath, e.name).slice(FIXTURE.length)] = readFileSync(
        join(e.parentPath, e.name),
        'utf8',
      );
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('@terra-vertex/templates:trainer', () => {
  it('writes exactly the golden files (formatter: none)', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await trainerGenerator(tree, SCHEMA);
    const { 'project.json': project, ...files } = treeFiles(tree, 'trainers/iris-trainer');
    if (UPDATE) {
      rmSync(FIXTURE, { recursive: true, force: true });
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(FIXTURE, path)), { recursive: true });
        writeFileSync(join(FIXTURE, path), content);
      }
      writeFileSync(PROJECT_FIXTURE, project!);
    }
    expect(Object.keys(files)).toEqual(Object.keys(fixtureFiles()));
    expect(files).toEqual(fixtureFiles());
    expect(files).toEqual(renderTrainer(toTrainerOptions(SCHEMA)));
    // Nx's JSON, formatted by the workspace's formatter (Biome here): compared as data.
    expect(JSON.parse(project!)).toEqual(JSON.parse(readFileSync(PROJECT_FIXTURE, 'utf8')));
  });

  it('registers an Nx project whose build makes the sdist and whose smoke run trains on demo data', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await trainerGenerator(tree, SCHEMA);
    const project = readProjectConfiguration(tree, 'iris-trainer');
    expect(TARGET_PYTHON).toBe('"$' + '{TVX_PYTHON:-/usr/bin/python3}"'); // a shell expansion, not a template
    expect(project.root).toBe('trainers/iris-trainer');
    expect(project.tags).toEqual(['type:trainer', 'framework:sklearn']);
    expect(project.targets?.build?.options).toEqual({
      cwd: '{projectRoot}',
      command: `${TARGET_PYTHON} setup.py -q sdist --formats=gztar --dist-dir dist`,
    });
    expect(project.targets?.build?.outputs).toEqual(['{projectRoot}/dist']);
    expect(project.targets?.smoke?.options.commands).toEqual([
      `${TARGET_PYTHON} -m trainer.demo_data --out trainer-output/demo-data --rows 200`,
      `${TARGET_PYTHON} -m trainer.task --data trainer-output/demo-data/train.csv`,
    ]);
    const images = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await trainerGenerator(images, { name: 'digits', framework: 'pytorch', task: 'image' });
    expect(readProjectConfiguration(images, 'digits').targets?.smoke?.options.commands[1]).toMatch(
      /--data trainer-output\/demo-data$/,
    );
  });

  it('keeps an existing project.json and refuses a project name that is taken elsewhere', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    tree.write('py/iris/project.json', '{"name": "mine"}');
    await trainerGenerator(tree, { ...SCHEMA, directory: 'py/iris' });
    expect(tree.read('py/iris/project.json', 'utf-8')).toBe('{"name": "mine"}');
    await trainerGenerator(tree, SCHEMA);
    await trainerGenerator(tree, { ...SCHEMA, overwrite: true });
    expect(readProjectConfiguration(tree, 'iris-trainer').root).toBe('trainers/iris-trainer');
    await expect(trainerGenerator(tree, { ...SCHEMA, directory: 'other/iris' })).rejects.toThrow(
      /name: the Nx project iris-trainer already exists at trainers\/iris-trainer/,
    );
  });

  it('is deterministic and honours --directory, JSON hyperparameters and lists of entries', async () => {
    const a = createTreeWithEmptyWorkspace({ formatter: 'none' });
    const b = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await trainerGenerator(a, { ...SCHEMA, directory: 'py/iris/' });
    await trainerGenerator(b, {
      ...SCHEMA,
      directory: 'py/iris',
      hyperparameters: JSON.stringify([
        { name: 'learning_rate', type: 'double', min: 0.01, max: 0.3, default: 0.1, scale: 'log' },
        { name: 'max_depth', type: 'integer', min: 2, max: 8 },
      ]),
    });
    expect(treeFiles(a, 'py/iris')).toEqual(treeFiles(b, 'py/iris'));
    const c = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await trainerGenerator(c, {
      ...SCHEMA,
      directory: 'py/iris',
      hyperparameters: ['learning_rate:double:0.01:0.3:0.1:log', 'max_depth:integer:2:8'],
    });
    expect(treeFiles(c, 'py/iris')).toEqual(treeFiles(a, 'py/iris'));
  });

  it('refuses to overwrite an existing package unless told to', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await trainerGenerator(tree, SCHEMA);
    await expect(trainerGenerator(tree, SCHEMA)).rejects.toThrow(TrainerOptionsError);
    await trainerGenerator(tree, { ...SCHEMA, framework: 'xgboost', overwrite: true });
    expect(tree.read('trainers/iris-trainer/trainer/task.py', 'utf-8')).toContain('FRAMEWORK = "xgboost"');
  });

  it('derives the goal from the metric and reports bad options by name', async () => {
    expect(toTrainerOptions({ name: 'x', metric: 'log_loss' }).metric).toEqual({
      id: 'log_loss',
      goal: 'minimize',
    });
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await expect(trainerGenerator(tree, { ...SCHEMA, hyperparameters: 'lr:double:1:0' })).rejects.toThrow(
      /hyperparameters\[0\]\.min: min 1 > max 0/,
    );
  });
});
