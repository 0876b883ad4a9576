import { ValidationError } from '../errors.ts';

/** Scales of the Python SDK (`linear`, `log`, `reverse_log`). */
export type ParameterScale = 'linear' | 'log' | 'reverse_log';

/** The conditional children a parameter may have. @inline */
interface Conditional {
  /** Children that apply only when this parameter takes one of their `parentValues`. */
  conditionalParameterSpec?: Record<string, ParameterSpec & { parentValues: (number | string)[] }>;
}

/** A tuned hyperparameter, as the Python SDK's `hpt.*ParameterSpec` classes describe it. */
export type ParameterSpec =
  | ({ type: 'double'; min: number; max: number; scale?: ParameterScale } & Conditional)
  | ({ type: 'integer'; min: number; max: number; scale?: ParameterScale } & Conditional)
  | ({ type: 'categorical'; values: string[] } & Conditional)
  | ({ type: 'discrete'; values: number[]; scale?: ParameterScale } & Conditional);

/** `DoubleParameterSpec(min, max, scale)`. */
export const doubleParameter = (
  min: number,
  max: number,
  scale: ParameterScale = 'linear',
  extra: Conditional = {},
): ParameterSpec => ({ type: 'double', min, max, scale, ...extra });
/** `IntegerParameterSpec(min, max, scale)`. */
export const integerParameter = (
  min: number,
  max: number,
  scale: ParameterScale = 'linear',
  extra: Conditional = {},
): ParameterSpec => ({ type: 'integer', min, max, scale, ...extra });
/** `CategoricalParameterSpec(values)`. */
export const categoricalParameter = (values: string[], extra: Conditional = {}): ParameterSpec => ({
  type: 'categorical',
  values,
  ...extra,
});
/** `DiscreteParameterSpec(values, scale)`. */
export const discreteParameter = (
  values: number[],
  scale: ParameterScale = 'linear',
  extra: Conditional = {},
): ParameterSpec => ({ type: 'discrete', values, scale, ...extra });

const SCALES: Record<ParameterScale, string> = {
  linear: 'UNIT_LINEAR_SCALE',
  log: 'UNIT_LOG_SCALE',
  reverse_log: 'UNIT_REVERSE_LOG_SCALE',
};
const ID = /^[A-Za-z_][\w.-]*$/;

/** `StudySpec.parameters` (proto3 JSON) from a parameter map, validated, in insertion order. */
export function buildParameterSpecs(
  specs: Record<string, ParameterSpec>,
  field = 'parameterSpec',
  seen = new Set<string>(),
): Record<string, unknown>[] {
  const entries = Object.entries(specs);
  if (field === 'parameterSpec' && entries.length === 0) {
    throw new ValidationError(
      field,
      'has no parameters',
      "Give at least one, e.g. { lr: doubleParameter(1e-4, 1e-1, 'log') }.",
    );
  }
  return entries.map(([id, spec]) => buildOne(id, spec, `${field}.${id}`, seen));
}

