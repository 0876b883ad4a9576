import type { CostEstimate } from '../cost/estimate.ts';

/** `google.cloud.aiplatform.v1.JobState` names. */
export type JobState =
  | 'JOB_STATE_UNSPECIFIED'
  | 'JOB_STATE_QUEUED'
  | 'JOB_STATE_PENDING'
  | 'JOB_STATE_RUNNING'
  | 'JOB_STATE_SUCCEEDED'
  | 'JOB_STATE_FAILED'
  | 'JOB_STATE_CANCELLING'
  | 'JOB_STATE_CANCELLED'
  | 'JOB_STATE_PAUSED'
  | 'JOB_STATE_EXPIRED'
  | 'JOB_STATE_UPDATING'
  | 'JOB_STATE_PARTIALLY_SUCCEEDED';

/** `google.cloud.aiplatform.v1.PipelineState` names (training pipelines). */
export type PipelineState =
  | 'PIPELINE_STATE_UNSPECIFIED'
  | 'PIPELINE_STATE_QUEUED'
  | 'PIPELINE_STATE_PENDING'
  | 'PIPELINE_STATE_RUNNING'
  | 'PIPELINE_STATE_SUCCEEDED'
  | 'PIPELINE_STATE_FAILED'
  | 'PIPELINE_STATE_CANCELLING'
  | 'PIPELINE_STATE_CANCELLED'
  | 'PIPELINE_STATE_PAUSED';

const TERMINAL = new Set<string>([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_PAUSED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
]);

/** True when a job will not change state again by itself (the Python SDK's `_JOB_COMPLETE_STATES`). */
export function isTerminalState(state: string | null | undefined): boolean {
  return state !== null && state !== undefined && TERMINAL.has(state);
}

/** `JOB_STATE_RUNNING` → `RUNNING`, for display. */
export function shortState(state: string | null | undefined): string {
  return (state ?? 'JOB_STATE_UNSPECIFIED').replace(/^(JOB|PIPELINE)_STATE_/, '');
}

/** Something that happened while a job ran, for progress displays. */
export type ProgressEvent =
  | { type: 'created'; resourceName: string; displayName: string }
  | {
      type: 'state';
      resourceName: string;
      state: JobState | PipelineState;
      previous?: JobState | PipelineState;
      at: Date;
    }
  | { type: 'log'; resourceName: string; task: string; line: string; timestamp: string; severity: string }
  | { type: 'notice'; resourceName: string; message: string }
  /** Emitted by `run()`/`deploy()` before anything is sent: what it is expected to cost on Vertex AI. */
  | { type: 'cost'; estimate: CostEstimate };

/** Receives {@link ProgressEvent}s. */
export type ProgressListener = (event: ProgressEvent) => void;
