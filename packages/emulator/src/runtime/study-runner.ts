import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceStore } from '../state/resource-store.ts';
import { type ParameterValues, type SearchAlgorithm, suggest } from '../tuning/search.ts';
import { createCustomJob } from '../vertex/job-service.ts';
import type { Json } from '../vertex/protos.ts';
import type { CustomJobRunner } from './custom-job-runner.ts';
import { finalMeasurement, readMeasurements, trialJobSpec } from './trial-metrics.ts';

const ACTIVE = new Set([
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_CANCELLING',
]);
const JOB_DONE = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED']);

interface Study {
  cancelled: boolean;
  /** Trial id → its CustomJob, while running. */
  running: Map<string, string>;
  wake?: () => void;
}

/**
 * Runs hyperparameter tuning jobs: asks the search engine for up to `parallelTrialCount` suggestions at a
 * time, runs each trial as a CustomJob with the trial's parameters appended as `--id=value`, reads the
 * measurements the trial reported through cloudml-hypertune, and ends the study when `maxTrialCount` trials
 * ran, the space is exhausted, or more than `maxFailedTrialCount` trials failed.
 */
export class StudyRunner {
  private readonly studies = new Map<string, Study>();
  private readonly hpt: ResourceStore;
  private readonly jobs: ResourceStore;
  private readonly runner: CustomJobRunner;
  private readonly ctx: { dataDir: string; python: string };

  constructor(
    hpt: ResourceStore,
    jobs: ResourceStore,
    runner: CustomJobRunner,
    ctx: { dataDir: string; python: string },
  ) {
    this.hpt = hpt;
    this.jobs = jobs;
    this.runner = runner;
    this.ctx = ctx;
    runner.onStateChange((jobName, job) => {
      if (!JOB_DONE.has(job.state as string)) return;
      for (const s of this.studies.values()) if ([...s.running.values()].includes(jobName)) s.wake?.();
    });
  }

  /** Studies that were running when the emulator died end FAILED, saying why. */
  recoverAfterRestart(): void {
    for (const job of this.hpt.list()) {
      if (ACTIVE.has(job.state as string)) {
        this.finish(job.name as string, 'JOB_STATE_FAILED', {
          code: 10,
          message: 'The emulator stopped while this tuning job was running. Run it again.',
        });
      }
    }
  }

  /** Ends every running study (the emulator is stopping); their trial jobs are stopped by the job runner. */
  stopAll(reason: string): void {
    for (const [name, study] of this.studies) {
      study.cancelled = true;
      this.finish(name, 'JOB_STATE_FAILED', { code: 10, message: reason });
      study.wake?.();
    }
  }

  start(name: string): void {
    const study: Study = { cancelled: false, running: new Map() };
    this.studies.set(name, study);
    this.execute(name, study).catch((err: Error) => {
      for (const job of study.running.values()) this.runner.cancel(job);
      this.finish(name, 'JOB_STATE_FAILED', {
        code: 13,
        message: `The emulator could not run the study: ${err.message}`,
      });
    });
  }

  cancel(name: string): void {
    const study = this.studies.get(name);
    this.update(name, { state: 'JOB_STATE_CANCELLING' });
    if (!study) {
      this.finish(name, 'JOB_STATE_CANCELLED', { code: 1, message: 'CANCELED' });
      return;
    }
    study.cancelled = true;
    for (const job of study.running.values()) this.runner.cancel(job);
    study.wake?.();
  }

