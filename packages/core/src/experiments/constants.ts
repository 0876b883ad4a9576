/**
 * Names and keys of Vertex AI Experiments as the Python SDK writes them to Vertex ML Metadata
 * (`google/cloud/aiplatform/metadata/constants.py`), plus the checks at the boundary.
 */
import { EXPERIMENT_NAME } from '../config.ts';
import { ValidationError } from '../errors.ts';
import type { JsonValue } from '../value.ts';

export const SYSTEM_EXPERIMENT = 'system.Experiment';
export const SYSTEM_EXPERIMENT_RUN = 'system.ExperimentRun';
/** Runs created by the Experiments preview: an execution, with a `{run}-metrics` artifact. */
export const SYSTEM_RUN = 'system.Run';
export const SCHEMA_VERSION = '0.0.1';
/** Metadata of a new experiment context; the Cloud console filters on it. */
export const EXPERIMENT_METADATA = { experiment_deleted: false };
export const BACKING_TENSORBOARD_KEY = 'backing_tensorboard_resource';
/** Marks an experiment context created by a custom job's TensorBoard, which is not a Vertex AI Experiment. */
export const TENSORBOARD_LINK_KEY = 'tensorboard_link';
export const PARAM_KEY = '_params';
export const METRIC_KEY = '_metrics';
export const STATE_KEY = '_state';
export const TB_RUN_ARTIFACT_SCHEMA = 'google.VertexTensorboardRun';
export const TB_RUN_ARTIFACT_SUFFIX = '-tb-run';
export const TRACKING_LABEL = 'vertex_experiment_tracking';
export const TB_EXPERIMENT_LABELS = { vertex_tensorboard_experiment_source: 'vertex_experiment' };
/** `128 - len("-tb-run")`: the run's context id plus the TensorBoard artifact suffix fit in 128. */
export const EXPERIMENT_RUN_MAX_LENGTH = 128 - TB_RUN_ARTIFACT_SUFFIX.length;

/** States of an experiment run (`Execution.State`). */
export type RunState = 'NEW' | 'RUNNING' | 'COMPLETE' | 'FAILED' | 'CACHED' | 'CANCELLED';
export const RUN_STATES: readonly RunState[] = [
  'NEW',
  'RUNNING',
  'COMPLETE',
  'FAILED',
  'CACHED',
  'CANCELLED',
];

/** A parameter or summary-metric value: what the Python SDK accepts (`float`, `int`, `str`). */
export type LoggableValue = number | string;

/** The run's context id: `{experiment}-{run}` (`_format_experiment_run_resource_id`). */
export function runContextId(experiment: string, run: string): string {
  return `${experiment}-${run}`;
}

export function validateExperimentName(name: string, field = 'experiment'): string {
  if (EXPERIMENT_NAME.test(name)) return name;
  throw new ValidationError(
    field,
    `${JSON.stringify(name)} is not a valid experiment name`,
    'Use 1-128 lowercase letters, digits and hyphens, starting with a letter or digit, e.g. "pcam-resnet".',
  );
}

/** Checks a run name: a context-id fragment, and `{experiment}-{run}` at most 121 characters (SDK `_validate_run_id`). */
export function validateRunName(experiment: string, run: string, field = 'run'): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(run))
    throw new ValidationError(
      field,
      `${JSON.stringify(run)} is not a valid run name`,
      'Use lowercase letters, digits and hyphens, starting with a letter or digit, e.g. "train-run-1".',
    );
  const id = runContextId(experiment, run);
  if (id.length > EXPERIMENT_RUN_MAX_LENGTH)
    throw new ValidationError(
      field,
      `Length of Experiment ID and Run ID cannot be greater than ${EXPERIMENT_RUN_MAX_LENGTH}. ${id} is of length ${id.length}`,
      'Shorten the run name (or the experiment name).',
    );
  return run;
}

export function validateRunState(state: string, field = 'state'): RunState {
  if ((RUN_STATES as readonly string[]).includes(state)) return state as RunState;
  throw new ValidationError(
    field,
    `${JSON.stringify(state)} is not a run state`,
    `Use one of ${RUN_STATES.join(', ')}.`,
  );
}

/** Checks params or metrics (`Record<string, number | string>`), naming the offending key. */
export function validateLoggable(
  values: Record<string, unknown>,
  field: 'params' | 'metrics',
): Record<string, JsonValue> {
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    throw new ValidationError(
      field,
      'must be an object of key/value pairs',
      `e.g. { learning_rate: 0.01, optimizer: 'adam' }.`,
    );
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string') continue;
    if (typeof value === 'number' && Number.isFinite(value)) continue;
    const what = typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
    throw new ValidationError(
      `${field}.${key}`,
      `Value for key ${key} is of type ${what} but must be one of number, string`,
      typeof value === 'number'
        ? 'Log a finite number (NaN and Infinity cannot be stored), or its text, e.g. String(value).'
        : 'Log a number or a string (e.g. JSON.stringify(value) for structured values).',
    );
  }
  return values as Record<string, JsonValue>;
}

/** Checks time-series metrics (numbers only) and the step. */
export function validateTimeSeries(metrics: Record<string, unknown>, step: number | undefined): void {
  for (const [key, value] of Object.entries(metrics))
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new ValidationError(
        `metrics.${key}`,
        `${String(value)} is not a finite number`,
        'Time-series metrics are scalars: log numbers.',
      );
  if (step !== undefined && (!Number.isInteger(step) || step < 0))
    throw new ValidationError(
      'step',
      `${step} is not a step`,
      'Give a non-negative integer, or leave it out to use the last step + 1.',
    );
}
