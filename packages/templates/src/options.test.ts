import { describe, expect, it } from 'vitest';
import { TrainerOptionsError } from './errors.ts';
import type { HyperparameterSpec, TrainerOptions } from './options.ts';
import { resolveTrainerOptions } from './options.ts';

const BASE: TrainerOptions = {
  name: 'demo',
  framework: 'sklearn',
  metric: { id: 'accuracy', goal: 'maximize' },
};

function withHp(...hyperparameters: unknown[]): TrainerOptions {
  return { ...BASE, hyperparameters: hyperparameters as HyperparameterSpec[] };
}

function errorOf(options: unknown): TrainerOptionsError {
  try {
    resolveTrainerOptions(options as TrainerOptions);
  } catch (error) {
    if (error instanceof TrainerOptionsError) return error;
    throw error;
  }
  throw new Error('expected a TrainerOptionsError');
}

describe('resolveTrainerOptions', () => {
  it('fills defaults: tabular task, no hyperparameters, derived hyperparameter defaults', () => {
    expect(resolveTrainerOptions(BASE)).toEqual({ ...BASE, task: 'tabular', hyperparameters: [] });
    const hps = resolveTrainerOptions(
      withHp(
        { name: 'lr', type: 'double', min: 0.001, max: 0.1, scale: 'log' },
        { name: 'a', type: 'double', min: 0, max: 1 },
        { name: 'depth', type: 'integer', min: 2, max: 7 },
        { name: 'opt', type: 'categorical', values: ['adam', 'sgd'] },
        { name: 'units', type: 'discrete', values: [8, 16, 32, 64] },
      ),
    ).hyperparameters.map((hp) => hp.default);
    expect(hps[0]).toBeCloseTo(0.01, 12);
    expect(hps.slice(1)).toEqual([0.5, 5, 'adam', 32]);
  });

  it.each([
    [{ ...BASE, name: 'bad name' }, 'name', /Python package name/],
    [{ ...BASE, framework: 'keras' }, 'framework', /sklearn, xgboost, pytorch, tf-keras/],
    [{ ...BASE, metric: { id: 'rmse', goal: 'minimize' } }, 'metric.id', /accuracy, auc/],
    [{ ...BASE, metric: { id: 'accuracy', goal: 'minimize' } }, 'metric.goal', /Use goal 'maximize'/],
    [{ ...BASE, metric: { id: 'accuracy', goal: 'up' } }, 'metric.goal', /'maximize' or 'minimize'/],
    [{ ...BASE, task: 'image' }, 'task', /pytorch or tf-keras/],
    [{ ...BASE, hyperparameter: [] }, 'hyperparameter', /unknown option/],
    [{ ...BASE, hyperparameters: 'lr' }, 'hyperparameters', /not a list/],
  ])('rejects %j at %s', (options, option, message) => {
    const error = errorOf(options);
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ name: '1lr', type: 'double', min: 0, max: 1 }, 'hyperparameters[0].name', /Python identifier/],
    [
      { name: 'lambda', type: 'double', min: 0, max: 1 },
      'hyperparameters[0].name',
      /keyword; use another name \(e\.g\. reg_lambda\)/,
    ],
    [{ name: 'data', type: 'double', min: 0, max: 1 }, 'hyperparameters[0].name', /fixed flag/],
    [{ name: 'help', type: 'double', min: 0, max: 1 }, 'hyperparameters[0].name', /fixed flag/],
    [
      { name: 'lr', type: 'float', min: 0, max: 1 },
      'hyperparameters[0].type',
      /double, integer, categorical, discrete/,
    ],
    [{ name: 'lr', type: 'double', min: 1, max: 0 }, 'hyperparameters[0].min', /min 1 > max 0/],
    [{ name: 'lr', type: 'double', max: 1 }, 'hyperparameters[0]', /needs min and max/],
    [
      { name: 'lr', type: 'double', min: 0, max: 1, default: 2 },
      'hyperparameters[0].default',
      /outside \[0, 1\]/,
    ],
    [{ name: 'lr', type: 'double', min: 0, max: 1, scale: 'log' }, 'hyperparameters[0].min', /needs min > 0/],
    [{ name: 'lr', type: 'double', min: 0, max: 1, scale: 'ln' }, 'hyperparameters[0].scale', /linear, log/],
    [{ name: 'n', type: 'integer', min: 0.5, max: 3 }, 'hyperparameters[0].min', /not an integer/],
    [{ name: 'opt', type: 'categorical' }, 'hyperparameters[0].values', /non-empty list/],
    [{ name: 'opt', type: 'categorical', values: [] }, 'hyperparameters[0].values', /non-empty list/],
    [{ name: 'opt', type: 'categorical', values: ['a', 'a'] }, 'hyperparameters[0].values', /duplicate/],
    [
      { name: 'opt', type: 'categorical', values: ['a'], default: 'b' },
      'hyperparameters[0].default',
      /not one of/,
    ],
    [
      { name: 'opt', type: 'categorical', values: ['a'], min: 1 },
      'hyperparameters[0]',
      /min\/max are not used/,
    ],
    [{ name: 'u', type: 'discrete', values: [32, 16] }, 'hyperparameters[0].values', /strictly increasing/],
    [{ name: 'u', type: 'discrete', values: ['a'] }, 'hyperparameters[0].values[0]', /not a finite number/],
    [{ name: 'lr', type: 'double', min: 0, max: 1, step: 2 }, 'hyperparameters[0].step', /unknown option/],
  ])('rejects hyperparameter %j at %s', (hp, option, message) => {
    const error = errorOf(withHp(hp));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it('rejects duplicate names and non-integer replacements of counting flags', () => {
    const hp = { name: 'lr', type: 'double', min: 0, max: 1 };
    expect(errorOf(withHp(hp, hp)).message).toMatch(/hyperparameters\[1\]\.name: lr is defined twice/);
    const pytorch = { ...BASE, framework: 'pytorch' as const };
    expect(
      errorOf({ ...pytorch, hyperparameters: [{ name: 'epochs', type: 'double', min: 1, max: 5 }] }).message,
    ).toMatch(/must be a positive integer/);
    expect(
      resolveTrainerOptions({
        ...pytorch,
        hyperparameters: [{ name: 'batch_size', type: 'discrete', values: [16, 32] }],
      }).hyperparameters[0]?.default,
    ).toBe(32);
    // epochs is only a fixed flag of pytorch/tf-keras: sklearn may tune a hyperparameter called epochs.
    expect(
      resolveTrainerOptions(withHp({ name: 'epochs', type: 'double', min: 0, max: 1 })).hyperparameters,
    ).toHaveLength(1);
  });
});