function buildOne(
  id: string,
  spec: ParameterSpec,
  field: string,
  seen: Set<string>,
): Record<string, unknown> {
  if (!ID.test(id))
    throw new ValidationError(
      field,
      `${JSON.stringify(id)} is not a valid parameter id`,
      'Use letters, digits, "_", "-" or "." without spaces.',
    );
  if (seen.has(id))
    throw new ValidationError(
      field,
      `the parameter id ${id} is used twice`,
      'Give every parameter, conditional ones included, its own id.',
    );
  seen.add(id);
  const out: Record<string, unknown> = { parameterId: id };
  const scale = 'scale' in spec ? spec.scale : undefined;
  if (scale !== undefined && !(scale in SCALES))
    throw new ValidationError(
      `${field}.scale`,
      `unknown scale ${JSON.stringify(scale)}`,
      "Use 'linear', 'log' or 'reverse_log'.",
    );
  if (spec.type === 'double' || spec.type === 'integer') {
    checkRange(spec.min, spec.max, field, spec.type === 'integer', scale);
    if (scale) out.scaleType = SCALES[scale];
    out[spec.type === 'double' ? 'doubleValueSpec' : 'integerValueSpec'] =
      spec.type === 'double'
        ? { minValue: spec.min, maxValue: spec.max }
        : { minValue: String(spec.min), maxValue: String(spec.max) };
  } else if (spec.type === 'categorical') {
    if (!spec.values?.length)
      throw new ValidationError(`${field}.values`, 'is empty', "Give the categories, e.g. ['adam', 'sgd'].");
    if (new Set(spec.values).size !== spec.values.length)
      throw new ValidationError(`${field}.values`, 'has duplicates', 'List each category once.');
    out.categoricalValueSpec = { values: spec.values };
  } else if (spec.type === 'discrete') {
    checkDiscrete(spec.values, field, scale);
    if (scale) out.scaleType = SCALES[scale];
    out.discreteValueSpec = { values: spec.values };
  } else {
    throw new ValidationError(
      `${field}.type`,
      `unknown parameter type ${JSON.stringify((spec as { type: unknown }).type)}`,
      "Use 'double', 'integer', 'categorical' or 'discrete' (or the *Parameter helpers).",
    );
  }
  const children = Object.entries(spec.conditionalParameterSpec ?? {});
  if (children.length) {
    const parentKey =
      spec.type === 'discrete'
        ? 'parentDiscreteValues'
        : spec.type === 'integer'
          ? 'parentIntValues'
          : spec.type === 'categorical'
            ? 'parentCategoricalValues'
            : undefined;
    if (!parentKey) {
      throw new ValidationError(
        `${field}.conditionalParameterSpec`,
        'a double parameter cannot be a parent',
        'Make the parent integer, discrete or categorical.',
      );
    }
    out.conditionalParameterSpecs = children.map(([childId, child]) => {
      if (!child.parentValues?.length) {
        throw new ValidationError(
          `${field}.conditionalParameterSpec.${childId}.parentValues`,
          'is empty',
          'List the parent values for which the child applies.',
        );
      }
      const values =
        parentKey === 'parentIntValues' ? child.parentValues.map((v) => String(v)) : child.parentValues;
      return {
        [parentKey]: { values },
        parameterSpec: buildOne(childId, child, `${field}.conditionalParameterSpec.${childId}`, seen),
      };
    });
  }
  return out;
}

function checkRange(min: number, max: number, field: string, integer: boolean, scale?: ParameterScale): void {
  for (const [k, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw new ValidationError(
        `${field}.${k}`,
        `must be a${integer ? 'n integer' : ' finite number'}, got ${JSON.stringify(v)}`,
        'Give the bound as a number.',
      );
    }
  }
  if (min > max) throw new ValidationError(field, `min ${min} > max ${max}`, 'Swap the bounds.');
  if (min === max)
    throw new ValidationError(
      field,
      `the range [${min}, ${max}] is empty`,
      'Widen it, or fix the value in the trainer instead of tuning it.',
    );
  if ((scale === 'log' || scale === 'reverse_log') && min <= 0) {
    throw new ValidationError(
      `${field}.min`,
      `a ${scale} scale needs min > 0, got ${min}`,
      "Use a positive minimum, or the 'linear' scale.",
    );
  }
}

function checkDiscrete(values: number[], field: string, scale?: ParameterScale): void {
  if (!values?.length)
    throw new ValidationError(`${field}.values`, 'is empty', 'Give the values, e.g. [16, 32, 64].');
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!))
      throw new ValidationError(
        `${field}.values`,
        'must be strictly increasing',
        'Sort them and drop duplicates.',
      );
  }
  if ((scale === 'log' || scale === 'reverse_log') && values[0]! <= 0) {
    throw new ValidationError(
      `${field}.values`,
      `a ${scale} scale needs positive values`,
      "Drop values ≤ 0, or use the 'linear' scale.",
    );
  }
}
