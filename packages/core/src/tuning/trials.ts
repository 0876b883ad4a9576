import type { protos } from '@google-cloud/aiplatform';
import { fromProtoValue, type ProtoValue } from '../value.ts';

/** One trial of a study, in plain form. */
export interface Trial {
  id: string;
  /** `REQUESTED`, `ACTIVE`, `STOPPING`, `SUCCEEDED` or `INFEASIBLE`. */
  state: string;
  /** The hyperparameters of this trial, by id. */
  parameters: Record<string, number | string>;
  finalMeasurement?: { stepCount: number; metrics: Record<string, number> };
  customJob?: string;
  infeasibleReason?: string;
  startTime?: string;
  endTime?: string;
}

function time(t: protos.google.protobuf.ITimestamp | null | undefined): string | undefined {
  if (!t?.seconds) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

/** Converts a Trial as the client decodes it. */
export function toTrial(t: protos.google.cloud.aiplatform.v1.ITrial): Trial {
  const trial: Trial = {
    id: t.id ?? '',
    state: String(t.state ?? 'STATE_UNSPECIFIED'),
    parameters: Object.fromEntries(
      (t.parameters ?? []).map((p) => [
        p.parameterId ?? '',
        fromProtoValue(p.value as ProtoValue) as number | string,
      ]),
    ),
  };
  if (t.finalMeasurement) {
    trial.finalMeasurement = {
      stepCount: Number(t.finalMeasurement.stepCount ?? 0),
      metrics: Object.fromEntries(
        (t.finalMeasurement.metrics ?? []).map((m) => [m.metricId ?? '', m.value ?? 0]),
      ),
    };
  }
  if (t.customJob) trial.customJob = t.customJob;
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
