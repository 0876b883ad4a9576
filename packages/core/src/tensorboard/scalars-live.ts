import { type TslabDisplay, tslabModule } from '../display/notebook.ts';
import { ApiError, JobFailedError, StatusCode } from '../errors.ts';
import type { CustomJob } from '../jobs/custom-job.ts';
import type { TrainingJob } from '../training/training-job.ts';
import type { HyperparameterTuningJob } from '../tuning/hyperparameter-tuning-job.ts';
import { tensorboardExperimentForJob } from './job-experiment.ts';
import type { ScalarSeries } from './scalars.ts';
import { type ScalarsHtmlOptions, scalarsHtml } from './scalars-chart.ts';
import { TensorboardExperiment } from './tensorboard-experiment.ts';

/** Options of {@link watchScalars}. */
export interface WatchScalarsOptions extends ScalarsHtmlOptions {
  /** Time between two reads, in ms (default 5000). */
  intervalMs?: number;
  /** Stops watching (the last read is kept). */
  signal?: AbortSignal;
  /** Called with the series after every read (e.g. for a CLI or a test). */
  onUpdate?: (series: ScalarSeries[]) => void;
}

/**
 * A job that ended before writing any event file: a failure is reported as the job's own error (the missing
 * experiment is only its consequence); a success without scalars shows an empty chart.
 */
function endedWithoutScalars(
  job: Exclude<Watched, TensorboardExperiment>,
  options: WatchScalarsOptions,
  render: (html: string) => void,
): ScalarSeries[] {
  if (!/_STATE_SUCCEEDED$/.test(job.state)) {
    const why = job.error?.message || 'it wrote no TensorBoard scalars';
    throw new JobFailedError(job.resourceName, job.state, why);
  }
  render(scalarsHtml([], { ...options, title: options.title ?? 'The job wrote no TensorBoard scalars' }));
  options.onUpdate?.([]);
  return [];
}

/** A running {@link watchScalars}. */
export interface ScalarsWatch {
  /** Stops after the current read. */
  stop(): void;
  /** Resolves with the last series read, once the job has ended (and its last scalars were read) or on stop. */
  done: Promise<ScalarSeries[]>;
}

/** What {@link watchScalars} can follow: a running job or a TensorBoard experiment. @inline */
type Watched = CustomJob | TrainingJob | HyperparameterTuningJob | TensorboardExperiment;

const TERMINAL = /_STATE_(SUCCEEDED|FAILED|CANCELLED|PAUSED|EXPIRED|PARTIALLY_SUCCEEDED)$/;

/**
 * A live chart of a running job's TensorBoard scalars: one notebook display, redrawn every `intervalMs`
 * until the job ends (then once more, so the last points are shown). Waits for the job's experiment to
 * appear. Given an experiment, it redraws until stopped.
 *
 * @example
 * await job.run({ tensorboard: tb.resourceName, serviceAccount, sync: false });
 * const watch = watchScalars(job, { tags: ['eval/accuracy'] });
 * await job.wait();
 * await watch.done;
 */
export function watchScalars(target: Watched, options: WatchScalarsOptions = {}): ScalarsWatch {
  const interval = options.intervalMs ?? 5000;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  let view: TslabDisplay | undefined;
  const render = (html: string) => {
    view ??= tslabModule()?.newDisplay();
    view?.html(html);
  };
  const sleep = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const run = async (): Promise<ScalarSeries[]> => {
    let experiment = target instanceof TensorboardExperiment ? target : undefined;
    let series: ScalarSeries[] = [];
    for (;;) {
      const ended =
        target instanceof TensorboardExperiment ? false : TERMINAL.test((await target.refresh()).state);
      if (!experiment) {
        try {
          experiment = await tensorboardExperimentForJob(target as Exclude<Watched, TensorboardExperiment>);
        } catch (err) {
          if (!(err instanceof ApiError && err.code === StatusCode.NOT_FOUND)) throw err;
          if (ended)
            return endedWithoutScalars(target as Exclude<Watched, TensorboardExperiment>, options, render);
          render(
            scalarsHtml([], { ...options, title: options.title ?? 'Waiting for the job’s first scalars…' }),
          );
        }
      }
      if (experiment) {
        series = await experiment.readScalars();
        render(scalarsHtml(series, options));
        options.onUpdate?.(series);
      }
      if (ended || stopped) return series;
      await sleep();
    }
  };
  return { stop, done: run() };
}
