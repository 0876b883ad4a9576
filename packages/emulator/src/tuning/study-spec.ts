/**
 * Checks of a `StudySpec` shared by tuning jobs and Vizier studies, and what the emulator reads from it.
 * Parameter specs are checked by the search engine itself ({@link checkWithEngine}), which knows the space.
 */
import { status } from '@grpc/grpc-js';
import type { Json } from '../vertex/protos.ts';
import { RpcError } from '../vertex/rpc-error.ts';
import { fieldErrors } from '../vertex/validate.ts';
import type { SearchAlgorithm } from './search.ts';
import type { SearchEngine } from './search-engine.ts';

const GOALS = new Set(['GOAL_TYPE_UNSPECIFIED', 'MAXIMIZE', 'MINIMIZE']);

/** Vertex-style `[field, message]` errors for the metrics and stopping specs of a study spec at `at`. */
export function studySpecErrors(spec: Json | undefined, at: string): [string, string][] {
  const errors: [string, string][] = [];
  const metrics = (spec?.metrics as Json[] | undefined) ?? [];
  if (!metrics.length) errors.push([`${at}.metrics`, 'At least one metric is required.']);
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    const id = m.metricId as string | undefined;
    if (!id || /\s/.test(id))
      errors.push([`${at}.metrics[${i}].metric_id`, 'Required, a non-empty id without whitespace.']);
    else if (seen.has(id)) errors.push([`${at}.metrics[${i}].metric_id`, `Duplicate metric id ${id}.`]);
    else seen.add(id);
    if (m.goal !== undefined && !GOALS.has(m.goal as string))
      errors.push([`${at}.metrics[${i}].goal`, 'Use MAXIMIZE or MINIMIZE.']);
  });
  if (!(spec?.parameters as Json[] | undefined)?.length)
    errors.push([`${at}.parameters`, 'At least one parameter is required.']);
  for (const rule of ['decayCurveStoppingSpec', 'convexAutomatedStoppingSpec', 'convexStopConfig']) {
    if (spec?.[rule] !== undefined)
      errors.push([
        `${at}.${rule.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
        'The terra-vertex emulator applies the median automated stopping rule only: use median_automated_stopping_spec locally (Vertex AI accepts the other rules).',
      ]);
  }
  return errors;
}

/** The objective: the study's first metric. Vertex's unset goal means maximize. */
export function objective(spec: Json): { metricId: string; maximize: boolean } {
  const metric = (spec.metrics as Json[])[0]!;
  return { metricId: metric.metricId as string, maximize: metric.goal !== 'MINIMIZE' };
}

/** The median stopping rule's settings when the spec asks for it. */
export function medianStopping(spec: Json): { useElapsedDuration: boolean } | undefined {
  const median = spec.medianAutomatedStoppingSpec as Json | undefined;
  return median ? { useElapsedDuration: median.useElapsedDuration === true } : undefined;
}

/**
 * Maps a search-engine failure to the RPC error: INVALID_ARGUMENT naming the field for a bad request
 * (the engine's message starts with the field path, which `rename` may rewrite), INTERNAL otherwise.
 */
export function engineError(err: unknown, at: string, rename: (path: string) => string = (p) => p): RpcError {
  const message = err instanceof Error ? err.message : String(err);
  if (/^(internal error|tvx_search|cannot run)/.test(message))
    return new RpcError(status.INTERNAL, `The search engine failed: ${message}`);
  const split = message.indexOf(': ');
  if (split < 0) return fieldErrors([[at, message]]);
  return fieldErrors([[`${at}.${rename(message.slice(0, split))}`, message.slice(split + 2)]]);
}

/** Asks the engine for one suggestion to check the parameters; INVALID_ARGUMENT naming the field if bad. */
export async function checkWithEngine(engine: SearchEngine, spec: Json, at: string): Promise<void> {
  try {
    await engine.suggest({
      algorithm: (spec.algorithm as SearchAlgorithm | undefined) ?? 'ALGORITHM_UNSPECIFIED',
      parameters: spec.parameters as never,
      count: 1,
    });
  } catch (err) {
    throw engineError(err, at);
  }
}
