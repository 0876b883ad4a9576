import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  HyperparameterTuningJob,
  shortState,
  studyReportHtml,
  type Trial,
  trialArgs,
  ValidationError,
} from '@terra-vertex/core';
import { type Command, Option } from 'commander';
import { type GlobalOptions, print, table } from '../output.ts';
import { progressDisplay } from '../progress.ts';
import { parseMetrics, parseParams } from './hptune-spec.ts';
import { asFlagError, collect, dryRunEstimate, runResourceOptions } from './options.ts';
import { customJobFromFlags, type TrainerFlags, trainerOptions } from './trainer-flags.ts';

type Globals = () => GlobalOptions;

interface RunFlags extends TrainerFlags {
  metric?: string[];
  param?: string[];
  maxTrials: number;
  parallelTrials: number;
  maxFailedTrials?: number;
  algorithm: 'bayesian' | 'grid' | 'random';
  measurement?: 'best' | 'last';
  earlyStopping?: boolean;
  report?: string;
}

/** A value for a table cell: numbers to 4 significant digits (the JSON output keeps them whole). */
function short(v: number | string | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : v;
}

/** The trials as rows: id, state, the metric, then each parameter. */
function trialTable(job: HyperparameterTuningJob, trials: Trial[]): string {
  const { metric } = job.reportInput();
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))];
  return table([
    ['TRIAL', 'STATE', metric.metricId.toUpperCase(), ...params],
    ...trials.map((t) => [
      t.id,
      t.state,
      short(t.finalMeasurement?.metrics[metric.metricId]),
      ...params.map((p) => short(t.parameters[p])),
    ]),
  ]);
}

function summary(job: HyperparameterTuningJob) {
  const best = job.bestTrial();
  return {
    name: job.resourceName,
    displayName: job.displayName,
    state: job.state,
    trials: job.trials(),
    bestTrial: best ? { ...best, args: trialArgs(best) } : null,
    error: job.error,
  };
}

function human(job: HyperparameterTuningJob): string {
  const best = job.bestTrial();
  const lines = [`${job.resourceName} ${shortState(job.state)}`, trialTable(job, job.trials())];
  if (job.error) lines.push(`error: ${job.error.message}`);
  if (best) lines.push(`Best: trial ${best.id}; train it in full with: -- ${trialArgs(best).join(' ')}`);
  return lines.join('\n');
}

function writeReport(job: HyperparameterTuningJob, path: string): string {
  const file = resolve(path);
  writeFileSync(file, studyReportHtml(job.reportInput()));
  return file;
}