  private async execute(name: string, study: Study): Promise<void> {
    const spec = this.hpt.get(name)!;
    const studySpec = spec.studySpec as Json;
    const metric = (studySpec.metrics as Json[])[0]!;
    const max = Number(spec.maxTrialCount);
    const parallel = Number(spec.parallelTrialCount);
    const maxFailed = Number(spec.maxFailedTrialCount ?? 0);
    const dir = join(this.ctx.dataDir, 'studies', name.split('/').pop()!);
    mkdirSync(dir, { recursive: true });
    const parent = name.split('/hyperparameterTuningJobs/')[0]!;
    this.update(name, { state: 'JOB_STATE_RUNNING', startTime: new Date().toISOString(), trials: [] });
    let exhausted = false;
    let failed = 0;
    for (;;) {
      const trials = (this.hpt.get(name)!.trials as Json[]) ?? [];
      const want = Math.min(parallel - study.running.size, max - trials.length);
      if (!study.cancelled && !exhausted && want > 0) {
        const completed = trials.filter((t) => t.state === 'SUCCEEDED' && t.finalMeasurement);
        const answer = await suggest(
          {
            algorithm: ((studySpec.algorithm as string | undefined) ??
              'ALGORITHM_UNSPECIFIED') as SearchAlgorithm,
            parameters: studySpec.parameters as never,
            metric: { metricId: metric.metricId as string, goal: metric.goal as 'MAXIMIZE' | 'MINIMIZE' },
            completed: completed.map((t) => ({
              parameters: paramMap(t),
              value: ((t.finalMeasurement as Json).metrics as Json[])[0]!.value as number,
            })),
            pending: trials.filter((t) => t.state === 'ACTIVE').map((t) => ({ parameters: paramMap(t) })),
            count: want,
            seed: trials.length + 1,
          },
          { python: this.ctx.python },
        );
        exhausted = answer.exhausted && answer.suggestions.length < want;
        for (const params of answer.suggestions) this.startTrial(name, parent, dir, spec, study, params);
      }
      if (study.running.size === 0) break;
      await new Promise<void>((resolve) => {
        study.wake = resolve;
        for (const job of study.running.values())
          if (JOB_DONE.has(this.jobs.get(job)?.state as string)) resolve();
      });
      for (const [trialId, jobName] of [...study.running]) {
        const job = this.jobs.get(jobName);
        if (!JOB_DONE.has(job?.state as string)) continue;
        study.running.delete(trialId);
        if (!this.endTrial(name, trialId, job!, join(dir, `trial-${trialId}.metrics`), metric, studySpec))
          failed++;
      }
      if (failed > maxFailed && !study.cancelled) {
        study.cancelled = true;
        for (const job of study.running.values()) this.runner.cancel(job);
        this.update(name, {
          error: {
            code: 9,
            message: `${failed} trials failed, more than max_failed_trial_count (${maxFailed}). See the trials' infeasible reasons and their jobs' logs.`,
          },
        });
      }
    }
    const final = this.hpt.get(name)!;
    if (final.error) return this.finish(name, 'JOB_STATE_FAILED');
    if (study.cancelled) return this.finish(name, 'JOB_STATE_CANCELLED', { code: 1, message: 'CANCELED' });
    const ok = ((final.trials as Json[]) ?? []).some((t) => t.state === 'SUCCEEDED');
    this.finish(
      name,
      ok ? 'JOB_STATE_SUCCEEDED' : 'JOB_STATE_FAILED',
      ok ? undefined : { code: 9, message: 'No trial succeeded: every trial failed or reported no metric.' },
    );
  }

  private startTrial(
    name: string,
    parent: string,
    dir: string,
    spec: Json,
    study: Study,
    params: Record<string, unknown>,
  ): void {
    const trials = (this.hpt.get(name)!.trials as Json[]) ?? [];
    const id = String(trials.length + 1);
    const metric = ((spec.studySpec as Json).metrics as Json[])[0]!.metricId as string;
    const env = {
      CLOUD_ML_TRIAL_ID: id,
      CLOUD_ML_HP_METRIC_FILE: join(dir, `trial-${id}.metrics`),
      CLOUD_ML_HP_METRIC_TAG: metric,
    };
    const job = createCustomJob(this.jobs, this.runner, parent, {
      displayName: `${spec.displayName as string}-trial-${id}`.slice(0, 128),
      jobSpec: trialJobSpec(spec.trialJobSpec as Json, id, params, env),
    });
    study.running.set(id, job.name as string);
    const trial = {
      id,
      state: 'ACTIVE',
      parameters: Object.entries(params).map(([parameterId, value]) => ({ parameterId, value })),
      startTime: new Date().toISOString(),
      customJob: job.name,
    };
    this.update(name, { trials: [...trials, trial] });
  }

  /** Records a finished trial; returns false when it failed. */
  private endTrial(
    name: string,
    id: string,
    job: Json,
    metricsFile: string,
    metric: Json,
    studySpec: Json,
  ): boolean {
    const measurements = readMeasurements(metricsFile, metric.metricId as string);
    const final = finalMeasurement(
      measurements,
      metric.goal as string,
      studySpec.measurementSelectionType as string | undefined,
    );
    const succeeded = job.state === 'JOB_STATE_SUCCEEDED' && final !== undefined;
    const reason =
      job.state !== 'JOB_STATE_SUCCEEDED'
        ? `The trial's job ended ${String(job.state).replace('JOB_STATE_', '')}: ${(job.error as Json | undefined)?.message ?? ''}`
        : `The trial reported no value of the metric ${metric.metricId as string} (report it with cloudml-hypertune).`;
    const trials = ((this.hpt.get(name)!.trials as Json[]) ?? []).map((t) =>
      t.id !== id
        ? t
        : {
            ...t,
            state: succeeded ? 'SUCCEEDED' : 'INFEASIBLE',
            endTime: new Date().toISOString(),
            ...(measurements.length ? { measurements } : {}),
            ...(final ? { finalMeasurement: final } : {}),
            ...(succeeded ? {} : { infeasibleReason: reason.slice(0, 2000) }),
          },
    );
    this.update(name, { trials });
    return succeeded || job.state === 'JOB_STATE_CANCELLED';
  }

  private update(name: string, fields: Json): void {
    this.hpt.update(name, (j) => Object.assign(j, fields, { updateTime: new Date().toISOString() }));
  }

  private finish(name: string, state: string, error?: { code: number; message: string }): void {
    this.studies.delete(name);
    const job = this.hpt.get(name);
    if (!job || (job.endTime && !ACTIVE.has(job.state as string))) return;
    this.update(name, { state, endTime: new Date().toISOString(), ...(error ? { error } : {}) });
  }
}

function paramMap(trial: Json): ParameterValues {
  return Object.fromEntries(
    ((trial.parameters as Json[]) ?? []).map((p) => [p.parameterId, p.value]),
  ) as ParameterValues;
}
