import { stat } from 'node:fs/promises';
import type { readEventFile, ScalarPoint } from '@terra-vertex/tfevents';
import { type ResolvedConfig, resolveConfig } from '../config.ts';
import { ApiError, StatusCode, ValidationError } from '../errors.ts';
import {
  parseTensorboardPath,
  tensorboardResourceName,
  validateChildId,
  type Where,
  whereOf,
} from './names.ts';
import { callTensorboardService, compact, whereOfConfig } from './resource.ts';
import { batchRunWrites, pointsIn, type SeriesWrite } from './scalars.ts';
import { Tensorboard } from './tensorboard.ts';
import { TensorboardExperiment } from './tensorboard-experiment.ts';

/** Options of {@link uploadTbLog}, as the Python SDK's `aiplatform.upload_tb_log()` arguments. */
export interface UploadTbLogOptions extends Where {
  /** The experiment id (created when missing), or its full name. */
  tensorboardExperimentName: string;
  /** A local folder of TensorBoard event files; each sub-folder holding event files is a run. */
  logdir: string;
  /**
   * The tensorboard: id or full name. Default: the one `init({ experimentTensorboard })` names; not needed
   * when `tensorboardExperimentName` is a full name.
   */
  tensorboardId?: string;
  /** Prepended to every run name, e.g. `trial-3-`. */
  runNamePrefix?: string;
  /** Display name of the experiment, when it is created. */
  experimentDisplayName?: string;
  /** Description of the experiment, when it is created. */
  description?: string;
  /** Called as the upload goes: the experiment, each file read, each batch written, each warning. */
  onProgress?: (event: UploadProgressEvent) => void;
}

/** What {@link uploadTbLog} reports while it works. */
export type UploadProgressEvent =
  | { type: 'experiment'; experiment: string; created: boolean }
  | { type: 'file'; run: string; path: string; points: number }
  | { type: 'warning'; message: string }
  | { type: 'write'; written: number; total: number };

/** One uploaded run. */
export interface UploadedRun {
  /** The run id and display name (the folder, as Vertex's uploader names runs). */
  run: string;
  files: string[];
  tags: string[];
  points: number;
}

/** What {@link uploadTbLog} uploaded. */
export interface UploadTbLogResult {
  experiment: TensorboardExperiment;
  runs: UploadedRun[];
  /** Points written in all. */
  points: number;
  /** Problems met (corrupt records, files without data …); each names its file. */
  warnings: string[];
}

interface LocalRun extends UploadedRun {
  scalars: ScalarPoint[];
}

/**
 * Uploads the scalars of a local TensorBoard log folder once (the Python SDK's one-shot `upload_tb_log`):
 * gets or creates the experiment, one run per folder holding event files (named as Vertex's uploader
 * names them: the root is `default`, `train/eval_1` is `train-eval-1`), one SCALAR time series per tag,
 * then WriteTensorboardExperimentData in batches under Vertex's request size. Corrupt records are
 * skipped with a warning naming the file; the rest of the data is uploaded.
 *
 * @example
 * const { experiment, points } = await uploadTbLog({
 *   tensorboardId: tb.resourceName, tensorboardExperimentName: 'local-runs', logdir: './logs',
 * });
 */
export async function uploadTbLog(options: UploadTbLogOptions): Promise<UploadTbLogResult> {
  const where = whereOf(options.tensorboardExperimentName, whereOf(options.tensorboardId, options));
  const config = await resolveConfig(where);
  const experimentName = experimentNameOf(options, config);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.onProgress?.({ type: 'warning', message });
  };
  const local = await readLogdir(options.logdir, options.runNamePrefix ?? '', options.onProgress, warn);
  // The Python uploader first reads the tensorboard, so that a wrong one fails before anything is created.
  await Tensorboard.get(experimentName.replace(/\/experiments\/[^/]+$/, ''), whereOfConfig(config));
  const experiment = await getOrCreateExperiment(experimentName, options, config);
  const runNames = await ensureRuns(config, experimentName, local);
  const seriesIds = await ensureTimeSeries(config, experimentName, local, runNames);
  const batches = batchRunWrites(
    local.map((r) => ({ runName: runNames.get(r.run)!, series: seriesOf(r, seriesIds.get(r.run)!) })),
  );
  const total = batches.reduce((n, b) => n + pointsIn(b), 0);
  let written = 0;
  for (const batch of batches) {
    await callTensorboardService(config, `Writing scalars to ${experimentName}`, (c) =>
      c.writeTensorboardExperimentData({
        tensorboardExperiment: experimentName,
        writeRunDataRequests: batch,
      }),
    );
    written += pointsIn(batch);
    options.onProgress?.({ type: 'write', written, total });
  }
  if (total === 0) warn(`${options.logdir}: no scalar data to upload (no event files with scalars).`);
  return {
    experiment,
    runs: local.map(({ scalars: _, ...run }) => run),
    points: total,
    warnings,
  };
}