/** `tvx hptune run|list|describe|cancel`: hyperparameter tuning jobs. */
export function registerHptune(program: Command, globals: Globals): void {
  const hptune = program
    .command('hptune')
    .description('hyperparameter tuning jobs: run, inspect, report, cancel');
  const int = (v: string) => Number.parseInt(v, 10);

  trainerOptions(runResourceOptions(hptune.command('run'), 'tuning job'))
    .description("tune a trainer: each trial runs it with the trial's values appended as --NAME=value")
    .argument('[args...]', 'fixed arguments passed to every trial')
    .option('--display-name <name>', 'tuning job display name', 'tvx-hptune')
    .option('--metric <id=goal>', 'metric the trainer reports and its goal, e.g. accuracy=maximize', collect)
    .option(
      '--param <spec>',
      'NAME=double:MIN:MAX[:log], integer:…, discrete:V1,V2, categorical:A,B (repeatable)',
      collect,
    )
    .option('--max-trials <n>', 'trials in total', int, 10)
    .option('--parallel-trials <n>', 'trials at once', int, 2)
    .option('--max-failed-trials <n>', 'failed trials tolerated before the study fails', int)
    .addOption(
      new Option('--algorithm <name>', 'search algorithm')
        .choices(['bayesian', 'grid', 'random'])
        .default('bayesian'),
    )
    .addOption(
      new Option('--measurement <which>', 'measurement of a trial that counts').choices(['best', 'last']),
    )
    .option('--early-stopping', 'stop trials below the median of completed trials (median rule)')
    .option('--report <file.html>', 'write an HTML report with the trial plots when the study ends')
    .option('--dry-run', 'print the exact CreateHyperparameterTuningJob request without sending it')
    .action(async (args: string[], o: RunFlags) => {
      const g = globals();
      if (o.report && !o.wait)
        throw new ValidationError(
          '--report',
          'needs the study to end, and --no-wait returns at once',
          'Drop --no-wait, or write the report later with tvx hptune describe <job> --report <file.html>.',
        );
      const tuningJob = async (dryRun?: boolean) =>
        new HyperparameterTuningJob({
          displayName: o.displayName ?? 'tvx-hptune',
          customJob: await customJobFromFlags(
            args,
            { ...o, dryRun, displayName: `${o.displayName}-trial` },
            g,
          ),
          metricSpec: parseMetrics(o.metric),
          parameterSpec: parseParams(o.param),
          maxTrialCount: o.maxTrials,
          parallelTrialCount: o.parallelTrials,
          maxFailedTrialCount: o.maxFailedTrials,
          searchAlgorithm: o.algorithm === 'bayesian' ? undefined : o.algorithm,
          measurementSelection: o.measurement,
          earlyStopping: o.earlyStopping ? 'median' : undefined,
          project: g.project,
          location: g.location,
        });
      const runOptions = {
        timeout: o.timeout,
        serviceAccount: o.serviceAccount,
        tensorboard: o.tensorboard,
        expectedDuration: o.expectedDuration,
      };
      // Priced before --package-dir is uploaded: a refused study stages nothing.
      if (o.packageDir && !o.dryRun && o.maxCost !== undefined)
        dryRunEstimate(await (await tuningJob(true)).estimateCost(runOptions), o, g);
      const job = await tuningJob(o.dryRun);
      if (o.dryRun) {
        const request = await job.buildRequest(runOptions);
        print(g, request, () => JSON.stringify(request, null, 2));
        dryRunEstimate(await job.estimateCost(runOptions), o, g);
        return;
      }
      const display = progressDisplay({ json: g.json, logs: false });
      let failure: unknown;
      try {
        await job.run({
          ...runOptions,
          maxCost: o.maxCost,
          sync: o.wait,
          onProgress: display.listener,
        });
      } catch (err) {
        failure = asFlagError(err);
      } finally {
        display.stop();
      }
      // The report is worth having most when the study failed: write it before reporting the failure.
      const report = o.report && job.resourceName ? writeReport(job, o.report) : undefined;
      if (failure) throw failure;
      print(g, { ...summary(job), report }, () =>
        [human(job), report ? `Report: ${report}` : ''].join('\n').trim(),
      );
    });

  hptune
    .command('list')
    .description('list tuning jobs')
    .option('--filter <filter>', 'Vertex list filter, e.g. state="JOB_STATE_RUNNING"')
    .action(async (o: { filter?: string }) => {
      const g = globals();
      const jobs = await HyperparameterTuningJob.list({
        project: g.project,
        location: g.location,
        filter: o.filter,
      });
      const rows = jobs.map((j) => ({
        name: j.resourceName,
        displayName: j.displayName,
        state: j.state,
        trials: j.trials().length,
      }));
      print(g, rows, () =>
        rows.length === 0
          ? 'No tuning jobs.'
          : table([
              ['ID', 'STATE', 'TRIALS', 'DISPLAY NAME'],
              ...rows.map((r) => [
                r.name.split('/').pop()!,
                shortState(r.state),
                String(r.trials),
                r.displayName,
              ]),
            ]),
      );
    });

  hptune
    .command('describe')
    .description('show a tuning job, its trials and the best one; optionally write the HTML report')
    .argument('<job>', 'tuning job id or resource name')
    .option('--report <file.html>', 'write an HTML report with the trial plots')
    .action(async (id: string, o: { report?: string }) => {
      const g = globals();
      const job = await HyperparameterTuningJob.get(id, { project: g.project, location: g.location });
      const report = o.report ? writeReport(job, o.report) : undefined;
      print(g, { ...summary(job), report }, () =>
        [human(job), report ? `Report: ${report}` : ''].join('\n').trim(),
      );
    });

  hptune
    .command('cancel')
    .description('cancel a running tuning job (its running trials are stopped)')
    .argument('<job>', 'tuning job id or resource name')
    .action(async (id: string) => {
      const g = globals();
      const job = await HyperparameterTuningJob.get(id, { project: g.project, location: g.location });
      await job.cancel();
      print(g, { name: job.resourceName, cancelled: true }, () => `Cancelling ${job.resourceName}`);
    });
}
