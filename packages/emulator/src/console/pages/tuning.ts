import type { Json } from '../../vertex/protos.ts';
import { type ChartSeries, chart } from '../chart-spec.ts';
import type { ConsoleData } from '../data.ts';
import { formatNumber, isTerminal, lastSegment, runDuration } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { empty, facts, page, problem } from '../layout.ts';
import { errorBox, manyPlaces, nameCell, stateBadge, when, whereCell } from './common.ts';

interface Objective {
  metricId: string;
  maximize: boolean;
}

function objectiveOf(job: Json): Objective {
  const metric = (((job.studySpec as Json | undefined)?.metrics as Json[] | undefined) ?? [])[0] ?? {};
  return { metricId: String(metric.metricId ?? 'objective'), maximize: metric.goal !== 'MINIMIZE' };
}

/** A trial's value of a metric: its final measurement, else (running) its latest one. */
export function trialMetric(trial: Json, metricId: string): number | undefined {
  const pick = (m: Json | undefined) =>
    ((m?.metrics as Json[] | undefined) ?? []).find((x) => x.metricId === metricId)?.value as
      | number
      | undefined;
  const final = pick(trial.finalMeasurement as Json | undefined);
  if (final !== undefined) return final;
  const all = (trial.measurements as Json[] | undefined) ?? [];
  return all.length ? pick(all[all.length - 1]) : undefined;
}

function paramsOf(trial: Json): Record<string, unknown> {
  return Object.fromEntries(
    ((trial.parameters as Json[] | undefined) ?? []).map((p) => [String(p.parameterId), p.value]),
  );
}

/** Points of the objective by trial, and the best value so far after each trial. */
export function byTrialSeries(trials: Json[], o: Objective): ChartSeries[] {
  const points: [number, number][] = [];
  for (const t of trials) {
    const v = t.finalMeasurement ? trialMetric(t, o.metricId) : undefined;
    if (v !== undefined && Number.isFinite(Number(t.id))) points.push([Number(t.id), v]);
  }
  points.sort((a, b) => a[0] - b[0]);
  let best: number | undefined;
  const bestSoFar = points.map(([x, y]): [number, number] => {
    best = best === undefined ? y : o.maximize ? Math.max(best, y) : Math.min(best, y);
    return [x, best];
  });
  return [
    { label: o.metricId, points, kind: 'points' },
    { label: 'best so far', points: bestSoFar, kind: 'step' },
  ];
}

/** The objective against one parameter: numeric x, or the categories' indices with their names. */
export function byParameter(
  trials: Json[],
  o: Objective,
  parameterId: string,
): { points: [number, number][]; xNames?: string[] } {
  const done = trials
    .map((t) => ({
      x: paramsOf(t)[parameterId],
      y: t.finalMeasurement ? trialMetric(t, o.metricId) : undefined,
    }))
    .filter((p): p is { x: unknown; y: number } => p.y !== undefined && p.x !== undefined);
  if (done.every((p) => typeof p.x === 'number')) return { points: done.map((p) => [p.x as number, p.y]) };
  const xNames = [...new Set(done.map((p) => String(p.x)))].sort();
  return { points: done.map((p) => [xNames.indexOf(String(p.x)), p.y]), xNames };
}

function trialsTable(trials: Json[], o: Objective, parameterIds: string[], best?: string): SafeHtml {
  return html`<table class="trials"><thead><tr><th>Trial</th><th>State</th>${parameterIds.map((p) => html`<th class="num">${p}</th>`)}<th class="num">${o.metricId}</th><th>Duration</th><th>Job</th></tr></thead><tbody>${trials.map(
    (t) => {
      const params = paramsOf(t);
      const job = t.customJob as string | undefined;
      return html`<tr${t.id === best ? html` class="best" title="best trial"` : ''}><td>${t.id}${t.id === best ? ' ★' : ''}</td><td>${stateBadge(t.state)}${t.infeasibleReason ? html`<br><span class="muted">${t.infeasibleReason}</span>` : ''}</td>${parameterIds.map((p) => html`<td class="num">${formatNumber(params[p])}</td>`)}<td class="num">${formatNumber(trialMetric(t, o.metricId))}</td><td>${runDuration(t.startTime, t.endTime)}</td><td>${job ? html`<a href="/console/jobs/${lastSegment(job)}">logs</a>` : '—'}</td></tr>`;
    },
  )}</tbody></table>`;
}

