/**
 * The TensorBoard side of an experiment, as `experiment_run_resource.py` builds it: one TensorboardExperiment
 * per Vertex AI Experiment (id = experiment name), one TensorboardRun per run (id = run name), one SCALAR
 * time series per metric key (display name = key, plugin "scalars").
 */
import type { TensorboardServiceClient } from '@google-cloud/aiplatform/build/src/v1/tensorboard_service_client.js';
import type { ResolvedConfig } from '../config.ts';
import { tensorboardServiceClient } from '../connection.ts';
import { StatusCode, toApiError } from '../errors.ts';
import { SCHEMA_VERSION, TB_EXPERIMENT_LABELS, TB_RUN_ARTIFACT_SCHEMA, TRACKING_LABEL } from './constants.ts';

const notFound = (err: unknown) => (err as { code?: number }).code === StatusCode.NOT_FOUND;

/** A full TensorBoard name from a name or an id. */
export function tensorboardName(config: ResolvedConfig, nameOrId: string): string {
  return nameOrId.includes('/')
    ? nameOrId
    : `projects/${config.project}/locations/${config.location}/tensorboards/${nameOrId}`;
}

/** The project's default TensorBoard (`is_default=true`), created if there is none (`metadata.py`). */
export async function defaultTensorboard(config: ResolvedConfig): Promise<string> {
  const client = await tensorboardServiceClient(config);
  const parent = `projects/${config.project}/locations/${config.location}`;
  try {
    const [found] = await client.listTensorboards({ parent, filter: 'is_default=true' });
    if (found[0]?.name) return found[0].name;
    const [op] = await client.createTensorboard({
      parent,
      tensorboard: {
        displayName: `Default Tensorboard ${new Date().toISOString().replace('T', ' ')}`,
        isDefault: true,
      },
    });
    const [created] = await op.promise();
    return created.name!;
  } catch (err) {
    throw toApiError(err, 'Finding or creating the default TensorBoard');
  }
}

/** Gets or creates the TensorboardExperiment and TensorboardRun backing `run`; returns the run's name. */
export async function ensureTensorboardRun(
  config: ResolvedConfig,
  tensorboard: string,
  experiment: string,
  run: string,
): Promise<string> {
  const client = await tensorboardServiceClient(config);
  const tbExperiment = `${tensorboard}/experiments/${experiment}`;
  const tbRun = `${tbExperiment}/runs/${run}`;
  try {
    try {
      await client.getTensorboardExperiment({ name: tbExperiment });
    } catch (err) {
      if (!notFound(err)) throw err;
      await client.createTensorboardExperiment({
        parent: tensorboard,
        tensorboardExperimentId: experiment,
        tensorboardExperiment: {
          displayName: `${experiment} Backing Tensorboard Experiment`,
          labels: TB_EXPERIMENT_LABELS,
        },
      });
    }
    try {
      await client.getTensorboardRun({ name: tbRun });
    } catch (err) {
      if (!notFound(err)) throw err;
      await client.createTensorboardRun({
        parent: tbExperiment,
        tensorboardRunId: run,
        tensorboardRun: { displayName: run },
      });
    }
  } catch (err) {
    throw toApiError(err, `Preparing TensorBoard run ${tbRun}`);
  }
  return tbRun;
}

/** Time-series display name → resource name, for a TensorBoard run. */
async function seriesOf(client: TensorboardServiceClient, tbRun: string): Promise<Map<string, string>> {
  const [series] = await client.listTensorboardTimeSeries({ parent: tbRun });
  return new Map(series.map((s) => [s.displayName!, s.name!]));
}

/** The largest step written to any series of the run (0 when none). */
export async function latestStep(config: ResolvedConfig, tbRun: string): Promise<number> {
  const client = await tensorboardServiceClient(config);
  try {
    let step = 0;
    for (const name of (await seriesOf(client, tbRun)).values()) {
      const [data] = await client.readTensorboardTimeSeriesData({ tensorboardTimeSeries: name });
      for (const v of data.timeSeriesData?.values ?? []) step = Math.max(step, Number(v.step ?? 0));
    }
    return step;
  } catch (err) {
    throw toApiError(err, `Reading the steps of ${tbRun}`);
  }
}

/** Writes one scalar per key at `step`, creating missing series (`log_time_series_metrics`). */
export async function writeScalars(
  config: ResolvedConfig,
  tbRun: string,
  metrics: Record<string, number>,
  step: number,
  wallTime: Date,
): Promise<void> {
  const client = await tensorboardServiceClient(config);
  try {
    const series = await seriesOf(client, tbRun);
    for (const key of Object.keys(metrics)) {
      if (series.has(key)) continue;
      const [created] = await client.createTensorboardTimeSeries({
        parent: tbRun,
        tensorboardTimeSeries: { displayName: key, valueType: 'SCALAR', pluginName: 'scalars' },
      });
      series.set(key, created.name!);
    }
    const seconds = Math.floor(wallTime.getTime() / 1000);
    await client.writeTensorboardRunData({
      tensorboardRun: tbRun,
      timeSeriesData: Object.entries(metrics).map(([key, value]) => ({
        tensorboardTimeSeriesId: series.get(key)!.split('/').pop()!,
        valueType: 'SCALAR',
        values: [
          { step, scalar: { value }, wallTime: { seconds, nanos: (wallTime.getTime() % 1000) * 1e6 } },
        ],
      })),
    });
  } catch (err) {
    throw toApiError(err, `Writing time-series metrics to ${tbRun}`);
  }
}

/** The last value of each scalar series of a run (`time_series_metric.*` columns). */
export async function latestScalars(config: ResolvedConfig, tbRun: string): Promise<Record<string, number>> {
  const client = await tensorboardServiceClient(config);
  const out: Record<string, number> = {};
  try {
    const [series] = await client.listTensorboardTimeSeries({ parent: tbRun });
    for (const s of series) {
      if (s.valueType !== 'SCALAR') continue;
      const [data] = await client.readTensorboardTimeSeriesData({ tensorboardTimeSeries: s.name! });
      const last = data.timeSeriesData?.values?.at(-1);
      if (last?.scalar?.value !== undefined && last.scalar.value !== null)
        out[s.displayName!] = last.scalar.value;
    }
    return out;
  } catch (err) {
    if (notFound(err)) return out;
    throw toApiError(err, `Reading time-series metrics of ${tbRun}`);
  }
}

/** Deletes a TensorBoard run (waits for the operation). */
export async function deleteTensorboardRun(config: ResolvedConfig, tbRun: string): Promise<void> {
  const client = await tensorboardServiceClient(config);
  try {
    const [op] = await client.deleteTensorboardRun({ name: tbRun });
    await op.promise();
  } catch (err) {
    if (!notFound(err)) throw toApiError(err, `Deleting TensorBoard run ${tbRun}`);
  }
}

/** The `-tb-run` artifact recording a run's TensorboardRun (uri and metadata as `experiment_run_resource.py` writes them). */
export function tensorboardRunArtifact(config: ResolvedConfig, tbRun: string) {
  const host = config.emulator ? config.emulator.vertex : `${config.location}-aiplatform.googleapis.com`;
  return {
    schemaTitle: TB_RUN_ARTIFACT_SCHEMA,
    schemaVersion: SCHEMA_VERSION,
    uri: `https://${host}/v1/${tbRun}`,
    state: 'LIVE',
    metadata: { resourceName: tbRun, [TRACKING_LABEL]: true },
  };
}
