import type { Json } from '../../vertex/protos.ts';
import type { ChartSpec } from '../chart-spec.ts';
import { chart } from '../chart-spec.ts';
import type { ConsoleData } from '../data.ts';
import { lastSegment } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { empty, facts, page, problem } from '../layout.ts';
import { manyPlaces, when, whereCell } from './common.ts';

/** `/console/tensorboards`: TensorBoard instances and their experiments. */
export async function tensorboardsPage(data: ConsoleData): Promise<string> {
  const list = await data.listEverywhere('TensorboardService/ListTensorboards', 'tensorboards');
  let body: SafeHtml;
  if (!list.ok) body = problem(list.error);
  else if (!list.value.length)
    body = empty(
      'TensorBoard instances',
      html`Create one with <code>Tensorboard.create()</code> from <code>@terra-vertex/core</code> and run a job with <code>tensorboard</code> set: what it writes to <code>AIP_TENSORBOARD_LOG_DIR</code> shows up here as charts.`,
    );
  else {
    const many = manyPlaces(list.value);
    const rows = await Promise.all(
      list.value.map(async (tb) => {
        const exps = await data.attempt('TensorboardService/ListTensorboardExperiments', () =>
          data.listAll(
            'TensorboardService/ListTensorboardExperiments',
            { parent: tb.name },
            'tensorboardExperiments',
          ),
        );
        const links = exps.ok
          ? exps.value.map(
              (e) =>
                html`<a href="/console/tensorboards/${lastSegment(tb.name)}/experiments/${lastSegment(e.name)}">${(e.displayName as string) || lastSegment(e.name)}</a> `,
            )
          : problem(exps.error);
        return html`<tr><td>${(tb.displayName as string) || lastSegment(tb.name)}<br><span class="muted">${lastSegment(tb.name)}</span></td><td>${exps.ok && !exps.value.length ? html`<span class="muted">none yet</span>` : links}</td><td>${when(tb.createTime)}</td>${whereCell(tb, many)}</tr>`;
      }),
    );
    body = html`<table><thead><tr><th>TensorBoard</th><th>Experiments</th><th>Created</th>${many ? html`<th>Project / location</th>` : ''}</tr></thead><tbody>${rows}</tbody></table>`;
  }
  return page({ title: 'TensorBoard', section: 'tensorboards', body });
}

/** Scalar charts of an experiment: one per tag, one series per run (step → value). */
export async function scalarSpecs(data: ConsoleData, experiment: string): Promise<Map<string, ChartSpec>> {
  const runs = await data.listAll(
    'TensorboardService/ListTensorboardRuns',
    { parent: experiment },
    'tensorboardRuns',
  );
  const specs = new Map<string, ChartSpec>();
  for (const run of runs.sort((a, b) =>
    String(a.displayName ?? a.name).localeCompare(String(b.displayName ?? b.name)),
  )) {
    const series = await data.listAll(
      'TensorboardService/ListTensorboardTimeSeries',
      { parent: run.name },
      'tensorboardTimeSeries',
    );
    for (const ts of series.filter((s) => s.valueType === 'SCALAR')) {
      const res = await data.call('TensorboardService/ReadTensorboardTimeSeriesData', {
        tensorboardTimeSeries: ts.name,
      });
      const values = (((res.timeSeriesData as Json | undefined)?.values as Json[] | undefined) ?? [])
        .filter((v) => v.scalar)
        .map((v): [number, number] => [Number(v.step ?? 0), Number((v.scalar as Json).value ?? 0)]);
      const tag = String(ts.displayName || lastSegment(ts.name));
      const spec = specs.get(tag) ?? { x: 'step', y: tag, kind: 'line', series: [] };
      spec.series.push({ label: String(run.displayName || lastSegment(run.name)), points: values });
      specs.set(tag, spec);
    }
  }
  return new Map([...specs].sort(([a], [b]) => a.localeCompare(b)));
}

/** One live chart per tag (the client refetches each from the scalars API), or the empty state. */
export function scalarCharts(specs: Map<string, ChartSpec>, tbId: string, expId: string): SafeHtml {
  const base = `/console/api/tensorboards/${encodeURIComponent(tbId)}/experiments/${encodeURIComponent(expId)}/scalars?tag=`;
  return specs.size
    ? html`<div class="charts">${[...specs].map(([tag, spec]) => chart(tag, spec, base + encodeURIComponent(tag)))}</div>`
    : empty(
        'scalars in this experiment',
        'Scalars appear as the trainer writes event files (reload to see new tags).',
      );
}

/** `/console/tensorboards/:tb/experiments/:exp`: the experiment's scalars as charts, refreshed live. */
export async function tensorboardExperimentPage(
  data: ConsoleData,
  tbId: string,
  expId: string,
): Promise<string | undefined> {
  const tb = await data.find('TensorboardService/GetTensorboard', 'tensorboards', tbId);
  if (!tb) return undefined;
  const name = `${tb.name as string}/experiments/${expId}`;
  const trail: [string, string][] = [['TensorBoard', '/console/tensorboards']];
  const exp = await data.attempt('TensorboardService/GetTensorboardExperiment', () =>
    data.call('TensorboardService/GetTensorboardExperiment', { name }),
  );
  if (!exp.ok) return page({ title: expId, section: 'tensorboards', trail, body: problem(exp.error) });
  const specs = await data.attempt('TensorboardService/ReadTensorboardTimeSeriesData', () =>
    scalarSpecs(data, name),
  );
  const job = await data.find('JobService/GetCustomJob', 'customJobs', expId).catch(() => undefined);
  const charts = !specs.ok ? problem(specs.error) : scalarCharts(specs.value, tbId, expId);
  const body = html`${facts([
    ['TensorBoard', `${(tb.displayName as string) || tbId} (${tbId})`],
    ['Resource name', html`<code>${name}</code>`],
    ['Created', when(exp.value.createTime)],
    [
      'Job',
      job ? html`<a href="/console/jobs/${expId}">${(job.displayName as string) || expId}</a>` : undefined,
    ],
  ])}<h2>Scalars</h2>${charts}`;
  return page({
    title: (exp.value.displayName as string) || expId,
    section: 'tensorboards',
    trail,
    body,
    scripts: ['charts'],
  });
}
