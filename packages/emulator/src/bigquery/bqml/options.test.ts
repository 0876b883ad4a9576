import { describe, expect, it } from 'vitest';
import { BigQueryError } from '../errors.ts';
import { withDefaults } from './option-defaults.ts';
import { checkOptions } from './options.ts';

const err = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BigQueryError);
    expect((e as BigQueryError).reason).toBe('invalidQuery');
    return (e as BigQueryError).message;
  }
  throw new Error('expected an error');
};

describe('checkOptions', () => {
  it('normalises case of keys and enum values and keeps numbers and arrays', () => {
    expect(
      checkOptions({
        model_type: 'logistic_reg',
        data_split_method: 'random',
        data_split_eval_fraction: 0.3,
        input_label_cols: ['y'],
      }),
    ).toEqual({
      modelType: 'LOGISTIC_REG',
      options: { data_split_method: 'RANDOM', data_split_eval_fraction: 0.3, input_label_cols: ['y'] },
    });
  });

  it('names unknown options, the options the model type takes, and misplaced options', () => {
    expect(err(() => checkOptions({ model_type: 'KMEANS', l2_regularisation: 1 }))).toMatch(
      /^Unknown option L2_REGULARISATION for MODEL_TYPE KMEANS; the options it takes are MODEL_TYPE, MAX_ITERATIONS, .*NUM_CLUSTERS/,
    );
    expect(err(() => checkOptions({ model_type: 'KMEANS', l2_reg: 1 }))).toBe(
      'Option L2_REG does not apply to MODEL_TYPE KMEANS; remove it.',
    );
  });

  it('checks types, ranges and enums', () => {
    expect(err(() => checkOptions({ model_type: 'KMEANS', num_clusters: 1 }))).toBe(
      'Option NUM_CLUSTERS must be in [2, 100]; got 1.',
    );
    expect(err(() => checkOptions({ model_type: 'KMEANS', num_clusters: 2.5 }))).toMatch(/must be an INT64/);
    expect(err(() => checkOptions({ model_type: 'KMEANS', distance_type: 'MANHATTAN' }))).toMatch(
      /must be one of EUCLIDEAN, COSINE/,
    );
    expect(err(() => checkOptions({ model_type: 'LINEAR_REG', fit_intercept: 'yes' }))).toMatch(
      /FIT_INTERCEPT must be TRUE or FALSE/,
    );
    expect(err(() => checkOptions({ model_type: 'DNN_REGRESSOR', hidden_units: [8, 0] }))).toMatch(
      /HIDDEN_UNITS must be a non-empty ARRAY<INT64>/,
    );
    expect(
      err(() =>
        checkOptions({
          model_type: 'LOGISTIC_REG',
          data_split_method: 'RANDOM',
          data_split_eval_fraction: 1,
        }),
      ),
    ).toMatch(/\(0, 1\)/);
  });

  it('refuses unknown and unsupported model types and unsupported features clearly', () => {
    expect(err(() => checkOptions({ model_type: 'FOREST' }))).toMatch(
      /not a model type; use one of LINEAR_REG, LOGISTIC_REG/,
    );
    expect(err(() => checkOptions({ model_type: 'ARIMA_PLUS' }))).toMatch(
      /local BigQuery does not support MODEL_TYPE 'ARIMA_PLUS'/,
    );
    expect(err(() => checkOptions({ model_type: 'LINEAR_REG', num_trials: 10 }))).toMatch(
      /does not support hyperparameter tuning/,
    );
    expect(err(() => checkOptions({ model_type: 'LINEAR_REG', warm_start: true }))).toMatch(
      /does not support WARM_START/,
    );
    expect(err(() => checkOptions({}))).toMatch(/needs OPTIONS\(MODEL_TYPE/);
  });

  it('cross-checks options that depend on each other', () => {
    expect(err(() => checkOptions({ model_type: 'LINEAR_REG', learn_rate: 0.1 }))).toMatch(
      /LEARN_RATE needs LEARN_RATE_STRATEGY = 'CONSTANT'/,
    );
    expect(err(() => checkOptions({ model_type: 'LOGISTIC_REG', data_split_method: 'CUSTOM' }))).toMatch(
      /needs DATA_SPLIT_COL/,
    );
    expect(err(() => checkOptions({ model_type: 'PCA' }))).toMatch(/exactly one of NUM_PRINCIPAL_COMPONENTS/);
    expect(err(() => checkOptions({ model_type: 'AUTOENCODER', hidden_units: [4, 2] }))).toMatch(
      /odd length/,
    );
    expect(
      err(() =>
        checkOptions({ model_type: 'LOGISTIC_REG', auto_class_weights: true, class_weights: [['a', 1]] }),
      ),
    ).toMatch(/exclude each other/);
  });

  it('fills the reference defaults', () => {
    const glm = withDefaults('LOGISTIC_REG', {});
    expect(glm).toMatchObject({
      max_iterations: 20,
      l2_reg: 0,
      early_stop: true,
      min_rel_progress: 0.01,
      data_split_method: 'AUTO_SPLIT',
      input_label_cols: ['label'],
    });
    expect(withDefaults('BOOSTED_TREE_REGRESSOR', { l2_reg: 3 })).toMatchObject({
      l2_reg: 3,
      learn_rate: 0.3,
      max_tree_depth: 6,
      subsample: 1,
    });
    expect(withDefaults('KMEANS', {})).toMatchObject({
      kmeans_init_method: 'RANDOM',
      distance_type: 'EUCLIDEAN',
      standardize_features: true,
    });
  });
});
