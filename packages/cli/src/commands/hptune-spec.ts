import {
  categoricalParameter,
  discreteParameter,
  doubleParameter,
  integerParameter,
  type ParameterScale,
  type ParameterSpec,
  ValidationError,
} from '@terra-vertex/core';

const SCALES = new Set(['linear', 'log', 'reverse_log']);
const FORMS =
  'NAME=double:MIN:MAX[:SCALE], NAME=integer:MIN:MAX[:SCALE], NAME=discrete:V1,V2,…[:SCALE] or NAME=categorical:A,B,… (SCALE: linear, log, reverse_log)';

function number(text: string, flag: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new ValidationError(
      flag,
      `${what} ${JSON.stringify(text)} is not a number`,
      `Write it as ${FORMS}.`,
    );
  return n;
}

function scaleOf(text: string | undefined, flag: string): ParameterScale {
  if (text === undefined) return 'linear';
  if (!SCALES.has(text))
    throw new ValidationError(
      flag,
      `unknown scale ${JSON.stringify(text)}`,
      'Use linear, log or reverse_log.',
    );
  return text as ParameterScale;
}

/**
 * `--param` values → the parameter map of a tuning job, e.g. `C=double:0.001:100:log`,
 * `max-iter=integer:50:300`, `batch=discrete:16,32,64`, `optimizer=categorical:adam,sgd`.
 * Ranges and values are checked again by core (min < max, positive log ranges …).
 */
export function parseParams(list: string[] | undefined): Record<string, ParameterSpec> {
  const specs: Record<string, ParameterSpec> = {};
  for (const entry of list ?? []) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    const flag = `--param ${name || entry}`;
    if (eq <= 0)
      throw new ValidationError('--param', `${JSON.stringify(entry)} has no NAME=`, `Write it as ${FORMS}.`);
    if (name in specs) throw new ValidationError(flag, 'is given twice', 'Give each parameter once.');
    const [type, ...rest] = entry.slice(eq + 1).split(':');
    if (type === 'double' || type === 'integer') {
      if (rest.length < 2 || rest.length > 3)
        throw new ValidationError(flag, `expected ${type}:MIN:MAX[:SCALE]`, `Write it as ${FORMS}.`);
      const min = number(rest[0]!, flag, 'MIN');
      const max = number(rest[1]!, flag, 'MAX');
      const scale = scaleOf(rest[2], flag);
      specs[name] = type === 'double' ? doubleParameter(min, max, scale) : integerParameter(min, max, scale);
    } else if (type === 'discrete') {
      if (rest.length < 1 || rest.length > 2)
        throw new ValidationError(flag, 'expected discrete:V1,V2,…[:SCALE]', `Write it as ${FORMS}.`);
      const values = rest[0]!.split(',').map((v) => number(v, flag, 'value'));
      specs[name] = discreteParameter(values, scaleOf(rest[1], flag));
    } else if (type === 'categorical') {
      const values = rest.join(':').split(',');
      if (values.some((v) => v === ''))
        throw new ValidationError(flag, 'has an empty category', 'List the categories as A,B,C.');
      specs[name] = categoricalParameter(values);
    } else {
      throw new ValidationError(flag, `unknown type ${JSON.stringify(type)}`, `Write it as ${FORMS}.`);
    }
  }
  if (Object.keys(specs).length === 0)
    throw new ValidationError('--param', 'no parameter to tune', `Give at least one --param ${FORMS}.`);
  return specs;
}

/** `--metric accuracy=maximize` (repeatable; the first one is searched). */
export function parseMetrics(list: string[] | undefined): Record<string, 'maximize' | 'minimize'> {
  const metrics: Record<string, 'maximize' | 'minimize'> = {};
  for (const entry of list ?? []) {
    const [id, goal = 'maximize', extra] = entry.split('=');
    if (!id || extra !== undefined || (goal !== 'maximize' && goal !== 'minimize'))
      throw new ValidationError(
        '--metric',
        `${JSON.stringify(entry)} is not METRIC=maximize|minimize`,
        'Write it as --metric accuracy=maximize.',
      );
    metrics[id] = goal;
  }
  if (Object.keys(metrics).length === 0)
    throw new ValidationError(
      '--metric',
      'is required',
      'Give the metric your trainer reports, e.g. --metric accuracy=maximize.',
    );
  return metrics;
}
