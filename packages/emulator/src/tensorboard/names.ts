import { invalidArgument } from '../vertex/rpc-error.ts';

const LOC = 'projects/[^/]+/locations/[^/]+';
/** Resource name patterns of the TensorboardService (tensorboard*.proto). */
export const PATTERNS = {
  location: new RegExp(`^${LOC}$`),
  tensorboard: new RegExp(`^${LOC}/tensorboards/[^/]+$`),
  experiment: new RegExp(`^${LOC}/tensorboards/[^/]+/experiments/[^/]+$`),
  run: new RegExp(`^${LOC}/tensorboards/[^/]+/experiments/[^/]+/runs/[^/]+$`),
  timeSeries: new RegExp(`^${LOC}/tensorboards/[^/]+/experiments/[^/]+/runs/[^/]+/timeSeries/[^/]+$`),
} as const;

export type Kind = keyof typeof PATTERNS;

const FORMAT: Record<Kind, string> = {
  location: 'projects/{project}/locations/{location}',
  tensorboard: 'projects/{project}/locations/{location}/tensorboards/{tensorboard}',
  experiment: '…/tensorboards/{tensorboard}/experiments/{experiment}',
  run: '…/tensorboards/{tensorboard}/experiments/{experiment}/runs/{run}',
  timeSeries: '…/experiments/{experiment}/runs/{run}/timeSeries/{time_series}',
};

/** Throws INVALID_ARGUMENT naming `field` unless `name` is a well-formed resource name of `kind`. */
export function checkName(field: string, name: unknown, kind: Kind): string {
  if (typeof name !== 'string' || !PATTERNS[kind].test(name))
    throw invalidArgument(`${field} ${JSON.stringify(name)} is not valid: expected ${FORMAT[kind]}.`);
  return name;
}

/**
 * Experiment and run ids: "1-128 characters, and valid characters are /[a-z][0-9]-/"; time series ids:
 * "[a-z0-9][a-z0-9-]{0, 127}" (tensorboard_service.proto).
 */
const ID = {
  experiment: /^[a-z0-9-]{1,128}$/,
  run: /^[a-z0-9-]{1,128}$/,
  timeSeries: /^[a-z0-9][a-z0-9-]{0,127}$/,
};

/** Throws INVALID_ARGUMENT naming `field` unless `id` is a valid id for `kind`. */
export function checkId(field: string, id: unknown, kind: keyof typeof ID): string {
  if (typeof id !== 'string' || !ID[kind].test(id))
    throw invalidArgument(
      `${field} ${JSON.stringify(id)} is not valid: use 1-128 characters from a-z, 0-9 and "-"${kind === 'timeSeries' ? ', starting with a letter or digit' : ''}.`,
    );
  return id;
}

/** The parent of a resource name (`…/runs/r/timeSeries/t` → `…/runs/r`). */
export function parentOf(name: string): string {
  return name.split('/').slice(0, -2).join('/');
}

/** The last component of a resource name. */
export function idOf(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
