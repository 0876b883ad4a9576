/** Validation of hyperparameter specs (Vertex AI `StudySpec.ParameterSpec` rules, plus Python's). */
import { TrainerOptionsError } from './errors.ts';
import { baseFlags, RESERVED_NAMES } from './flags.ts';
import type { Framework, HyperparameterSpec, ResolvedHyperparameter } from './options.ts';
import { rejectUnknownKeys } from './options.ts';
import { isPythonIdentifier, isPythonKeyword } from './python.ts';

const TYPES = ['double', 'integer', 'categorical', 'discrete'];
const SCALES = ['linear', 'log', 'reverse_log'];
const KEYS = ['name', 'type', 'default', 'min', 'max', 'values', 'scale'];

type Spec = Record<string, unknown>;

function fail(where: string, problem: string, fix: string): never {
  throw new TrainerOptionsError(where, problem, fix);
}

function finite(where: string, value: unknown, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    fail(
      where,
      `${JSON.stringify(value)} is not ${integer ? 'an integer' : 'a finite number'}`,
      'Pass a number',
    );
  }
  return value;
}

function checkName(where: string, name: unknown, framework: Framework): string {
  if (typeof name !== 'string' || !isPythonIdentifier(name)) {
    const hint =
      typeof name === 'string' && isPythonKeyword(name)
        ? `${name} is a Python keyword; use another name (e.g. reg_${name})`
        : 'Use a Python identifier: letters, digits and _, not starting with a digit (e.g. learning_rate)';
    fail(`${where}.name`, `${JSON.stringify(name)} cannot be a flag and argparse destination`, hint);
  }
  const fixed = baseFlags(framework, 'tabular').find((f) => f.dest === name);
  if (RESERVED_NAMES.includes(name) || (fixed && !fixed.tunable)) {
    fail(`${where}.name`, `${name} is a fixed flag of the ${framework} trainer`, 'Choose another name');
  }
  return name;
}

function checkRange(where: string, spec: Spec): ResolvedHyperparameter {
  const integer = spec.type === 'integer';
  if (spec.values !== undefined) fail(`${where}.values`, `not used by ${spec.type}`, 'Use min and max');
  if (spec.min === undefined || spec.max === undefined) {
    fail(where, `${spec.type} needs min and max`, 'Pass both bounds, e.g. min: 0.0001, max: 0.1');
  }
  const min = finite(`${where}.min`, spec.min, integer);
  const max = finite(`${where}.max`, spec.max, integer);
  if (min > max) fail(`${where}.min`, `min ${min} > max ${max}`, 'Swap them, or fix the bound');
  const scale = spec.scale as string | undefined;
  if ((scale === 'log' || scale === 'reverse_log') && min <= 0) {
    fail(
      `${where}.min`,
      `${scale} scale needs min > 0, got ${min}`,
      "Raise min above 0 or use scale 'linear'",
    );
  }
  let dflt: number;
  if (spec.default === undefined) {
    const mid = scale === 'log' ? Math.sqrt(min * max) : (min + max) / 2;
    dflt = integer ? Math.round(mid) : mid;
  } else {
    dflt = finite(`${where}.default`, spec.default, integer);
    if (dflt < min || dflt > max) {
      fail(`${where}.default`, `${dflt} is outside [${min}, ${max}]`, 'Pick a default within the range');
    }
  }
  return { ...(spec as unknown as HyperparameterSpec), min, max, default: dflt };
}

