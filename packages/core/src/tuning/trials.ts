import type { protos } from '@google-cloud/aiplatform';
import { fromProtoValue, type ProtoValue } from '../value.ts';

/** One trial of a study, in plain form. */
export interface Trial {
  id: string;
  /** `REQUESTED`, `ACTIVE`, `STOPPING`, `SUCCEEDED` or `INFEASIBLE`. */
  state: string;
  /** The hyperparameters of this trial, by id. */
  parameters: Record<string, number | string>;
  finalMeasurement?: TrialMeasurement;
  /** Every measurement reported so far, in order (live while the trial runs). */
  measurements: TrialMeasurement[];
  customJob?: string;
  /** Vizier studies: the client the trial was suggested to. */
  clientId?: string;
  infeasibleReason?: string;
  startTime?: string;
  endTime?: string;
}

/** One measurement of a trial: its step, the seconds since the trial started, and the metric values. */
export interface TrialMeasurement {
  stepCount: number;
  elapsedSeconds?: number;
  metrics: Record<string, number>;
}

function toMeasurement(m: protos.google.cloud.aiplatform.v1.IMeasurement): TrialMeasurement {
  const out: TrialMeasurement = {
    stepCount: Number(m.stepCount ?? 0),
    metrics: Object.fromEntries((m.metrics ?? []).map((x) => [x.metricId ?? '', x.value ?? 0])),
  };
  if (m.elapsedDuration)
    out.elapsedSeconds = Number(m.elapsedDuration.seconds ?? 0) + (m.elapsedDuration.nanos ?? 0) / 1e9;
  return out;
}

/** `Trial.State` names by number (long-running operations' responses come with numeric enums). */
const TRIAL_STATES = ['STATE_UNSPECIFIED', 'REQUESTED', 'ACTIVE', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE'];

/** An enum value as its name, whether the client decoded it as a name or as a number. */
export function enumName(value: unknown, names: readonly string[]): string {
  if (typeof value === 'number') return names[value] ?? String(value);
  return typeof value === 'string' && value ? value : names[0]!;
}

function time(t: protos.google.protobuf.ITimestamp | null | undefined): string | undefined {
  if (!t?.seconds) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

/** Converts a Trial as the client decodes it. */
export function toTrial(t: protos.google.cloud.aiplatform.v1.ITrial): Trial {
  const trial: Trial = {
    id: t.id ?? '',
    state: enumName(t.state, TRIAL_STATES),
    parameters: Object.fromEntries(
      (t.parameters ?? []).map((p) => [
        p.parameterId ?? '',
        fromProtoValue(p.value as ProtoValue) as number | string,
      ]),
    ),
    measurements: (t.measurements ?? []).map(toMeasurement),
  };
  if (t.finalMeasurement) trial.finalMeasurement = toMeasurement(t.finalMeasurement);
  if (t.customJob) trial.customJob = t.customJob;
  if (t.clientId) trial.clientId = t.clientId;
  if (t.infeasibleReason) trial.infeasibleReason = t.infeasibleReason;
  const start = time(t.startTime);
  if (start) trial.startTime = start;
  const end = time(t.endTime);
  if (end) trial.endTime = end;
  return trial;
}

/** A trial's hyperparameters as trainer flags (`--lr=0.01`), the form Vertex passes them in. */
export function trialArgs(trial: Pick<Trial, 'parameters'>): string[] {
  return Object.entries(trial.parameters).map(([k, v]) => `--${k}=${v}`);
}
