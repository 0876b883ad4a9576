import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceStore } from '../state/resource-store.ts';
import { medianRuleStop, objectivePoints } from '../tuning/median-stopping.ts';
import type { SearchAlgorithm } from '../tuning/search.ts';
import type { SearchEngine } from '../tuning/search-engine.ts';
import { medianStopping, objective } from '../tuning/study-spec.ts';
import { createCustomJob } from '../vertex/job-service.ts';
import type { Json } from '../vertex/protos.ts';
import type { CustomJobRunner } from './custom-job-runner.ts';
import { type Measurement, mergeMeasurements, readMeasurements, trialJobSpec } from './trial-metrics.ts';
import { activeTrial, endedTrial, parameterMap } from './trial-records.ts';

const ACTIVE = new Set([
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_CANCELLING',
]);
const JOB_DONE = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED']);
/** How often running trials' reports are read (live measurements, the stopping rule). */
const OBSERVE_MS = 500;

interface Study {
  cancelled: boolean;
  /** Trial id → its CustomJob, while running. */
  running: Map<string, string>;
  /** Trial id → why the stopping rule stopped it. */
  stopped: Map<string, string>;
  wake?: () => void;
}

/**
 * Runs hyperparameter tuning jobs: asks the search engine for up to `parallelTrialCount` suggestions at a
 * time, runs each trial as a CustomJob with the trial's parameters appended as `--id=value`, follows the
 * measurements the trial reports through cloudml-hypertune (stopping it early under the median rule when
 * the spec asks), and ends the study when `maxTrialCount` trials ran, the space is exhausted, or more
 * than `maxFailedTrialCount` trials failed.
 */
export class StudyRunner {
  private readonly studies = new Map<string, Study>();
  private readonly hpt: ResourceStore;
  private readonly jobs: ResourceStore;
  private readonly runner: CustomJobRunner;
  private readonly ctx: { dataDir: string; engine: SearchEngine };