/** `/console/tuning`: hyperparameter tuning jobs. */
export async function tuningListPage(data: ConsoleData): Promise<string> {
  const list = await data.listEverywhere(
    'JobService/ListHyperparameterTuningJobs',
    'hyperparameterTuningJobs',
  );
  let body = list.ok ? html`` : problem(list.error);
  if (list.ok && !list.value.length)
    body = empty(
      'hyperparameter tuning jobs',
      html`Run <code>tvx hptune run …</code> to see studies and their trials here.`,
    );
  else if (list.ok) {
    const many = manyPlaces(list.value);
    body = html`<table><thead><tr><th>Tuning job</th><th>State</th><th>Trials</th><th>Best</th><th>Created</th><th>Duration</th>${many ? html`<th>Project / location</th>` : ''}</tr></thead><tbody>${list.value.map(
      (j) => {
        const o = objectiveOf(j);
        const trials = (j.trials as Json[] | undefined) ?? [];
        const values = trials.filter((t) => t.finalMeasurement).map((t) => trialMetric(t, o.metricId)!);
        const best = values.length ? (o.maximize ? Math.max(...values) : Math.min(...values)) : undefined;
        return html`<tr><td>${nameCell(j, `/console/tuning/${lastSegment(j.name)}`)}</td><td>${stateBadge(j.state)}</td><td class="num">${trials.length} / ${j.maxTrialCount ?? '?'}</td><td class="num">${best === undefined ? '—' : `${o.metricId} ${formatNumber(best)}`}</td><td>${when(j.createTime)}</td><td>${runDuration(j.startTime, j.endTime)}</td>${whereCell(j, many)}</tr>`;
      },
    )}</tbody></table>`;
  }
  return page({ title: 'Hyperparameter tuning', section: 'tuning', body });
}

/** `/console/tuning/:id`: a study's trials table and its plots. */
export async function tuningPage(data: ConsoleData, id: string): Promise<string | undefined> {
  const job = await data.find('JobService/GetHyperparameterTuningJob', 'hyperparameterTuningJobs', id);
  if (!job) return undefined;
  const o = objectiveOf(job);
  const trials = [...((job.trials as Json[] | undefined) ?? [])].sort((a, b) => Number(a.id) - Number(b.id));
  const specs = ((job.studySpec as Json | undefined)?.parameters as Json[] | undefined) ?? [];
  const parameterIds = specs.map((p) => String(p.parameterId));
  const done = trials.filter((t) => t.finalMeasurement && trialMetric(t, o.metricId) !== undefined);
  const best = done.reduce<Json | undefined>((b, t) => {
    if (!b) return t;
    const [vb, vt] = [trialMetric(b, o.metricId)!, trialMetric(t, o.metricId)!];
    return (o.maximize ? vt > vb : vt < vb) ? t : b;
  }, undefined);
  const running = !isTerminal(job.state);
  const plots = done.length
    ? html`<div class="charts">${chart(`${o.metricId} by trial (${o.maximize ? 'maximize' : 'minimize'})`, {
        x: 'trial',
        y: o.metricId,
        kind: 'points',
        series: byTrialSeries(trials, o),
      })}${parameterIds.map((p) => {
        const { points, xNames } = byParameter(trials, o, p);
        const log = specs.find((s) => s.parameterId === p)?.scaleType === 'UNIT_LOG_SCALE';
        return chart(`${o.metricId} vs ${p}`, {
          x: p,
          y: o.metricId,
          kind: 'points',
          series: [{ label: o.metricId, points }],
          ...(xNames ? { xNames } : {}),
          ...(log && !xNames ? { xLog: true } : {}),
        });
      })}</div>`
    : html`<p class="muted">The plots appear once a trial has finished with a final measurement of ${o.metricId}.</p>`;
  const body = html`${running ? html`<div data-refresh="3" hidden></div>` : ''}${errorBox(job)}${facts([
    ['State', stateBadge(job.state)],
    ['Duration', runDuration(job.startTime, job.endTime)],
    ['Created', when(job.createTime)],
    ['Objective', `${o.maximize ? 'maximize' : 'minimize'} ${o.metricId}`],
    ['Trials', `${trials.length} of ${job.maxTrialCount ?? '?'}, ${job.parallelTrialCount ?? 1} in parallel`],
    [
      'Algorithm',
      String((job.studySpec as Json | undefined)?.algorithm ?? 'ALGORITHM_UNSPECIFIED (Vizier default)'),
    ],
    [
      'Best trial',
      best ? `trial ${best.id}: ${o.metricId} = ${formatNumber(trialMetric(best, o.metricId))}` : undefined,
    ],
    ['Resource name', html`<code>${job.name}</code>`],
  ])}<h2>Plots</h2>${plots}<h2>Trials</h2>${trials.length ? trialsTable(trials, o, parameterIds, best?.id as string | undefined) : html`<p class="muted">No trial has started yet.</p>`}`;
  return page({
    title: (job.displayName as string) || id,
    section: 'tuning',
    trail: [['Tuning', '/console/tuning']],
    body,
    scripts: ['charts', ...(running ? (['live'] as const) : [])],
  });
}
