/**
 * OPTIONS values rendered as SQL literals (BigQuery takes no query parameters inside OPTIONS): each value is
 * checked against its option's spec (finite numbers in range, booleans, enum members, allow-listed strings,
 * validated column names) before it is written.
 */
import { invalid as fail, validateColumn } from './identifiers.ts';
import {
  MODEL_TYPES,
  type ModelType,
  type OptionInput,
  type OptionSpec,
  optionNames,
  optionsOf,
} from './options.ts';

/** A single-quoted SQL string for text already restricted to safe characters. */
function literal(text: string): string {
  if (/['\\\n\r\0]/.test(text)) throw new Error(`internal: unsafe literal ${JSON.stringify(text)}`);
  return `'${text}'`;
}

/** A finite number within the spec's range, as SQL. */
export function renderNumber(field: string, spec: OptionSpec, v: unknown): string {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n))
    fail(field, v, 'is not a finite number', `Give a number${rangeText(spec)}.`);
  if (spec.type === 'int' && !Number.isInteger(n))
    fail(field, v, 'is not an integer', `Give a whole number${rangeText(spec)}.`);
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
    fail(field, v, 'is out of range', `Give a number${rangeText(spec)}.`);
  return String(n);
}

function rangeText(spec: OptionSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return ` of at least ${spec.min}`;
  return '';
}

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string')
    return v
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((s) => s.trim().replace(/^'(.*)'$/, '$1'))
      .filter(Boolean);
  return [v];
}

/** Renders one validated OPTIONS value as a SQL literal. */
export function renderOptionValue(name: string, spec: OptionSpec, value: unknown): string {
  const field = `options.${name}`;
  switch (spec.type) {
    case 'bool': {
      const b =
        value === 'true' || value === 'TRUE' ? true : value === 'false' || value === 'FALSE' ? false : value;
      if (typeof b !== 'boolean') fail(field, value, 'is not a boolean', 'Give true or false.');
      return b ? 'TRUE' : 'FALSE';
    }
    case 'int':
    case 'float':
      return renderNumber(field, spec, value);
    case 'enum': {
      const up = typeof value === 'string' ? value.toUpperCase() : value;
      if (typeof up !== 'string' || !spec.values!.includes(up))
        fail(field, value, 'is not allowed', `Use one of ${spec.values!.join(', ')}.`);
      return literal(up);
    }
    case 'pattern': {
      if (typeof value !== 'string' || !spec.pattern!.test(value) || /['\\]/.test(value))
        fail(field, value, 'is not allowed', `Use ${spec.hint}.`);
      return literal(value);
    }
    case 'column':
      return literal(validateColumn(value, field));
    case 'columns': {
      const cols = listOf(value).map((c, i) => literal(validateColumn(c, `${field}[${i}]`)));
      if (cols.length === 0) fail(field, value, 'is empty', 'Give at least one column name.');
      return `[${cols.join(', ')}]`;
    }
    case 'ints': {
      const ints = listOf(value).map((n, i) => renderNumber(`${field}[${i}]`, { type: 'int', min: 1 }, n));
      if (ints.length === 0)
        fail(field, value, 'is empty', 'Give at least one positive integer, e.g. [64, 32].');
      return `[${ints.join(', ')}]`;
    }
    case 'weights': {
      const record = typeof value === 'string' ? parseWeights(field, value) : value;
      if (!record || typeof record !== 'object' || Array.isArray(record))
        fail(field, value, 'is not a label → weight record', 'Give e.g. {"benign": 1, "malignant": 2}.');
      const entries = Object.entries(record as Record<string, unknown>).map(([label, w]) => {
        if (!/^[\p{L}\p{N}_ .:/-]{1,128}$/u.test(label))
          fail(
            `${field}.${label}`,
            label,
            'is not a label this toolkit quotes',
            'Use letters, digits, spaces and _ . : / -.',
          );
        return `STRUCT(${literal(label)}, ${renderNumber(`${field}.${label}`, { type: 'float', min: 0 }, w)})`;
      });
      return `[${entries.join(', ')}]`;
    }
  }
}

function parseWeights(field: string, text: string): Record<string, number> {
  try {
    return JSON.parse(text) as Record<string, number>;
  } catch {
    return Object.fromEntries(
      text.split(',').map((kv) => {
        const [k, v] = kv.split(':');
        if (!k || v === undefined)
          fail(field, text, 'is not label:weight,…', 'Write it as benign:1,malignant:2.');
        return [k.trim(), Number(v)];
      }),
    );
  }
}

/** Checks a model type, naming the valid ones. */
export function validateModelType(modelType: unknown): ModelType {
  const up = typeof modelType === 'string' ? modelType.toUpperCase() : modelType;
  if (!MODEL_TYPES.includes(up as ModelType))
    fail('modelType', modelType, 'is not a supported model type', `Use one of ${MODEL_TYPES.join(', ')}.`);
  return up as ModelType;
}

/**
 * The `OPTIONS(...)` clause for a model type: `model_type` first, then each option validated against the
 * model type's allow-list and rendered as a literal. Unknown option names are refused with the valid list.
 */
export function renderOptions(
  modelType: ModelType,
  options: Record<string, OptionInput | undefined> = {},
): string {
  const specs = optionsOf(modelType);
  const parts = [`model_type = ${literal(modelType)}`];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const name = key.toLowerCase();
    if (name === 'model_type')
      fail(`options.${key}`, value, 'duplicates modelType', 'Give the model type as modelType only.');
    const spec = specs[name];
    if (!spec)
      fail(
        `options.${key}`,
        key,
        `is not an option of ${modelType}`,
        `Valid options: ${optionNames(modelType).join(', ')}.`,
      );
    parts.push(`${name} = ${renderOptionValue(name, spec, value)}`);
  }
  return `OPTIONS(${parts.join(', ')})`;
}
