/**
 * A one-page HTML report of a tuning study: summary, best trial, charts and the table of all trials.
 * Self-contained (inline SVG and CSS, no scripts, no external assets), so it can be saved and shared.
 */
import { escapeHtml, formatValue, htmlTable, keyValueTable, rawHtml } from '../display/html.ts';
import { showHtml } from '../display/notebook.ts';
import {
  analyzeTrials,
  parameterIdsOf,
  type TrialLike,
  type TrialMetric,
  type TrialParameterScales,
} from './trial-analysis.ts';
import { studyChartsSvg } from './trial-plots.ts';

/** Input of {@link studyReportHtml}. */
export interface StudyReportInput {
  /** E.g. the tuning job's display name. */
  title: string;
  /** The study's or job's state, e.g. `JOB_STATE_SUCCEEDED`. */
  state?: string;
  trials: readonly TrialLike[];
  metric: TrialMetric;
  /** Scale per parameter, e.g. from `scalesFromParameterSpec(parameterSpec)`. */
  scales?: TrialParameterScales;
}

/** Options of {@link studyReportHtml}. */
export interface StudyReportOptions {
  /** Return the body content only (for a notebook output) instead of a whole `<!DOCTYPE html>` page. */
  fragment?: boolean;
  /** Chart width in pixels (default 560). */
  chartWidth?: number;
}

const STYLE =
  'body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:20px;margin:0 0 12px}' +
  'h2{font-size:16px;margin:20px 0 8px}svg{border:1px solid #eee}';

function countsByState(trials: readonly TrialLike[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${state} ${n}`).join(' · ');
}

/**
 * A self-contained HTML report of a study: title, state, trial counts by state, the best trial with its
 * parameters and metric, the charts of {@link studyChartsSvg}, and a table of every trial (id, state,
 * parameters, metric, infeasible reason). All text is escaped.
 *
 * @example
 * writeFileSync('study.html', studyReportHtml({ title: job.displayName, trials: job.trials(), metric }));
 * @throws ValidationError naming the field, as {@link studyChartsSvg}.
 */
export function studyReportHtml(input: StudyReportInput, options: StudyReportOptions = {}): string {
  const { metric, trials } = input;
  const study = analyzeTrials(trials, metric);
  const ordered = study.trials.map((r) => r.trial);
  const params = parameterIdsOf(ordered);
  const charts = studyChartsSvg(trials, metric, { scales: input.scales, width: options.chartWidth });
  const parts: string[] = [`<h1>${escapeHtml(input.title)}</h1>`];

  const summary: Record<string, unknown> = {
    state: input.state,
    trials: trials.length === 0 ? 'none yet' : `${trials.length} (${countsByState(ordered)})`,
    metric: `${metric.metricId} (${metric.goal})`,
  };
  if (study.best) {
    summary['best trial'] = study.best.trial.id;
    summary[`best ${metric.metricId}`] = formatValue(study.best.value);
  } else if (trials.length > 0) {
    summary['best trial'] = 'none succeeded yet';
  }
  parts.push(keyValueTable(summary, { caption: 'Summary', headers: ['item', 'value'] }));
  if (study.best && Object.keys(study.best.trial.parameters).length > 0) {
    parts.push(
      keyValueTable(study.best.trial.parameters, {
        caption: `Best trial ${study.best.trial.id}: parameters`,
        headers: ['parameter', 'value'],
      }),
    );
  }

  parts.push('<h2>Charts</h2>');
  parts.push(
    `<div style="display:flex;flex-wrap:wrap;gap:12px">${[charts.byTrial, ...Object.values(charts.byParameter)].join('')}</div>`,
  );

  parts.push('<h2>Trials</h2>');
  if (trials.length === 0) {
    parts.push('<p style="color:#666">No trials yet.</p>');
  } else {
    // Prefixed keys, so a parameter named like a fixed column (e.g. `state`) keeps its own column.
    const metricKey = `m:${metric.metricId}`;
    const withReason = ordered.some((t) => t.infeasibleReason);
    const columns = ['trial', 'state', ...params.map((p) => `p:${p}`), metricKey];
    const headers: Record<string, string> = { trial: 'trial', state: 'state', [metricKey]: metric.metricId };
    for (const p of params) headers[`p:${p}`] = p;
    if (withReason) {
      columns.push('reason');
      headers.reason = 'infeasible reason';
    }
    const rows = study.trials.map((r) => {
      const row: Record<string, unknown> = {
        trial: r === study.best ? rawHtml(`<strong>${escapeHtml(r.trial.id)}</strong> (best)`) : r.trial.id,
        state: r.trial.state,
        [metricKey]: r.trial.finalMeasurement?.metrics?.[metric.metricId],
        reason: r.trial.infeasibleReason,
      };
      for (const p of params) row[`p:${p}`] = r.trial.parameters[p];
      return row;
    });
    parts.push(htmlTable(rows, { columns, headers }));
  }

  const body = parts.join('\n');
  if (options.fragment) return `<div style="font-family:sans-serif">${body}</div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** Shows {@link studyReportHtml} (as a fragment) in the notebook; returns false (and does nothing) outside tslab. */
export function showStudyReport(input: StudyReportInput): boolean {
  return showHtml(studyReportHtml(input, { fragment: true }));
}
