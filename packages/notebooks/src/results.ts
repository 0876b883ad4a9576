/**
 * What a trainer left in Cloud Storage: `metrics.json` beside the model (generated trainers write it) and
 * the TensorBoard scalars under the job's `logs/` folder (Vertex AI's AIP_TENSORBOARD_LOG_DIR).
 */
import {
  downloadBytes,
  exists,
  listObjects,
  type ResolvedConfig,
  resolveConfig,
  storageClient,
} from '@terra-vertex/core';
import { isEventFileName, readEventBytes, type ScalarPoint } from '@terra-vertex/tfevents';

/** Results of a finished training job. */
export interface TrainingResults {
  /** The job's base output directory, `gs://…/` (the parent of `model/` and `logs/`). */
  outputDir: string;
  /** `metrics.json`, or `{}` when the trainer wrote none. */
  metrics: Record<string, unknown>;
  /** Every TensorBoard scalar, in file order. */
  scalars: ScalarPoint[];
}

/**
 * Reads the results of a job from its model directory (`model.artifactUri`, `gs://…/model/`).
 *
 * @throws Error naming `modelDir` when it is not a `gs://…/model/` URI.
 */
export async function trainingResults(modelDir: string, config?: ResolvedConfig): Promise<TrainingResults> {
  const match = /^(gs:\/\/.+\/)model\/?$/.exec(modelDir);
  if (!match) {
    throw new Error(
      `modelDir: ${JSON.stringify(modelDir)} is not a model directory like gs://bucket/…/model/. Pass model.artifactUri`,
    );
  }
  const outputDir = match[1]!;
  const storage = await storageClient(config ?? (await resolveConfig()));
  const metricsUri = `${outputDir}model/metrics.json`;
  const metrics = (await exists(storage, metricsUri))
    ? (JSON.parse((await downloadBytes(storage, metricsUri)).toString('utf8')) as Record<string, unknown>)
    : {};
  const { objects } = await listObjects(storage, `${outputDir}logs/`);
  const scalars: ScalarPoint[] = [];
  for (const o of objects.filter((x) => isEventFileName(x.name.split('/').at(-1) ?? ''))) {
    const read = readEventBytes(await downloadBytes(storage, o.uri), { source: o.uri });
    for (const warning of read.warnings) console.warn(warning);
    scalars.push(...read.scalars);
  }
  return { outputDir, metrics, scalars };
}

/** The headline numbers of `metrics.json` (numbers only, rounded for display). */
export function metricRows(metrics: Record<string, unknown>): { metric: string; value: number }[] {
  return Object.entries(metrics)
    .filter(([k, v]) => typeof v === 'number' && !['global_step', 'num_classes', 'metric_value'].includes(k))
    .map(([metric, value]) => ({ metric, value: Number((value as number).toFixed(4)) }));
}

/** `[step, value]` points of one tag, sorted by step (the last value wins for a repeated step). */
export function scalarSeries(points: readonly ScalarPoint[], tag: string): [number, number][] {
  const byStep = new Map<number, number>();
  for (const p of points) if (p.tag === tag) byStep.set(p.step, p.value);
  return [...byStep.entries()].sort(([a], [b]) => a - b);
}
