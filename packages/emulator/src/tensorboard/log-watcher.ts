import { findEventFiles, readEventFile, runIdFor, type ScalarPoint } from '@terra-vertex/tfevents';
import type { LogStore } from '../logging/log-store.ts';
import { gcsToLocal } from '../runtime/gcs-paths.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import type { Json } from '../vertex/protos.ts';
import { PATTERNS } from './names.ts';
import type { TensorboardResources } from './resources.ts';

/** How often a running job's log folder is read again (fs.watch misses appends on some file systems). */
const POLL_MS = 1000;
const ENDED = new Set([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
]);

/** What the watcher needs around it. */
export interface WatcherContext {
  gcsRoot: string;
  jobs: ResourceStore;
  /** Tuning jobs: a trial's data goes to its tuning job's experiment. */
  tuningJobs?: ResourceStore;
  logs: LogStore;
}

interface FileState {
  offset: number;
  tags: Map<string, string>;
  /** Corrupt from `offset` on, or the folder it is in makes no valid run: not read again. */
  skipped: boolean;
}

/** One running job whose `AIP_TENSORBOARD_LOG_DIR` is being read into an experiment. */
interface Watch {
  job: string;
  project: string;
  jobId: string;
  tensorboard: string;
  experimentId: string;
  experimentName: string;
  experimentDisplayName: string;
  /** The job (or tuning job) the experiment shows. */
  source: string;
  /** Trials: their run names start with the trial id. */
  runPrefix: string;
  logDir: string;
  logUri: string;
  files: Map<string, FileState>;
  timer?: NodeJS.Timeout;
  pass?: Promise<void>;
  ended: boolean;
}

/**
 * Reads the event files that jobs linked to a tensorboard (`jobSpec.tensorboard`) write under
 * `AIP_TENSORBOARD_LOG_DIR` into TensorBoard resources while they run, as Vertex streams them:
 * - the experiment id is the custom job id (what the Python SDK's "View Tensorboard" link opens); a tuning
 *   job's trials share one experiment named after the tuning job id (the SDK links that one for tuning
 *   jobs), each trial's folders becoming runs prefixed with the trial id (`1`, `1-eval` …) — Vertex does
 *   not document its trial run names, so that part is our choice;
 * - one run per folder holding event files (named as Vertex's uploader names them, see `runIdFor`), one
 *   SCALAR time series per tag (display name = tag, plugin `scalars`);
 * - the folder is polled every second with the incremental reader, and read once more when the job ends;
 * - a corrupt file gets a WARNING line in the job's logs (task `service`) naming it and is not read
 *   further; every other file and the points read before the corruption are kept.
 */
export class JobLogWatcher {
  private readonly ctx: WatcherContext;
  private readonly res: TensorboardResources;
  private readonly watches = new Map<string, Watch>();
  private readonly finals = new Set<Promise<void>>();

  constructor(ctx: WatcherContext, res: TensorboardResources) {
    this.ctx = ctx;
    this.res = res;
  }

  /** Follows a job's state: starts watching when it runs, reads a last time and stops when it ends. */
  onStateChange(name: string, job: Json): void {
    const spec = job.jobSpec as Json | undefined;
    if (!spec?.tensorboard) return;
    const watch = this.watches.get(name);
    if (job.state === 'JOB_STATE_RUNNING' && !watch) this.start(name, job);
    else if (ENDED.has(job.state as string) && watch) this.end(watch);
  }

  /** Resolves when the final reads of the jobs that have ended are done (reads wait for them). */
  async settled(): Promise<void> {
    await Promise.all([...this.finals]);
  }

  /** Stops polling; waits for the final reads already under way. */
  async stop(): Promise<void> {
    const finals = [...this.finals];
    for (const w of this.watches.values()) {
      w.ended = true;
      clearTimeout(w.timer);
    }
    await Promise.all([...[...this.watches.values()].map((w) => w.pass), ...finals]);
    this.watches.clear();
  }

  /** Forgets every watch (admin reset): nothing is written after this. */
  clear(): void {
    for (const w of this.watches.values()) {
      clearTimeout(w.timer);
      w.ended = true;
    }
    this.watches.clear();
  }