function checkValues(where: string, spec: Spec): ResolvedHyperparameter {
  if (spec.min !== undefined || spec.max !== undefined) {
    fail(where, `min/max are not used by ${spec.type}`, 'List the allowed values in values');
  }
  const values = spec.values;
  if (!Array.isArray(values) || values.length === 0) {
    const example = spec.type === 'categorical' ? "['adam', 'sgd']" : '[16, 32, 64]';
    fail(`${where}.values`, `${spec.type} needs a non-empty list of values`, `Pass e.g. values: ${example}`);
  }
  if (spec.type === 'categorical') {
    if (spec.scale !== undefined) fail(`${where}.scale`, 'categorical values have no scale', 'Remove scale');
    values.forEach((v, i) => {
      if (typeof v !== 'string' || v === '')
        fail(`${where}.values[${i}]`, 'not a non-empty string', 'Use strings');
    });
    if (new Set(values).size !== values.length) fail(`${where}.values`, 'duplicate values', 'List each once');
  } else {
    values.forEach((v, i) => {
      finite(`${where}.values[${i}]`, v, false);
      if (i > 0 && v <= values[i - 1]) {
        fail(
          `${where}.values`,
          'discrete values must be strictly increasing',
          'Sort them and drop duplicates',
        );
      }
    });
  }
  const dflt =
    spec.default ?? (spec.type === 'categorical' ? values[0] : values[Math.floor(values.length / 2)]);
  if (!values.includes(dflt)) {
    fail(
      `${where}.default`,
      `${JSON.stringify(dflt)} is not one of the values`,
      `Use one of: ${values.join(', ')}`,
    );
  }
  return {
    ...(spec as unknown as HyperparameterSpec),
    values: [...values],
    default: dflt as number | string,
  };
}

/** A hyperparameter that replaces a counting flag (epochs …) must be a positive integer. */
function checkTunableFlag(where: string, hp: ResolvedHyperparameter): void {
  const numbers = hp.type === 'discrete' ? (hp.values as number[]) : [hp.min ?? 0];
  const ok =
    (hp.type === 'integer' || hp.type === 'discrete') && numbers.every((v) => Number.isInteger(v) && v >= 1);
  if (!ok) {
    fail(
      where,
      `${hp.name} replaces the --${hp.name} flag and must be a positive integer`,
      "Use type 'integer' with min >= 1",
    );
  }
}

/** Validate one spec; `where` is the option path used in errors, e.g. `hyperparameters[0]`. */
export function resolveHyperparameter(
  where: string,
  input: unknown,
  framework: Framework,
): ResolvedHyperparameter {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail(where, 'not an object', "Pass { name, type, min, max } or { name, type: 'categorical', values }");
  }
  const spec = input as Spec;
  rejectUnknownKeys(where, spec, KEYS);
  checkName(where, spec.name, framework);
  if (typeof spec.type !== 'string' || !TYPES.includes(spec.type)) {
    fail(`${where}.type`, `unknown type ${JSON.stringify(spec.type)}`, `Use one of: ${TYPES.join(', ')}`);
  }
  if (spec.scale !== undefined && (typeof spec.scale !== 'string' || !SCALES.includes(spec.scale))) {
    fail(`${where}.scale`, `unknown scale ${JSON.stringify(spec.scale)}`, `Use one of: ${SCALES.join(', ')}`);
  }
  const hp =
    spec.type === 'double' || spec.type === 'integer' ? checkRange(where, spec) : checkValues(where, spec);
  if (baseFlags(framework, 'tabular').some((f) => f.tunable && f.dest === hp.name))
    checkTunableFlag(where, hp);
  return hp;
}

/** Validate a list of specs: each one, and that names are unique. */
export function resolveHyperparameters(input: unknown, framework: Framework): ResolvedHyperparameter[] {
  if (!Array.isArray(input)) {
    throw new TrainerOptionsError('hyperparameters', 'not a list', 'Pass an array of { name, type, … }');
  }
  const seen = new Set<string>();
  return input.map((spec, i) => {
    const hp = resolveHyperparameter(`hyperparameters[${i}]`, spec, framework);
    if (seen.has(hp.name)) {
      fail(
        `hyperparameters[${i}].name`,
        `${hp.name} is defined twice`,
        'Give each hyperparameter a unique name',
      );
    }
    seen.add(hp.name);
    return hp;
  });
}
