import { ValidationError } from '@terra-vertex/core';
import { describe, expect, it } from 'vitest';
import { mlFunctionSql } from './functions.ts';
import { parseModelRef, parseTableRef, quoteColumn, validateProjectId } from './identifiers.ts';
import { renderOptions } from './option-values.ts';
import { MODEL_TYPES, optionNames } from './options.ts';
import { createModelSql, selectRows } from './sql.ts';

const T = 'my-project.samples.breast_cancer';
const thrown = (f: () => unknown): ValidationError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
};

describe('identifiers', () => {
  it('parses and quotes project.dataset.table and dataset.table with a default project', () => {
    expect(parseTableRef(T)).toEqual({
      projectId: 'my-project',
      datasetId: 'samples',
      tableId: 'breast_cancer',
    });
    expect(parseTableRef('`my-project.samples.t-1 x`')).toMatchObject({ tableId: 't-1 x' });
    expect(parseTableRef('samples.t', 'table', 'demo-terra-vertex').projectId).toBe('demo-terra-vertex');
    expect(parseTableRef('example.com:my-proj.d.t').projectId).toBe('example.com:my-proj');
    expect(parseModelRef('d.m', 'model', 'demo-x')).toEqual({
      projectId: 'demo-x',
      datasetId: 'd',
      modelId: 'm',
    });
    expect(selectRows({ table: T }).query).toBe('SELECT * FROM `my-project.samples.breast_cancer`');
  });

  it('refuses crafted table, dataset, model and project names, naming the field', () => {
    const e = thrown(() => parseTableRef('my-project.samples.t` ; DROP TABLE x; --'));
    expect(e.field).toBe('table');
    expect(e.message).toMatch(/backtick/);
    expect(thrown(() => parseTableRef('my-project.samples.t; DROP TABLE x')).message).toMatch(
      /not a valid table id/,
    );
    expect(thrown(() => parseTableRef('my-project.sam-ples.t')).message).toMatch(/not a valid dataset id/);
    expect(thrown(() => parseTableRef('t')).message).toMatch(/project\.dataset\.table/);
    expect(thrown(() => parseTableRef('d.t')).message).toMatch(/names no project/);
    expect(thrown(() => parseModelRef('my-project.d.m-1')).field).toBe('model');
    expect(thrown(() => parseTableRef('My_Project.d.t')).message).toMatch(/project id/);
    expect(thrown(() => parseTableRef('my-project.d.t\\')).message).toMatch(/backslash/);
    expect(thrown(() => validateProjectId('a`b')).field).toBe('project');
    expect(
      thrown(() =>
        parseTableRef({ projectId: 'my-project', datasetId: 'd', tableId: 'x`y' }, 'evaluationTable'),
      ).field,
    ).toBe('evaluationTable.tableId');
  });

  it('refuses crafted column names and quotes good ones', () => {
    expect(quoteColumn('mean_radius')).toBe('`mean_radius`');
    expect(thrown(() => quoteColumn('a) OR (1=1', 'features[0]')).field).toBe('features[0]');
    expect(thrown(() => selectRows({ table: T, columns: ['a', 'b` FROM x --'] })).field).toBe('columns[1]');
    expect(thrown(() => selectRows({ table: T, where: { 'x = 1 OR y': 1 } })).field).toBe('where.x = 1 OR y');
    expect(
      thrown(() =>
        createModelSql({
          model: 'p-roject.d.m',
          modelType: 'LINEAR_REG',
          input: { table: T },
          label: "y'--",
        }),
      ).field,
    ).toBe('label');
  });

  it('sends filter values, quotes and all, as query parameters', () => {
    const q = selectRows({
      table: T,
      columns: ['mean_radius'],
      where: { diagnosis: "o'brien\\'; DROP TABLE x; --", n: 3 },
      limit: 10,
    });
    expect(q.query).toBe(
      'SELECT `mean_radius` FROM `my-project.samples.breast_cancer` WHERE `diagnosis` = @w0 AND `n` = @w1 LIMIT 10',
    );
    expect(q.params).toEqual({ w0: "o'brien\\'; DROP TABLE x; --", w1: 3 });
    expect(thrown(() => selectRows({ table: T, limit: 1.5 })).field).toBe('limit');
    expect(thrown(() => selectRows({ table: T, where: { a: Number.NaN } })).field).toBe('where.a');
  });
});

