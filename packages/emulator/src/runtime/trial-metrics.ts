import { existsSync, readFileSync } from 'node:fs';
import type { Json } from '../vertex/protos.ts';

/** One `Measurement` in proto3 JSON. */
export interface Measurement {
  stepCount: string;
  /** Seconds since the trial started, as a proto3 JSON Duration (`"12.5s"`). */
  elapsedDuration?: string;
  metrics: { metricId: string; value: number }[];
}

/**
 * Reads what a trial reported through cloudml-hypertune (one JSON object per line, the metric under its tag,
 * values as strings) and returns the measurements of `metricId`, in reporting order.
 */
export function readMeasurements(file: string, metricId: string, startedAt?: string): Measurement[] {
  const start = startedAt ? Date.parse(startedAt) / 1000 : Number.NaN;
  if (!existsSync(file)) return [];
  const out: Measurement[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let report: Record<string, unknown>;
    try {
      report = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line being rewritten while we read: the next read sees it whole
    }
    const value = Number(report[metricId]);
    if (report[metricId] === undefined || !Number.isFinite(value)) continue;
    const elapsed = Number(report.timestamp) - start;
    out.push({
      stepCount: String(Number.parseInt(String(report.global_step ?? '0'), 10) || 0),
      ...(Number.isFinite(elapsed) ? { elapsedDuration: `${Math.max(0, elapsed).toFixed(3)}s` } : {}),
      metrics: [{ metricId, value }],
    });
  }
  return out;
}

/**
 * Measurements seen before plus those in a fresh read of the metrics file that are newer (by elapsed
 * time): the file keeps only a writer's last 100 reports, so earlier ones are kept from earlier reads.
 */
export function mergeMeasurements(previous: Measurement[], fresh: Measurement[]): Measurement[] {
  const seconds = (m: Measurement) => Number.parseFloat(m.elapsedDuration ?? 'NaN');
  if (previous.length === 0 || !fresh.every((m) => Number.isFinite(seconds(m)))) return fresh;
  const last = Math.max(...previous.map(seconds).filter(Number.isFinite));
  return [...previous, ...fresh.filter((m) => !(seconds(m) <= last))];
}

/** The final measurement per the study's selection: the best by the goal, or (default) the last reported. */
export function finalMeasurement(
  measurements: Measurement[],
  goal: string,
  selection: string | undefined,
): Measurement | undefined {
  if (measurements.length === 0) return undefined;
  // Vertex: MEASUREMENT_SELECTION_TYPE_UNSPECIFIED means LAST_MEASUREMENT.
  if (selection !== 'BEST_MEASUREMENT') return measurements.at(-1);
  const better = (a: number, b: number) => (goal === 'MINIMIZE' ? a < b : a > b);
  return measurements.reduce((best, m) => (better(m.metrics[0]!.value, best.metrics[0]!.value) ? m : best));
}

/** A trial's job spec: the study's trial job spec with the trial's flags, output folder and variables. */
export function trialJobSpec(
  spec: Json,
  trialId: string,
  params: Record<string, unknown>,
  env: Record<string, string>,
): Json {
  const copy = structuredClone(spec);
  const flags = Object.entries(params).map(([k, v]) => `--${k}=${v}`);
  const extraEnv = Object.entries(env).map(([name, value]) => ({ name, value }));
  for (const pool of (copy.workerPoolSpecs as Json[] | undefined) ?? []) {
    const task = (pool.pythonPackageSpec ?? pool.containerSpec) as Json | undefined;
    if (!task) continue;
    task.args = [...((task.args as string[] | undefined) ?? []), ...flags];
    task.env = [...((task.env as Json[] | undefined) ?? []), ...extraEnv];
  }
  const base = (copy.baseOutputDirectory as Json | undefined)?.outputUriPrefix as string | undefined;
  if (base) copy.baseOutputDirectory = { outputUriPrefix: `${base.replace(/\/$/, '')}/${trialId}/` };
  return copy;
}
