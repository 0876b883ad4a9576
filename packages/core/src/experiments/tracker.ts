/**
 * The notebook-style API of Vertex AI Experiments (Python `aiplatform.start_run`, `log_params` …): one
 * experiment set by `init({ experiment })`, one current run per process.
 */
import { type ResolvedConfig, resolveConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { defaultTensorboard } from './backing-tensorboard.ts';
import type { LoggableValue, RunState } from './constants.ts';
import { Experiment, type ExperimentRow } from './experiment.ts';
import { ExperimentRun } from './experiment-run.ts';

let current: { key: string; experiment: Experiment } | undefined;
let currentRun: ExperimentRun | undefined;

function experimentKey(config: ResolvedConfig, name: string): string {
  return `${config.emulator?.vertex ?? 'cloud'}|${config.project}|${config.location}|${name}`;
}

/**
 * The experiment set by `init({ experiment })`, got or created on first use with its description and
 * backing TensorBoard (`_ExperimentTracker.set_experiment`). A different experiment drops the current run.
 */
export async function currentExperiment(method = 'startRun'): Promise<Experiment> {
  const config = await resolveConfig();
  if (!config.experiment)
    throw new ValidationError(
      'experiment',
      `No experiment set. Make sure to call init({ experiment: 'my-experiment' }) before trying to ${method}`,
      "e.g. init({ experiment: 'pcam-resnet' }).",
    );
  const key = experimentKey(config, config.experiment);
  if (current?.key === key) return current.experiment;
  currentRun = undefined;
  const experiment = await Experiment.getOrCreate(config.experiment, {
    description: config.experimentDescription,
  });
  const tb = config.experimentTensorboard;
  const tensorboard =
    typeof tb === 'string' ? tb : tb === true ? await defaultTensorboard(config) : undefined;
  if (tensorboard && !experiment.backingTensorboardResourceName)
    await experiment.assignBackingTensorboard(tensorboard);
  current = { key, experiment };
  return experiment;
}

/** The run started by {@link startRun}, if any. */
export function getCurrentRun(): ExperimentRun | undefined {
  return currentRun;
}

/**
 * Starts a run in the experiment set by `init({ experiment })` (ending the current run first), or with
 * `resume: true` continues an existing one (its state goes back to RUNNING).
 *
 * @example
 * init({ experiment: 'pcam-resnet' });
 * await startRun('train-run-1');
 * await logParams({ learning_rate: 0.01, batch_size: 64 });
 * await logMetrics({ accuracy: 0.91 });
 * await endRun();
 * showExperimentTable(await getExperimentDf());
 */
export async function startRun(
  run: string,
  options: { resume?: boolean; tensorboard?: string } = {},
): Promise<ExperimentRun> {
  const experiment = await currentExperiment('startRun');
  if (currentRun) await endRun();
  if (options.resume) {
    const found = await ExperimentRun.get(run, { experiment });
    if (!found)
      throw new ValidationError(
        'run',
        `Experiment run ${run} does not exist in experiment ${experiment.name}`,
        `Start it without resume: startRun('${run}').`,
      );
    if (options.tensorboard) await found.assignBackingTensorboard(options.tensorboard);
    await found.updateState('RUNNING');
    currentRun = found;
  } else {
    currentRun = await ExperimentRun.create(run, {
      experiment,
      ...(options.tensorboard ? { tensorboard: options.tensorboard } : {}),
    });
  }
  return currentRun;
}

function requireRun(method: string): ExperimentRun {
  if (!currentRun)
    throw new ValidationError(
      'run',
      `No run set. Make sure to call startRun('my-run') before trying to ${method}`,
      "e.g. await startRun('train-run-1').",
    );
  return currentRun;
}

/** Ends the current run with `state` (default COMPLETE). */
export async function endRun(state: RunState = 'COMPLETE'): Promise<void> {
  const run = requireRun('endRun');
  try {
    await run.end(state);
  } finally {
    currentRun = undefined;
  }
}

/** Logs parameters to the current run. */
export async function logParams(params: Record<string, LoggableValue>): Promise<void> {
  return requireRun('logParams').logParams(params);
}

/** Logs summary metrics to the current run. */
export async function logMetrics(metrics: Record<string, LoggableValue>): Promise<void> {
  return requireRun('logMetrics').logMetrics(metrics);
}

/** Logs scalar time series to the current run's backing TensorBoard run. */
export async function logTimeSeriesMetrics(
  metrics: Record<string, number>,
  step?: number,
  wallTime?: Date,
): Promise<void> {
  return requireRun('logTimeSeriesMetrics').logTimeSeriesMetrics(metrics, step, wallTime);
}

/**
 * Every run of an experiment (default: the one set by `init`) with its parameters and metrics, one row per
 * run, as Python's `aiplatform.get_experiment_df()`.
 */
export async function getExperimentDf(experiment?: string): Promise<ExperimentRow[]> {
  if (!experiment) return (await currentExperiment('getExperimentDf')).getDataFrame();
  const found = await Experiment.get(experiment);
  if (!found)
    throw new ValidationError(
      'experiment',
      `Experiment ${experiment} does not exist`,
      'Check the name with Experiment.list().',
    );
  return found.getDataFrame();
}

/** Forgets the current experiment and run (tests, and notebooks that start over). */
export function resetExperimentTracker(): void {
  current = undefined;
  currentRun = undefined;
}
