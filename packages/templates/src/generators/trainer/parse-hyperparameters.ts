/** Parse the generator's `--hyperparameters` value: JSON, or compact `name:type:…` entries. */
import { TrainerOptionsError } from '../../errors.ts';
import type { HyperparameterScale, HyperparameterSpec, HyperparameterType } from '../../options.ts';

const SCALES = ['linear', 'log', 'reverse_log'];
const ENTRY_HELP =
  'Use name:type:min:max[:default][:scale] (e.g. learning_rate:double:0.0001:0.1:0.01:log), ' +
  'name:categorical:a|b|c[:default] or name:discrete:16|32|64[:default], or a JSON array';

function number(entry: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new TrainerOptionsError(
      'hyperparameters',
      `${JSON.stringify(text)} in ${entry} is not a number`,
      ENTRY_HELP,
    );
  }
  return value;
}

/** Parse one `name:type:…` entry. */
export function parseHyperparameterEntry(entry: string): HyperparameterSpec {
  const [name = '', type = '', ...rest] = entry.split(':');
  if (!name || !type) {
    throw new TrainerOptionsError('hyperparameters', `${JSON.stringify(entry)} has no name:type`, ENTRY_HELP);
  }
  const scaleAt = rest.findIndex((t) => SCALES.includes(t));
  const scale = scaleAt >= 0 ? (rest.splice(scaleAt, 1)[0] as HyperparameterScale) : undefined;
  const spec: HyperparameterSpec = { name, type: type as HyperparameterType };
  if (type === 'categorical' || type === 'discrete') {
    const [values = '', dflt, ...extra] = rest;
    if (!values || extra.length > 0) {
      throw new TrainerOptionsError('hyperparameters', `${JSON.stringify(entry)} is malformed`, ENTRY_HELP);
    }
    const list = values.split('|');
    spec.values = type === 'categorical' ? list : list.map((v) => number(entry, v));
    if (dflt !== undefined) spec.default = type === 'categorical' ? dflt : number(entry, dflt);
  } else {
    const [min, max, dflt, ...extra] = rest;
    if (min === undefined || max === undefined || extra.length > 0) {
      throw new TrainerOptionsError('hyperparameters', `${JSON.stringify(entry)} is malformed`, ENTRY_HELP);
    }
    spec.min = number(entry, min);
    spec.max = number(entry, max);
    if (dflt !== undefined) spec.default = number(entry, dflt);
  }
  if (scale) spec.scale = scale;
  return spec;
}

function parseJson(text: string): HyperparameterSpec[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TrainerOptionsError(
      'hyperparameters',
      `invalid JSON (${(error as Error).message})`,
      ENTRY_HELP,
    );
  }
  const list = Array.isArray(value) ? value : [value];
  return list as HyperparameterSpec[];
}

/**
 * Hyperparameter specs from the generator option: a JSON array (or object), or entries separated by
 * commas or whitespace, given as one string or a list of strings.
 */
export function parseHyperparameters(input: string | readonly string[] | undefined): HyperparameterSpec[] {
  if (input === undefined) return [];
  const parts = typeof input === 'string' ? [input] : input;
  return parts.flatMap((part) => {
    const text = part.trim();
    if (text.startsWith('[') || text.startsWith('{')) return parseJson(text);
    return text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(parseHyperparameterEntry);
  });
}
