/**
 * What a trainer left in Cloud Storage: `metrics.json` beside the model (generated trainers write it). Its
 * learning curves are read from the TensorBoard the job streamed to (`tensorboardExperimentForJob`).
 */
import { downloadBytes, exists, type ResolvedConfig, resolveConfig, storageClient } from '@terra-vertex/core';

/** Results of a finished training job. */
export interface TrainingResults {
  /** The job's base output directory, `gs://…/` (the parent of `model/` and `logs/`). */
  outputDir: string;
  /** `metrics.json`, or `{}` when the trainer wrote none. */
  metrics: Record<string, unknown>;
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
  return { outputDir, metrics };
}

/** The headline numbers of `metrics.json` (numbers only, rounded for display). */
export function metricRows(metrics: Record<string, unknown>): { metric: string; value: number }[] {
  return Object.entries(metrics)
    .filter(([k, v]) => typeof v === 'number' && !['global_step', 'num_classes', 'metric_value'].includes(k))
    .map(([metric, value]) => ({ metric, value: Number((value as number).toFixed(4)) }));
}
