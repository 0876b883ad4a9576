/**
 * `SELECT * FROM ML.<FUNCTION>(MODEL \`p.d.m\`, (SELECT … FROM \`p.d.t\`), STRUCT(0.5 AS threshold))` built
 * safely: the model and table validated and quoted, the input columns quoted, filter values passed as query
 * parameters, and the STRUCT settings checked (finite numbers in range, booleans) and written as literals.
 */
import { ValidationError } from '@terra-vertex/core';
import { type ModelRef, parseModelRef, quoteModel } from './identifiers.ts';
import { type InputRows, type SqlQuery, selectRows } from './sql.ts';

/** The BigQuery ML table functions built here. */
export type MlFunction =
  | 'PREDICT'
  | 'EVALUATE'
  | 'EXPLAIN_PREDICT'
  | 'GLOBAL_EXPLAIN'
  | 'FEATURE_IMPORTANCE'
  | 'CONFUSION_MATRIX'
  | 'ROC_CURVE'
  | 'TRAINING_INFO';

type SettingType = 'FLOAT64' | 'INT64' | 'BOOL';
interface FunctionSpec {
  input: 'none' | 'optional' | 'required';
  settings: Record<string, SettingType>;
}

const FUNCTIONS: Record<MlFunction, FunctionSpec> = {
  PREDICT: { input: 'required', settings: { threshold: 'FLOAT64', keep_original_columns: 'BOOL' } },
  EVALUATE: { input: 'optional', settings: { threshold: 'FLOAT64' } },
  EXPLAIN_PREDICT: {
    input: 'required',
    settings: {
      top_k_features: 'INT64',
      threshold: 'FLOAT64',
      integrated_gradients_num_steps: 'INT64',
      approx_feature_contrib: 'BOOL',
    },
  },
  GLOBAL_EXPLAIN: { input: 'none', settings: { class_level_explain: 'BOOL' } },
  FEATURE_IMPORTANCE: { input: 'none', settings: {} },
  CONFUSION_MATRIX: { input: 'optional', settings: { threshold: 'FLOAT64' } },
  ROC_CURVE: { input: 'optional', settings: {} },
  TRAINING_INFO: { input: 'none', settings: {} },
};

/** STRUCT settings of an ML function (`threshold`, `top_k_features` …), lower-case names. */
export type MlSettings = Record<string, number | boolean | undefined>;

function settingValue(fn: MlFunction, name: string, type: SettingType, value: unknown): number | boolean {
  const field = `settings.${name}`;
  if (type === 'BOOL') {
    if (typeof value !== 'boolean')
      throw new ValidationError(field, `${JSON.stringify(value)} is not a boolean`, 'Give true or false.');
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ValidationError(field, `${JSON.stringify(value)} is not a finite number`, 'Give a number.');
  if (name === 'threshold' && (value < 0 || value > 1))
    throw new ValidationError(field, `${value} is outside [0, 1]`, `Give ML.${fn} a probability threshold.`);
  if (type === 'INT64' && (!Number.isInteger(value) || value < 1))
    throw new ValidationError(
      field,
      `${value} is not a positive integer`,
      'Give a whole number of at least 1.',
    );
  return value;
}

/**
 * A checked setting as a literal. BigQuery ML reads the STRUCT argument as constants, so settings are not sent as
 * query parameters; they are finite numbers or booleans by now, which cannot carry SQL.
 */
function settingLiteral(type: SettingType, value: number | boolean): string {
  if (type === 'BOOL') return value ? 'TRUE' : 'FALSE';
  const n = value as number;
  return type === 'FLOAT64' && Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/**
 * Builds `SELECT * FROM ML.<fn>(MODEL …[, (input)][, STRUCT(0.5 AS threshold, …)])`. Settings the function does
 * not take are refused with the list it does; so is input for functions that read none.
 */
export function mlFunctionSql(
  fn: MlFunction,
  model: string | ModelRef,
  input?: InputRows,
  settings: MlSettings = {},
  defaultProject?: string,
): SqlQuery {
  const spec = FUNCTIONS[fn];
  if (!spec)
    throw new ValidationError(
      'function',
      `${JSON.stringify(fn)} is not supported`,
      `Use one of ${Object.keys(FUNCTIONS).join(', ')}.`,
    );
  const ref = parseModelRef(model, 'model', defaultProject);
  if (input && spec.input === 'none')
    throw new ValidationError('table', `ML.${fn} reads no input rows`, 'Leave the table out.');
  if (!input && spec.input === 'required')
    throw new ValidationError('table', `ML.${fn} needs input rows`, 'Give the table to run it on.');
  const args = [`MODEL ${quoteModel(ref)}`];
  let params: SqlQuery['params'] = {};
  if (input) {
    const rows = selectRows(input, defaultProject);
    args.push(`(${rows.query})`);
    params = rows.params;
  }
  const fields: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const name = key.toLowerCase();
    const type = spec.settings[name];
    if (!type) {
      const valid = Object.keys(spec.settings);
      throw new ValidationError(
        `settings.${key}`,
        `ML.${fn} takes no setting ${JSON.stringify(key)}`,
        valid.length ? `Valid settings: ${valid.join(', ')}.` : `ML.${fn} takes no settings.`,
      );
    }
    fields.push(`${settingLiteral(type, settingValue(fn, name, type, value))} AS ${name}`);
  }
  if (fields.length) args.push(`STRUCT(${fields.join(', ')})`);
  return { query: `SELECT * FROM ML.${fn}(${args.join(', ')})`, params, types: {} };
}
