/** How a tuning job's trial records change as their CustomJobs run and end (proto3 JSON `Trial`s). */
import type { Json } from '../vertex/protos.ts';
import { finalMeasurement, type Measurement } from './trial-metrics.ts';

/** A trial's parameters by id, as the search engine takes them. */
export function parameterMap(trial: Json): Record<string, number | string> {
  return Object.fromEntries(((trial.parameters as Json[]) ?? []).map((p) => [p.parameterId, p.value]));
}

/** A new ACTIVE trial running `customJob`. */
export function activeTrial(id: string, params: Record<string, unknown>, customJob: string): Json {
  return {
    id,
    state: 'ACTIVE',
    parameters: Object.entries(params).map(([parameterId, value]) => ({ parameterId, value })),
    startTime: new Date().toISOString(),
    customJob,
  };
}

/** What ending a trial gives: its final record, and whether it counts against `maxFailedTrialCount`. */
export interface EndedTrial {
  trial: Json;
  failed: boolean;
}

/**
 * Ends a trial whose job has ended. It SUCCEEDED when the job succeeded, or was stopped early by the
 * stopping rule, and it reported the metric; otherwise it is INFEASIBLE with the reason. Trials whose job
 * was cancelled (the study was cancelled, or the rule stopped them) do not count as failed.
 */
export function endedTrial(
  trial: Json,
  job: Json,
  measurements: Measurement[],
  studySpec: Json,
  stoppedEarly: string | undefined,
): EndedTrial {
  const metric = (studySpec.metrics as Json[])[0]!;
  const final = finalMeasurement(
    measurements,
    metric.goal as string,
    studySpec.measurementSelectionType as string | undefined,
  );
  const ran =
    job.state === 'JOB_STATE_SUCCEEDED' ||
    (stoppedEarly !== undefined && job.state === 'JOB_STATE_CANCELLED');
  const succeeded = ran && final !== undefined;
  const reason = !ran
    ? `The trial's job ended ${String(job.state).replace('JOB_STATE_', '')}: ${(job.error as Json | undefined)?.message ?? ''}`
    : `The trial reported no value of the metric ${metric.metricId as string} (report it with cloudml-hypertune).`;
  return {
    trial: {
      ...trial,
      state: succeeded ? 'SUCCEEDED' : 'INFEASIBLE',
      endTime: new Date().toISOString(),
      ...(measurements.length ? { measurements } : {}),
      ...(final ? { finalMeasurement: final } : {}),
      ...(succeeded ? {} : { infeasibleReason: reason.slice(0, 2000) }),
    },
    failed: !succeeded && job.state !== 'JOB_STATE_CANCELLED',
  };
}