  constructor(
    hpt: ResourceStore,
    jobs: ResourceStore,
    runner: CustomJobRunner,
    ctx: { dataDir: string; engine: SearchEngine },
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
    const study: Study = { cancelled: false, running: new Map(), stopped: new Map() };
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
    const { metricId, maximize } = objective(studySpec);
    const max = Number(spec.maxTrialCount);
    const parallel = Number(spec.parallelTrialCount);
    const maxFailed = Number(spec.maxFailedTrialCount ?? 0);
    const dir = join(this.ctx.dataDir, 'studies', name.split('/').pop()!);
    mkdirSync(dir, { recursive: true });
    this.update(name, { state: 'JOB_STATE_RUNNING', startTime: new Date().toISOString(), trials: [] });
    let exhausted = false;
    let failed = 0;
    for (;;) {
      const trials = this.trials(name);
      const want = Math.min(parallel - study.running.size, max - trials.length);
      if (!study.cancelled && !exhausted && want > 0) {
        const answer = await this.ctx.engine.suggest({
          algorithm: (studySpec.algorithm as SearchAlgorithm | undefined) ?? 'ALGORITHM_UNSPECIFIED',
          parameters: studySpec.parameters as never,
          metric: { metricId, goal: maximize ? 'MAXIMIZE' : 'MINIMIZE' },
          completed: trials
            .filter((t) => t.state === 'SUCCEEDED' && t.finalMeasurement)
            .map((t) => ({
              parameters: parameterMap(t),
              value: ((t.finalMeasurement as Json).metrics as Json[])[0]!.value as number,
            })),
          pending: trials
            .filter((t) => t.state === 'ACTIVE' || t.state === 'STOPPING')
            .map((t) => ({ parameters: parameterMap(t) })),
          count: want,
          seed: trials.length + 1,
        });
        exhausted = answer.exhausted && answer.suggestions.length < want;
        for (const params of answer.suggestions)
          if (!study.cancelled) this.startTrial(name, dir, spec, study, params);
      }
      if (study.running.size === 0) break;
      await this.nextEvent(study);
      this.observe(name, study, dir, studySpec, metricId, maximize);
      failed += this.collect(name, study, dir, studySpec);
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
    const ok = this.trials(name).some((t) => t.state === 'SUCCEEDED');
    this.finish(
      name,
      ok ? 'JOB_STATE_SUCCEEDED' : 'JOB_STATE_FAILED',
      ok ? undefined : { code: 9, message: 'No trial succeeded: every trial failed or reported no metric.' },
    );
  }

  /** Resolves when a trial's job ends, or after {@link OBSERVE_MS}. */
  private nextEvent(study: Study): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, OBSERVE_MS);
      study.wake = () => {
        clearTimeout(timer);
        resolve();
      };
      for (const job of study.running.values())
        if (JOB_DONE.has(this.jobs.get(job)?.state as string)) study.wake();
    });
  }

  /** Reads running trials' reports into their `measurements` and applies the median rule if asked. */
  private observe(
    name: string,
    study: Study,
    dir: string,
    studySpec: Json,
    metricId: string,
    maximize: boolean,
  ) {
    const rule = medianStopping(studySpec);
    for (const [id, jobName] of study.running) {
      const trial = this.trials(name).find((t) => t.id === id)!;
      const measurements = this.measurementsOf(trial, dir, metricId);
      if (measurements.length !== ((trial.measurements as Json[] | undefined)?.length ?? 0))
        this.setTrial(name, { ...trial, measurements });
      if (!rule || study.stopped.has(id) || study.cancelled) continue;
      const completed = this.trials(name)
        .filter((t) => t.state === 'SUCCEEDED')
        .map((t) => objectivePoints(t.measurements as Json[], metricId, rule.useElapsedDuration));
      const reason = medianRuleStop(
        objectivePoints(measurements, metricId, rule.useElapsedDuration),
        completed,
        maximize,
      );
      if (!reason) continue;
      study.stopped.set(id, reason);
      this.setTrial(name, { ...trial, measurements, state: 'STOPPING' });
      this.runner.cancel(jobName);
    }
  }

  /** Records the trials whose jobs ended; returns how many of them failed. */
  private collect(name: string, study: Study, dir: string, studySpec: Json): number {
    let failed = 0;
    for (const [id, jobName] of [...study.running]) {
      const job = this.jobs.get(jobName);
      if (!JOB_DONE.has(job?.state as string)) continue;
      study.running.delete(id);
      const trial = this.trials(name).find((t) => t.id === id)!;
      const { metricId } = objective(studySpec);
      const measurements = this.measurementsOf(trial, dir, metricId);
      const ended = endedTrial(trial, job!, measurements, studySpec, study.stopped.get(id));
      this.setTrial(name, ended.trial);
      if (ended.failed) failed++;
    }
    return failed;
  }

  private startTrial(name: string, dir: string, spec: Json, study: Study, params: Record<string, unknown>) {
    const trials = this.trials(name);
    const id = String(trials.length + 1);
    const env = {
      CLOUD_ML_TRIAL_ID: id,
      CLOUD_ML_HP_METRIC_FILE: metricsFile(dir, id),
      CLOUD_ML_HP_METRIC_TAG: objective(spec.studySpec as Json).metricId,
    };
    const job = createCustomJob(this.jobs, this.runner, name.split('/hyperparameterTuningJobs/')[0]!, {
      displayName: `${spec.displayName as string}-trial-${id}`.slice(0, 128),
      jobSpec: trialJobSpec(spec.trialJobSpec as Json, id, params, env),
    });
    study.running.set(id, job.name as string);
    this.update(name, { trials: [...trials, activeTrial(id, params, job.name as string)] });
  }

  /** The trial's measurements so far: those recorded before and the newer ones in its metrics file. */
  private measurementsOf(trial: Json, dir: string, metricId: string): Measurement[] {
    const fresh = readMeasurements(metricsFile(dir, trial.id as string), metricId, trial.startTime as string);
    return mergeMeasurements((trial.measurements as Measurement[] | undefined) ?? [], fresh);
  }

  private trials(name: string): Json[] {
    return (this.hpt.get(name)?.trials as Json[] | undefined) ?? [];
  }

  private setTrial(name: string, trial: Json): void {
    this.update(name, { trials: this.trials(name).map((t) => (t.id === trial.id ? trial : t)) });
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

function metricsFile(dir: string, trialId: string): string {
  return join(dir, `trial-${trialId}.metrics`);
}
