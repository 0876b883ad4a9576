/**
 * Plots of a hyperparameter tuning study, as SVG strings: the metric by trial with the best-so-far line,
 * and the metric against each parameter. Show them with {@link showStudyCharts} (or `showSvg`), or turn
 * them into PNG with `svgToPng`.
 */

import { categoriesOf } from '../display/axis.ts';
import { formatValue } from '../display/html.ts';
import { showSvg } from '../display/notebook.ts';
import { type ScatterSeries, scatterChartSvg } from '../display/scatter-chart.ts';
import { ValidationError } from '../errors.ts';
import {
  analyzeTrials,
  isBetter,
  parameterIdsOf,
  type RankedTrial,
  scaleOf,
  type TrialLike,
  type TrialMetric,
  type TrialParameterScales,
} from './trial-analysis.ts';

/** Options of {@link trialMetricChartSvg} and {@link parameterChartSvg}. */
export interface TrialChartOptions {
  /** Default: `<metric> by trial` / `<metric> vs <parameter>`. */
  title?: string;
  /** Pixels (default 560 × 320). */
  width?: number;
  height?: number;
  /** Scale per parameter (e.g. from `scalesFromParameterSpec(parameterSpec)`): `log` parameters get a log axis. */
  scales?: TrialParameterScales;
}

/** Options of {@link studyChartsSvg}. */
export interface StudyChartsOptions extends Omit<TrialChartOptions, 'title'> {
  /** Parameters to plot, in order (default: every parameter of the trials). */
  parameters?: string[];
}

/** The charts of a study: {@link trialMetricChartSvg} and one {@link parameterChartSvg} per parameter. */
export interface StudyCharts {
  byTrial: string;
  byParameter: Record<string, string>;
}

/** The succeeded, failed (on the x axis) and unfinished trials as series, and the best trial ringed. */
function trialSeries(
  ranked: readonly RankedTrial[],
  point: (r: RankedTrial) => ScatterSeries['points'][number],
  best: RankedTrial | undefined,
): ScatterSeries[] {
  const failed = ranked.filter((r) => r.kind === 'failed');
  const series: ScatterSeries[] = [
    {
      name: 'succeeded',
      points: ranked.filter((r) => r.kind === 'succeeded').map(point),
      colour: COLOURS.point,
    },
    {
      name: failedName(failed),
      points: failed.map(point),
      colour: COLOURS.failed,
      marker: 'cross',
      onXAxis: true,
    },
    {
      name: 'not finished',
      points: ranked.filter((r) => r.kind === 'pending').map(point),
      colour: COLOURS.pending,
      marker: 'diamond',
      onXAxis: true,
    },
  ];
  if (best)
    series.push({
      name: `best: trial ${best.trial.id}`,
      points: [point(best)],
      colour: COLOURS.best,
      marker: 'ring',
    });
  return series;
}

/** Colours: succeeded points, best so far / best trial, infeasible, not finished. */
const COLOURS = { point: '#4e79a7', best: '#f28e2b', failed: '#e15759', pending: '#9e9e9e' };

function describeParameters(trial: TrialLike): string {
  return Object.entries(trial.parameters)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(', ');
}

function tooltip(r: RankedTrial, metricId: string): string {
  const params = describeParameters(r.trial);
  if (r.kind === 'succeeded')
    return `trial ${r.trial.id}: ${metricId} = ${formatValue(r.value)}${params ? ` (${params})` : ''}`;
  const reason = r.trial.infeasibleReason ? `: ${r.trial.infeasibleReason}` : '';
  const missing = r.trial.state === 'SUCCEEDED' ? ` without ${metricId}` : '';
  return `trial ${r.trial.id}: ${r.trial.state}${missing}${reason}${params ? ` (${params})` : ''}`;
}

function failedName(trials: readonly RankedTrial[]): string {
  return trials.some((r) => r.trial.state === 'SUCCEEDED') ? 'failed / no metric' : 'infeasible';
}

function yLabel(metric: TrialMetric): string {
  return `${metric.metricId} (${metric.goal === 'maximize' ? 'higher' : 'lower'} is better)`;
}

/**
 * The metric of each trial by trial number: a point per succeeded trial, a red cross on the x axis per
 * infeasible trial (grey diamonds for trials still running), the best-so-far value (running maximum or
 * minimum by the goal) as a step line, and the best trial circled. Hover a point for its parameters.
 *
 * @example
 * showSvg(trialMetricChartSvg(job.trials(), { metricId: 'accuracy', goal: 'maximize' }));
 * @throws ValidationError naming the field, for a bad metric or trial (e.g. a NaN metric value).
 */