describe('CREATE MODEL', () => {
  it('builds the statement with the label as input_label_cols and features quoted', () => {
    const q = createModelSql({
      model: 'my-project.samples.bc_logreg',
      modelType: 'logistic_reg',
      label: 'diagnosis',
      input: { table: T, columns: ['mean_radius', 'mean_texture'], where: { split: 'train' } },
      options: { l2_reg: 0.1, max_iterations: 10, data_split_method: 'no_split', auto_class_weights: true },
    });
    expect(q.query).toBe(
      'CREATE OR REPLACE MODEL `my-project.samples.bc_logreg`\n' +
        "OPTIONS(model_type = 'LOGISTIC_REG', l2_reg = 0.1, max_iterations = 10, data_split_method = 'NO_SPLIT', auto_class_weights = TRUE, input_label_cols = ['diagnosis'])\n" +
        'AS SELECT `mean_radius`, `mean_texture`, `diagnosis` FROM `my-project.samples.breast_cancer` WHERE `split` = @w0',
    );
    expect(q.params).toEqual({ w0: 'train' });
    const km = createModelSql({
      model: 'p-roject.d.km',
      modelType: 'KMEANS',
      input: { table: T },
      mode: 'if-not-exists',
      options: { num_clusters: 3 },
    });
    expect(km.query).toMatch(
      /^CREATE MODEL IF NOT EXISTS `p-roject\.d\.km`\nOPTIONS\(model_type = 'KMEANS', num_clusters = 3\)\nAS SELECT \* FROM/,
    );
  });

  it('requires a label for supervised models and refuses one for unsupervised ones', () => {
    expect(
      thrown(() => createModelSql({ model: 'p-roject.d.m', modelType: 'LINEAR_REG', input: { table: T } }))
        .field,
    ).toBe('label');
    expect(
      thrown(() =>
        createModelSql({ model: 'p-roject.d.m', modelType: 'PCA', input: { table: T }, label: 'y' }),
      ).field,
    ).toBe('label');
    expect(
      thrown(() => createModelSql({ model: 'p-roject.d.m', modelType: 'ARIMA_PLUS', input: { table: T } }))
        .message,
    ).toMatch(/LOGISTIC_REG/);
  });

  it('renders every option type as a checked literal', () => {
    expect(
      renderOptions('BOOSTED_TREE_CLASSIFIER', {
        EARLY_STOP: 'false', // bool from a string (CLI)
        max_tree_depth: '4', // int
        subsample: 0.8, // float in [0, 1]
        booster_type: 'dart', // enum
        xgboost_version: '1.1',
        data_split_col: 'is_eval', // column
        input_label_cols: 'diagnosis', // columns
        class_weights: { benign: 1, malignant: 2.5 },
        vertex_ai_model_id: 'bc_model', // pattern
      }),
    ).toBe(
      "OPTIONS(model_type = 'BOOSTED_TREE_CLASSIFIER', early_stop = FALSE, max_tree_depth = 4, subsample = 0.8, booster_type = 'DART', xgboost_version = '1.1', data_split_col = 'is_eval', input_label_cols = ['diagnosis'], class_weights = [STRUCT('benign', 1), STRUCT('malignant', 2.5)], vertex_ai_model_id = 'bc_model')",
    );
    expect(renderOptions('DNN_REGRESSOR', { hidden_units: [64, 32], optimizer: 'adam' })).toBe(
      "OPTIONS(model_type = 'DNN_REGRESSOR', hidden_units = [64, 32], optimizer = 'ADAM')",
    );
    expect(renderOptions('AUTOENCODER', { hidden_units: '[8,2,8]', class_weights: undefined })).toContain(
      'hidden_units = [8, 2, 8]',
    );
    expect(renderOptions('LOGISTIC_REG', { class_weights: 'benign:1,malignant:2' })).toContain(
      "class_weights = [STRUCT('benign', 1), STRUCT('malignant', 2)]",
    );
  });

  it('refuses bad option values and unknown options, listing the valid ones', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['LINEAR_REG', { l2_reg: Number.POSITIVE_INFINITY }, /options\.l2_reg: .* not a finite number/],
      ['LINEAR_REG', { l1_reg: -1 }, /out of range/],
      ['LINEAR_REG', { max_iterations: 2.5 }, /not an integer/],
      ['LINEAR_REG', { early_stop: 'yes' }, /not a boolean/],
      [
        'LINEAR_REG',
        { optimize_strategy: "NORMAL_EQUATION') --" },
        /Use one of AUTO_STRATEGY, BATCH_GRADIENT_DESCENT, NORMAL_EQUATION/,
      ],
      ['LINEAR_REG', { input_label_cols: ["y'] --"] }, /options\.input_label_cols\[0\]/],
      ['LINEAR_REG', { data_split_col: 'a b' }, /options\.data_split_col/],
      ['LOGISTIC_REG', { class_weights: { "a')--": 1 } }, /options\.class_weights/],
      ['DNN_CLASSIFIER', { hidden_units: [64, 0] }, /options\.hidden_units\[1\]/],
      ['KMEANS', { num_clusters: 1 }, /from 2 to 100/],
      ['PCA', { vertex_ai_model_id: "x'" }, /not allowed/],
      ['KMEANS', { model_type: 'PCA' }, /duplicates modelType/],
    ];
    for (const [type, options, re] of cases)
      expect(
        () => renderOptions(type as 'LINEAR_REG', options as Record<string, string>),
        JSON.stringify(options),
      ).toThrow(re);
    const e = thrown(() => renderOptions('KMEANS', { l2_reg: 1 }));
    expect(e.field).toBe('options.l2_reg');
    expect(e.message).toContain(`Valid options: ${optionNames('KMEANS').join(', ')}.`);
    expect(e.message).toContain('num_clusters');
  });

  it('knows the options of every model type', () => {
    for (const t of MODEL_TYPES) expect(optionNames(t).length).toBeGreaterThan(5);
    expect(optionNames('LINEAR_REG')).not.toContain('auto_class_weights');
    expect(optionNames('LOGISTIC_REG')).toContain('auto_class_weights');
    expect(optionNames('BOOSTED_TREE_REGRESSOR')).toContain('max_tree_depth');
    expect(optionNames('PCA')).toContain('num_principal_components');
    expect(optionNames('AUTOENCODER')).toContain('l1_reg_activation');
  });
});