function experimentNameOf(o: UploadTbLogOptions, config: ResolvedConfig): string {
  if (o.tensorboardExperimentName.startsWith('projects/')) {
    parseTensorboardPath(o.tensorboardExperimentName, 2, 'tensorboardExperimentName');
    return o.tensorboardExperimentName;
  }
  validateChildId(o.tensorboardExperimentName, 'tensorboardExperimentName');
  // As the Python SDK, fall back to the tensorboard init() set for experiments.
  const tensorboard =
    o.tensorboardId ??
    (typeof config.experimentTensorboard === 'string' ? config.experimentTensorboard : undefined);
  if (!tensorboard) {
    throw new ValidationError(
      'tensorboardId',
      'is needed to know which tensorboard receives the logs',
      "Pass tensorboardId (an id or full name, see Tensorboard.list()), a full experiment name as tensorboardExperimentName, or init({ experimentTensorboard: 'projects/…/tensorboards/…' }).",
    );
  }
  return tensorboardResourceName(
    o.tensorboardExperimentName,
    2,
    { tensorboard },
    config.project,
    config.location,
    'tensorboardExperimentName',
  );
}

/** Reads every event file under `logdir`, grouped by run id. */
async function readLogdir(
  logdir: string,
  prefix: string,
  onProgress: UploadTbLogOptions['onProgress'],
  warn: (message: string) => void,
): Promise<LocalRun[]> {
  if (/^gs:\/\//.test(logdir))
    throw new ValidationError(
      'logdir',
      `${logdir} is in Cloud Storage; uploadTbLog reads local folders`,
      'Copy it to a local folder first (e.g. `gcloud storage cp -r`), or run the job with run({ tensorboard, serviceAccount }) so Vertex streams it.',
    );
  const info = await stat(logdir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new ValidationError(
      'logdir',
      `${logdir} is not a folder`,
      'Pass the folder your trainer wrote event files to.',
    );
  // Loaded here, not at import: protobufjs and the native CRC32 are about half of core's import time.
  const { findEventFiles, readEventFile, runIdFor } = await import('@terra-vertex/tfevents');
  const runs = new Map<string, LocalRun>();
  for (const file of await findEventFiles(logdir)) {
    const id = runIdFor(prefix + (file.run === '' || file.run === '.' ? 'default' : file.run));
    let read: Awaited<ReturnType<typeof readEventFile>>;
    try {
      read = await readEventFile(file.path);
    } catch (err) {
      throw new Error(`Reading TensorBoard event file ${file.path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    for (const w of read.warnings) warn(w);
    const run = runs.get(id) ?? { run: id, files: [], tags: [], points: 0, scalars: [] };
    run.files.push(file.path);
    run.scalars.push(...read.scalars);
    runs.set(id, run);
    onProgress?.({ type: 'file', run: id, path: file.path, points: read.scalars.length });
  }
  for (const run of runs.values()) {
    run.tags = [...new Set(run.scalars.map((s) => s.tag))].sort();
    run.points = run.scalars.length;
  }
  return [...runs.values()].filter((r) => r.points > 0);
}

async function getOrCreateExperiment(
  name: string,
  o: UploadTbLogOptions,
  config: ResolvedConfig,
): Promise<TensorboardExperiment> {
  const where = whereOfConfig(config);
  const { tensorboard, experiment } = parseTensorboardPath(name, 2);
  try {
    const created = await TensorboardExperiment.create({
      ...where,
      tensorboardName: name.replace(/\/experiments\/[^/]+$/, ''),
      tensorboardExperimentId: experiment!,
      displayName: o.experimentDisplayName,
      description: o.description,
    });
    o.onProgress?.({ type: 'experiment', experiment: name, created: true });
    return created;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === StatusCode.ALREADY_EXISTS)) throw err;
    o.onProgress?.({ type: 'experiment', experiment: name, created: false });
    return TensorboardExperiment.get(name, { ...where, tensorboardId: tensorboard });
  }
}

/** Creates the runs that do not exist yet (BatchCreateTensorboardRuns); returns run id → full name. */
async function ensureRuns(
  config: ResolvedConfig,
  experiment: string,
  local: LocalRun[],
): Promise<Map<string, string>> {
  const existing = await callTensorboardService(config, `Listing runs of ${experiment}`, async (c) => {
    const [runs] = await c.listTensorboardRuns({ parent: experiment });
    return runs;
  });
  const names = new Map<string, string>();
  for (const r of existing) {
    const id = r.name?.split('/').pop() ?? '';
    names.set(id, r.name ?? '');
    if (r.displayName && !names.has(r.displayName)) names.set(r.displayName, r.name ?? '');
  }
  const missing = local.filter((r) => !names.has(r.run));
  for (let i = 0; i < missing.length; i += 1000) {
    const requests = missing.slice(i, i + 1000).map((r) => ({
      parent: experiment,
      tensorboardRunId: r.run,
      tensorboardRun: { displayName: r.run },
    }));
    const created = await callTensorboardService(config, `Creating runs in ${experiment}`, async (c) => {
      const [res] = await c.batchCreateTensorboardRuns({ parent: experiment, requests });
      return res.tensorboardRuns ?? [];
    });
    for (const r of created) names.set(r.displayName || (r.name?.split('/').pop() ?? ''), r.name ?? '');
  }
  return names;
}

/** Creates the SCALAR time series that do not exist yet; returns run id → tag → time series id. */
async function ensureTimeSeries(
  config: ResolvedConfig,
  experiment: string,
  local: LocalRun[],
  runNames: Map<string, string>,
): Promise<Map<string, Map<string, string>>> {
  const ids = new Map<string, Map<string, string>>();
  const requests: { parent: string; tensorboardTimeSeries: Record<string, unknown> }[] = [];
  for (const run of local) {
    const runName = runNames.get(run.run)!;
    const existing = await callTensorboardService(config, `Listing time series of ${runName}`, async (c) => {
      const [list] = await c.listTensorboardTimeSeries({ parent: runName });
      return list;
    });
    const tags = new Map(existing.map((t) => [t.displayName ?? '', t.name?.split('/').pop() ?? '']));
    ids.set(run.run, tags);
    for (const tag of run.tags) {
      if (tags.has(tag)) continue;
      requests.push({
        parent: runName,
        tensorboardTimeSeries: compact({ displayName: tag, valueType: 'SCALAR', pluginName: 'scalars' }),
      });
    }
  }
  const runOf = new Map(local.map((r) => [runNames.get(r.run)!, r.run]));
  for (let i = 0; i < requests.length; i += 1000) {
    const batch = requests.slice(i, i + 1000);
    const created = await callTensorboardService(
      config,
      `Creating time series in ${experiment}`,
      async (c) => {
        const [res] = await c.batchCreateTensorboardTimeSeries({ parent: experiment, requests: batch });
        return res.tensorboardTimeSeries ?? [];
      },
    );
    for (const ts of created) {
      const runName = (ts.name ?? '').replace(/\/timeSeries\/[^/]+$/, '');
      ids.get(runOf.get(runName) ?? '')?.set(ts.displayName ?? '', ts.name?.split('/').pop() ?? '');
    }
  }
  return ids;
}

function seriesOf(run: LocalRun, tagIds: Map<string, string>): SeriesWrite[] {
  return run.tags.map((tag) => ({
    timeSeriesId: tagIds.get(tag)!,
    points: run.scalars
      .filter((s) => s.tag === tag)
      .map((s) => ({ step: s.step, value: s.value, wallTime: s.wallTime })),
  }));
}
