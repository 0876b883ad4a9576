/**
 * Safe SQL for BigQuery ML: identifiers validated and backtick-quoted, OPTIONS values rendered from a
 * strict per-option allow-list (BigQuery takes no query parameters in OPTIONS), and every other value
 * passed as a query parameter.
 */
import {
  invalid as fail,
  type ModelRef,
  parseModelRef,
  parseTableRef,
  quoteColumn,
  quoteModel,
  quoteTable,
  type TableRef,
  validateColumn,
} from './identifiers.ts';
import { renderNumber, renderOptions, validateModelType } from './option-values.ts';
import { type ModelType, type OptionInput, UNSUPERVISED_MODEL_TYPES } from './options.ts';

/** A query with its named parameters (and their BigQuery types where inference is not enough). */
export interface SqlQuery {
  query: string;
  params: Record<string, string | number | boolean>;
  types: Record<string, string>;
}

/** Equality filters on columns: `{species: 'setosa'}` → ``WHERE `species` = @w0``. */
export type RowFilter = Record<string, string | number | boolean>;

/** Input rows of an ML function or CREATE MODEL: a table, optionally some columns, filters and a limit. */
export interface InputRows {
  table: string | TableRef;
  /** Columns to select (default every column, `*`). */
  columns?: string[];
  where?: RowFilter;
  /** At most this many rows (a validated integer literal). */
  limit?: number;
}

/** `SELECT cols FROM table [WHERE col = @w0 …] [LIMIT n]` with its parameters. */
export function selectRows(input: InputRows, defaultProject?: string, prefix = 'w'): SqlQuery {
  const table = parseTableRef(input.table, 'table', defaultProject);
  const cols = input.columns?.length
    ? input.columns.map((c, i) => quoteColumn(c, `columns[${i}]`)).join(', ')
    : '*';
  const params: SqlQuery['params'] = {};
  const where = Object.entries(input.where ?? {}).map(([col, value], i) => {
    if (
      !['string', 'number', 'boolean'].includes(typeof value) ||
      (typeof value === 'number' && !Number.isFinite(value))
    )
      fail(`where.${col}`, value, 'is not a string, finite number or boolean', 'Filter on a scalar value.');
    params[`${prefix}${i}`] = value;
    return `${quoteColumn(col, `where.${col}`)} = @${prefix}${i}`;
  });
  let query = `SELECT ${cols} FROM ${quoteTable(table)}`;
  if (where.length) query += ` WHERE ${where.join(' AND ')}`;
  if (input.limit !== undefined)
    query += ` LIMIT ${renderNumber('limit', { type: 'int', min: 0 }, input.limit)}`;
  return { query, params, types: {} };
}

/** What {@link createModelSql} needs. */
export interface CreateModelSpec {
  model: string | ModelRef;
  modelType: ModelType | string;
  /** Training rows. With `columns`, the label is added to them when missing. */
  input: InputRows;
  /** The label column (required for supervised models; becomes `input_label_cols`). */
  label?: string;
  options?: Record<string, OptionInput | undefined>;
  /** `CREATE OR REPLACE MODEL` (default) or `CREATE MODEL IF NOT EXISTS`. */
  mode?: 'replace' | 'if-not-exists' | 'create';
}

/** `CREATE OR REPLACE MODEL \`p.d.m\` OPTIONS(...) AS SELECT …` with its parameters. */
export function createModelSql(spec: CreateModelSpec, defaultProject?: string): SqlQuery {
  const modelType = validateModelType(spec.modelType);
  const model = parseModelRef(spec.model, 'model', defaultProject);
  const options = { ...(spec.options ?? {}) };
  const supervised = !UNSUPERVISED_MODEL_TYPES.includes(modelType);
  const hasLabelOption = Object.keys(options).some((k) => k.toLowerCase() === 'input_label_cols');
  if (supervised && spec.label === undefined && !hasLabelOption)
    fail(
      'label',
      spec.label,
      `is missing: ${modelType} learns a label`,
      'Name the label column (label: "diagnosis").',
    );
  if (!supervised && spec.label !== undefined)
    fail('label', spec.label, `is given but ${modelType} is unsupervised`, 'Leave the label out.');
  if (spec.label !== undefined) {
    validateColumn(spec.label, 'label');
    if (!hasLabelOption) options.input_label_cols = [spec.label];
  }
  const columns =
    spec.input.columns?.length && spec.label && !spec.input.columns.includes(spec.label)
      ? [...spec.input.columns, spec.label]
      : spec.input.columns;
  const rows = selectRows({ ...spec.input, ...(columns ? { columns } : {}) }, defaultProject);
  const head = {
    replace: 'CREATE OR REPLACE MODEL',
    'if-not-exists': 'CREATE MODEL IF NOT EXISTS',
    create: 'CREATE MODEL',
  }[spec.mode ?? 'replace'];
  return {
    ...rows,
    query: `${head} ${quoteModel(model)}\n${renderOptions(modelType, options)}\nAS ${rows.query}`,
  };
}