  private start(name: string, job: Json): void {
    const [, project, , , , jobId] = name.split('/') as string[];
    const log = (severity: string, text: string) =>
      this.ctx.logs.append(project!, jobId!, 'service', severity, text);
    const spec = job.jobSpec as Json;
    const tensorboard = spec.tensorboard as string;
    if (!PATTERNS.tensorboard.test(tensorboard) || !this.res.tensorboards.get(tensorboard)) {
      log('WARNING', `Tensorboard ${tensorboard} does not exist: the job's event files are not uploaded.`);
      return;
    }
    const base = (spec.baseOutputDirectory as Json | undefined)?.outputUriPrefix as string | undefined;
    if (!base) {
      log(
        'WARNING',
        'The job has a tensorboard but no base_output_directory, so AIP_TENSORBOARD_LOG_DIR is not set.',
      );
      return;
    }
    const logUri = `${base.replace(/\/$/, '')}/logs/`;
    const owner = this.tuningJobOf(name);
    const source = owner ? (owner.hpt.name as string) : name;
    const experimentId = source.split('/').pop()!;
    const watch: Watch = {
      job: name,
      project: project!,
      jobId: jobId!,
      tensorboard,
      experimentId,
      experimentName: `${tensorboard}/experiments/${experimentId}`,
      experimentDisplayName: ((owner?.hpt ?? job).displayName as string | undefined) ?? experimentId,
      source,
      runPrefix: owner ? owner.trialId : '',
      logDir: gcsToLocal(this.ctx.gcsRoot, logUri),
      logUri,
      files: new Map(),
      ended: false,
    };
    this.watches.set(name, watch);
    log('INFO', `Uploading TensorBoard event files from ${logUri} to ${watch.experimentName}.`);
    const tick = () => {
      watch.pass = this.pass(watch, false).finally(() => {
        if (!watch.ended) watch.timer = setTimeout(tick, POLL_MS);
      });
    };
    tick();
  }

  private end(watch: Watch): void {
    watch.ended = true;
    clearTimeout(watch.timer);
    const final = (watch.pass ?? Promise.resolve())
      .then(() => (this.watches.get(watch.job) === watch ? this.pass(watch, true) : undefined))
      .finally(() => {
        this.finals.delete(final);
        if (this.watches.get(watch.job) === watch) this.watches.delete(watch.job);
      });
    this.finals.add(final);
  }

  /** Reads what is new in every event file; `last`: the job has ended, so a cut-off record will not complete. */
  private async pass(watch: Watch, last: boolean): Promise<void> {
    const log = (severity: string, text: string) =>
      this.ctx.logs.append(watch.project, watch.jobId, 'service', severity, text);
    const uri = (path: string) => watch.logUri + path.slice(watch.logDir.length + 1);
    try {
      for (const { run, path } of await findEventFiles(watch.logDir)) {
        const state = watch.files.get(path) ?? { offset: 0, tags: new Map(), skipped: false };
        watch.files.set(path, state);
        if (state.skipped) continue;
        const read = await readEventFile(path, state.offset, state.tags);
        if (this.watches.get(watch.job) !== watch) return; // reset meanwhile
        for (const w of read.warnings)
          log('WARNING', `Skipping malformed TensorBoard data: ${w.replace(path, uri(path))}`);
        if (read.corrupt) state.skipped = true;
        else if (last && read.pendingBytes > 0)
          log(
            'WARNING',
            `${uri(path)} ends with an incomplete record (${read.pendingBytes} bytes) that was skipped.`,
          );
        state.offset = read.offset;
        this.store(watch, run, read.scalars);
      }
    } catch (err) {
      log('ERROR', `Reading TensorBoard event files from ${watch.logUri} failed: ${(err as Error).message}`);
      console.error(`terra-vertex emulator: reading event files of ${watch.job} failed:`, err);
    }
  }

  /** Creates the experiment, run and time series on first sight and appends the points. */
  private store(watch: Watch, folder: string, points: ScalarPoint[]): void {
    const res = this.res;
    if (!res.tensorboards.get(watch.tensorboard)) return; // deleted while the job runs
    if (!res.experiments.get(watch.experimentName))
      res.createExperiment(watch.tensorboard, watch.experimentId, {
        displayName: watch.experimentDisplayName,
        description: `TensorBoard event files of ${watch.source}.`,
      });
    const runId = runIdFor(watch.runPrefix ? `${watch.runPrefix}/${folder}` : folder);
    const runName = `${watch.experimentName}/runs/${runId}`;
    if (!res.runs.get(runName)) res.createRun(watch.experimentName, runId, { displayName: runId });
    const byTag = new Map<string, ScalarPoint[]>();
    for (const p of points) byTag.set(p.tag, [...(byTag.get(p.tag) ?? []), p]);
    const series = res.timeSeries.list(`${runName}/timeSeries/`);
    for (const [tag, tagPoints] of byTag) {
      const found =
        series.find((t) => t.displayName === tag) ??
        res.createTimeSeries(runName, undefined, {
          displayName: tag,
          valueType: 'SCALAR',
          pluginName: 'scalars',
        });
      res.appendPoints(
        found.name as string,
        tagPoints.map((p) => ({
          wallTime: new Date(p.wallTime * 1000).toISOString(),
          step: String(p.step),
          // proto3 JSON spells non-finite doubles as strings.
          scalar: { value: Number.isFinite(p.value) ? p.value : String(p.value) },
        })),
      );
    }
  }

  /** The tuning job a trial's custom job belongs to, and the trial id. */
  private tuningJobOf(job: string): { hpt: Json; trialId: string } | undefined {
    for (const hpt of this.ctx.tuningJobs?.list() ?? []) {
      const trial = ((hpt.trials as Json[] | undefined) ?? []).find((t) => t.customJob === job);
      if (trial) return { hpt, trialId: String(trial.id) };
    }
    return undefined;
  }
}