export function trialMetricChartSvg(
  trials: readonly TrialLike[],
  metric: TrialMetric,
  options: TrialChartOptions = {},
): string {
  const study = analyzeTrials(trials, metric);
  const { metricId } = metric;
  const point = (r: RankedTrial) => ({
    x: r.number,
    y: r.value,
    id: r.trial.id,
    tooltip: tooltip(r, metricId),
  });
  const succeeded = study.trials.filter((r) => r.kind === 'succeeded');
  const running: { x: number; y: number }[] = [];
  let best: number | undefined;
  for (const r of succeeded) {
    if (best === undefined || isBetter(r.value!, best, metric.goal)) best = r.value!;
    running.push({ x: r.number, y: best });
  }
  const lastNumber = Math.max(...study.trials.map((r) => r.number));
  if (best !== undefined && running.at(-1)!.x < lastNumber) running.push({ x: lastNumber, y: best });
  const series: ScatterSeries[] = [
    {
      name: 'best so far',
      points: running,
      colour: COLOURS.best,
      marker: 'none',
      line: 'step',
      hideInLegend: running.length < 2,
    },
    ...trialSeries(study.trials, point, study.best),
  ];
  return scatterChartSvg(series, {
    title: options.title ?? `${metricId} by trial`,
    xLabel: 'trial',
    yLabel: yLabel(metric),
    width: options.width,
    height: options.height,
    integerX: true,
    legend: study.trials.length > 0,
    emptyMessage: 'No trials yet',
  });
}

/**
 * The metric against one parameter's value, a point per succeeded trial: a linear, log or reverse-log x
 * axis for numeric parameters (by `options.scales`), evenly spaced bands named by category for
 * categorical ones. Infeasible trials are red crosses on the x axis at their value; the best trial is circled.
 *
 * @example
 * showSvg(parameterChartSvg(job.trials(), metric, 'learning_rate', { scales: { learning_rate: 'log' } }));
 * @throws ValidationError naming the field: `parameterId` when no trial has it, `scales.<id>` when the
 * values do not fit the scale (e.g. a value ≤ 0 on a log scale), or a bad metric or trial.
 */
export function parameterChartSvg(
  trials: readonly TrialLike[],
  metric: TrialMetric,
  parameterId: string,
  options: TrialChartOptions = {},
): string {
  const study = analyzeTrials(trials, metric);
  const known = parameterIdsOf(trials);
  if (typeof parameterId !== 'string' || (trials.length > 0 && !known.includes(parameterId))) {
    throw new ValidationError(
      'parameterId',
      `no trial has the parameter ${JSON.stringify(parameterId)}`,
      known.length ? `The trials have: ${known.join(', ')}.` : 'The trials have no parameters.',
    );
  }
  const scale = scaleOf(parameterId, trials, options.scales);
  const { metricId } = metric;
  const has = (r: RankedTrial) => Object.hasOwn(r.trial.parameters, parameterId);
  const point = (r: RankedTrial) => ({
    x: r.trial.parameters[parameterId]!,
    y: r.value,
    id: r.trial.id,
    tooltip: tooltip(r, metricId),
  });
  const valued = study.trials.filter(has);
  const best = study.best && has(study.best) ? study.best : undefined;
  const series = trialSeries(valued, point, best);
  const note = { log: ' (log scale)', reverse_log: ' (reverse log scale)' }[scale as 'log'] ?? '';
  return scatterChartSvg(series, {
    title: options.title ?? `${metricId} vs ${parameterId}`,
    xLabel: `${parameterId}${note}`,
    yLabel: yLabel(metric),
    width: options.width,
    height: options.height,
    xScale: scale === 'categorical' ? 'category' : scale,
    categories:
      scale === 'categorical' ? categoriesOf(valued.map((r) => r.trial.parameters[parameterId]!)) : undefined,
    legend: valued.length > 0,
    emptyMessage: trials.length === 0 ? 'No trials yet' : `No trial with ${parameterId} yet`,
  });
}

/**
 * Every chart of a study: the metric by trial, and the metric against each parameter.
 *
 * @example
 * const { byTrial, byParameter } = studyChartsSvg(job.trials(), metric, { scales: scalesFromParameterSpec(spec) });
 */
export function studyChartsSvg(
  trials: readonly TrialLike[],
  metric: TrialMetric,
  options: StudyChartsOptions = {},
): StudyCharts {
  const byTrial = trialMetricChartSvg(trials, metric, options);
  const ids = options.parameters ?? parameterIdsOf(analyzeTrials(trials, metric).trials.map((r) => r.trial));
  const byParameter: Record<string, string> = {};
  for (const id of ids) byParameter[id] = parameterChartSvg(trials, metric, id, options);
  return { byTrial, byParameter };
}

/**
 * Shows {@link studyChartsSvg} in the notebook, the by-trial chart first; returns false (and does
 * nothing) outside tslab.
 */
export function showStudyCharts(
  trials: readonly TrialLike[],
  metric: TrialMetric,
  options: StudyChartsOptions = {},
): boolean {
  const charts = studyChartsSvg(trials, metric, options);
  if (!showSvg(charts.byTrial)) return false;
  for (const svg of Object.values(charts.byParameter)) showSvg(svg);
  return true;
}
