import type { Where } from '../endpoints/create-request.ts';
import { ValidationError } from '../errors.ts';
import { validateResourceId } from '../validation.ts';

/** Where a TensorBoard resource lives when it is given by id (explicit, else `init()`, else the environment). */
export type { Where };

/** The collections of a TensorBoard resource name, outermost first. */
const LEVELS = ['tensorboards', 'experiments', 'runs', 'timeSeries'] as const;
/** The option that names each level's parent when a child is given by id. */
const PARENT_FIELDS = ['tensorboard', 'experiment', 'run', 'timeSeries'] as const;

/** How deep a resource sits: 1 tensorboard, 2 experiment, 3 run, 4 time series. */
export type Depth = 1 | 2 | 3 | 4;

/** The parts of a TensorBoard resource name; the deeper ids are set up to its depth. */
export interface TensorboardPath {
  project: string;
  location: string;
  tensorboard: string;
  experiment?: string;
  run?: string;
  timeSeries?: string;
}

/** Parents of a resource given by id: each an id (needing its own parent) or a full name. */
export interface ParentNames {
  tensorboard?: string;
  experiment?: string;
  run?: string;
}

function pattern(depth: Depth): RegExp {
  const parts = LEVELS.slice(0, depth).map((c) => `${c}/([^/]+)`);
  return new RegExp(`^projects/([^/]+)/locations/([^/]+)/${parts.join('/')}$`);
}

function example(depth: Depth): string {
  return `projects/{project}/locations/{location}/${LEVELS.slice(0, depth)
    .map((c, i) => `${c}/{${PARENT_FIELDS[i]}}`)
    .join('/')}`;
}

/** Parses a full name of the given depth, e.g. `projects/p/locations/l/tensorboards/1/experiments/e`. */
export function parseTensorboardPath(name: string, depth: Depth, field = 'resourceName'): TensorboardPath {
  const m = pattern(depth).exec(name);
  if (!m) {
    throw new ValidationError(
      field,
      `${JSON.stringify(name)} is not a ${LEVELS[depth - 1]} resource name`,
      `Expected ${example(depth)}, or an id with its parents given.`,
    );
  }
  const path: TensorboardPath = { project: m[1]!, location: m[2]!, tensorboard: m[3]! };
  if (depth >= 2) path.experiment = m[4]!;
  if (depth >= 3) path.run = m[5]!;
  if (depth >= 4) path.timeSeries = m[6]!;
  return path;
}

/** Formats a path back into a resource name of its depth. */
export function formatTensorboardPath(path: TensorboardPath): string {
  let name = `projects/${path.project}/locations/${path.location}/tensorboards/${path.tensorboard}`;
  if (path.experiment) name += `/experiments/${path.experiment}`;
  if (path.experiment && path.run) name += `/runs/${path.run}`;
  if (path.experiment && path.run && path.timeSeries) name += `/timeSeries/${path.timeSeries}`;
  return name;
}

/**
 * The full name of a resource of `depth` given as a full name or an id. An id needs its parent in
 * `parents` (itself an id or a full name), down to the tensorboard, which takes `project` and `location`.
 *
 * @example
 * tensorboardResourceName('run-1', 3, { tensorboard: '123', experiment: 'exp' }, 'p', 'us-central1', 'run')
 * // → 'projects/p/locations/us-central1/tensorboards/123/experiments/exp/runs/run-1'
 */
export function tensorboardResourceName(
  nameOrId: string,
  depth: Depth,
  parents: ParentNames,
  project: string,
  location: string,
  field: string,
): string {
  if (nameOrId.startsWith('projects/')) {
    parseTensorboardPath(nameOrId, depth, field);
    return nameOrId;
  }
  validateResourceId(nameOrId, field);
  if (depth === 1) return `projects/${project}/locations/${location}/tensorboards/${nameOrId}`;
  const parentField = PARENT_FIELDS[depth - 2]!;
  const parent = parents[parentField as keyof ParentNames];
  if (!parent) {
    throw new ValidationError(
      parentField,
      `is needed to find ${LEVELS[depth - 1]} ${JSON.stringify(nameOrId)} given by id`,
      `Pass ${parentField} (its id or full name), or give the full name ${example(depth)}.`,
    );
  }
  const parentName = tensorboardResourceName(
    parent,
    (depth - 1) as Depth,
    parents,
    project,
    location,
    parentField,
  );
  return `${parentName}/${LEVELS[depth - 1]}/${nameOrId}`;
}

/** `where` with the project and location of `nameOrId` when it is a full name (explicit options win). */
export function whereOf<T extends Where>(nameOrId: string | undefined, where: T): T {
  if (!nameOrId?.startsWith('projects/')) return where;
  const m = /^projects\/([^/]+)\/locations\/([^/]+)\//.exec(nameOrId);
  if (!m) return where;
  return { ...where, project: where.project ?? m[1], location: where.location ?? m[2] };
}

const EXPERIMENT_OR_RUN_ID = /^[a-z0-9-]{1,128}$/;

/** Checks an experiment or run id as Vertex does: 1–128 characters of `[a-z0-9-]`. */
export function validateChildId(id: string, field: string): string {
  if (EXPERIMENT_OR_RUN_ID.test(id)) return id;
  throw new ValidationError(
    field,
    `${JSON.stringify(id)} is not a valid id`,
    'Use 1 to 128 lowercase letters, digits and "-" (e.g. "lr-0-01"), as Vertex AI requires.',
  );
}