describe('ML functions', () => {
  it('passes STRUCT settings as typed parameters', () => {
    const q = mlFunctionSql(
      'EXPLAIN_PREDICT',
      'my-project.samples.m',
      { table: T, where: { diagnosis: "it's" }, limit: 5 },
      { top_k_features: 3, threshold: 0.4 },
    );
    expect(q.query).toBe(
      'SELECT * FROM ML.EXPLAIN_PREDICT(MODEL `my-project.samples.m`, (SELECT * FROM `my-project.samples.breast_cancer` WHERE `diagnosis` = @w0 LIMIT 5), STRUCT(3 AS top_k_features, 0.4 AS threshold))',
    );
    expect(q.params).toEqual({ w0: "it's" });
    expect(mlFunctionSql('EVALUATE', 'd.m', undefined, {}, 'demo-x').query).toBe(
      'SELECT * FROM ML.EVALUATE(MODEL `demo-x.d.m`)',
    );
    expect(
      mlFunctionSql('GLOBAL_EXPLAIN', 'p-roject.d.m', undefined, { class_level_explain: true }).query,
    ).toBe('SELECT * FROM ML.GLOBAL_EXPLAIN(MODEL `p-roject.d.m`, STRUCT(TRUE AS class_level_explain))');
  });

  it('refuses settings and inputs a function does not take', () => {
    expect(
      thrown(() => mlFunctionSql('PREDICT', 'p-roject.d.m', { table: T }, { top_k: 1 })).message,
    ).toContain('Valid settings: threshold, keep_original_columns.');
    expect(thrown(() => mlFunctionSql('PREDICT', 'p-roject.d.m', { table: T }, { threshold: 2 })).field).toBe(
      'settings.threshold',
    );
    expect(thrown(() => mlFunctionSql('TRAINING_INFO', 'p-roject.d.m', { table: T })).field).toBe('table');
    expect(thrown(() => mlFunctionSql('PREDICT', 'p-roject.d.m')).field).toBe('table');
    expect(thrown(() => mlFunctionSql('PREDICT', 'p-roject.d.m`) --', { table: T })).field).toBe('model');
  });
});
