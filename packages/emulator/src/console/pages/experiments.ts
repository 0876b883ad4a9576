import { status } from '@grpc/grpc-js';
import type { Json } from '../../vertex/protos.ts';
import { RpcError } from '../../vertex/rpc-error.ts';
import type { ConsoleData, Loaded } from '../data.ts';
import { formatNumber, lastSegment, stateLabel } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { empty, facts, page, problem } from '../layout.ts';
import { manyPlaces, when, whereCell } from './common.ts';
import { scalarCharts, scalarSpecs } from './tensorboards.ts';

const EXPERIMENT = 'system.Experiment';
const RUN = 'system.ExperimentRun';

/** Every context of the `default` metadata store of every project/location. */
async function contexts(data: ConsoleData): Promise<Loaded<Json[]>> {
  return data.attempt('MetadataService/ListContexts', async () =>
    (
      await Promise.all(
        data.sources.parents().map((p) =>
          data
            .listAll('MetadataService/ListContexts', { parent: `${p}/metadataStores/default` }, 'contexts')
            .catch((err: unknown) => {
              // A store that was never used does not exist yet: it holds nothing to show.
              if (err instanceof RpcError && err.code === status.NOT_FOUND) return [];
              throw err;
            }),
        ),
      )
    ).flat(),
  );
}

const meta = (c: Json) => (c.metadata ?? {}) as Json;

/** The runs of an experiment: contexts of schema `system.ExperimentRun` whose parent is the experiment. */
export function runsOf(all: Json[], experiment: Json): Json[] {
  return all
    .filter(
      (c) =>
        c.schemaTitle === RUN &&
        ((c.parentContexts as string[] | undefined) ?? []).includes(experiment.name as string),
    )
    .sort((a, b) => String(a.createTime ?? '').localeCompare(String(b.createTime ?? '')));
}

/** The union of the keys of `_params` or `_metrics` over runs, in first-seen order. */
export function columns(runs: Json[], field: '_params' | '_metrics'): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys((meta(r)[field] ?? {}) as Json)) keys.add(k);
  return [...keys];
}

/** The runs side by side: one row per run, its state, parameters and metrics. */
export function runsTable(runs: Json[]): SafeHtml {
  const params = columns(runs, '_params');
  const metrics = columns(runs, '_metrics');
  return html`<table class="runs"><thead><tr><th>Run</th><th>State</th><th>Started</th>${params.map((p) => html`<th class="num param">param.${p}</th>`)}${metrics.map((m) => html`<th class="num metric">metric.${m}</th>`)}</tr></thead><tbody>${runs.map(
    (r) => {
      const m = meta(r);
      const state = String(m._state ?? '');
      const tone =
        state === 'COMPLETE' ? 'ok' : state === 'FAILED' ? 'bad' : state === 'RUNNING' ? 'run' : 'wait';
      return html`<tr><td>${(r.displayName as string) || lastSegment(r.name)}</td><td><span class="state ${tone}">${stateLabel(state)}</span></td><td>${when(r.createTime)}</td>${params.map((p) => html`<td class="num">${formatNumber(((m._params ?? {}) as Json)[p])}</td>`)}${metrics.map((k) => html`<td class="num">${formatNumber(((m._metrics ?? {}) as Json)[k])}</td>`)}</tr>`;
    },
  )}</tbody></table>`;
}

/** `/console/experiments`: Vertex AI Experiments (metadata contexts of schema `system.Experiment`). */
export async function experimentsPage(data: ConsoleData): Promise<string> {
  const all = await contexts(data);
  let body: SafeHtml;
  if (!all.ok) body = problem(all.error);
  else {
    const experiments = all.value.filter((c) => c.schemaTitle === EXPERIMENT);
    const many = manyPlaces(experiments);
    body = experiments.length
      ? html`<table><thead><tr><th>Experiment</th><th class="num">Runs</th><th>Created</th><th>TensorBoard</th>${many ? html`<th>Project / location</th>` : ''}</tr></thead><tbody>${experiments.map(
          (e) =>
            html`<tr><td><a href="/console/experiments/${lastSegment(e.name)}">${(e.displayName as string) || lastSegment(e.name)}</a></td><td class="num">${runsOf(all.value, e).length}</td><td>${when(e.createTime)}</td><td>${tensorboardLink(e)}</td>${whereCell(e, many)}</tr>`,
        )}</tbody></table>`
      : empty(
          'experiments',
          html`Call <code>init({ experiment: 'my-experiment' })</code> and <code>startRun('run-1')</code> from <code>@terra-vertex/core</code>, then log parameters and metrics, to compare runs here.`,
        );
  }
  return page({ title: 'Experiments', section: 'experiments', body });
}

/**
 * The runs' time-series metrics (`logTimeSeriesMetrics`), one chart per metric with a line per run: they live
 * in the backing TensorBoard's experiment of the same name, a TensorBoard run per experiment run.
 */
async function timeSeriesCharts(data: ConsoleData, experiment: Json): Promise<SafeHtml | ''> {
  const tb = meta(experiment).backing_tensorboard_resource as string | undefined;
  if (!tb) return '';
  const expId = lastSegment(experiment.name);
  const specs = await data.attempt('TensorboardService/ReadTensorboardTimeSeriesData', () =>
    scalarSpecs(data, `${tb}/experiments/${expId}`).catch((err: unknown) => {
      // No run has logged a time series yet, so the TensorBoard experiment does not exist.
      if (err instanceof RpcError && err.code === status.NOT_FOUND) return new Map();
      throw err;
    }),
  );
  if (specs.ok && !specs.value.size) return '';
  return html`<h2>Time-series metrics</h2>${specs.ok ? scalarCharts(specs.value, lastSegment(tb), expId) : problem(specs.error)}`;
}

function tensorboardLink(e: Json): SafeHtml | string {
  const tb = meta(e).backing_tensorboard_resource as string | undefined;
  if (!tb) return '—';
  return html`<a href="/console/tensorboards/${lastSegment(tb)}/experiments/${lastSegment(e.name)}">${lastSegment(tb)}</a>`;
}

/** `/console/experiments/:id`: an experiment's runs side by side. */
export async function experimentPage(data: ConsoleData, id: string): Promise<string | undefined> {
  const all = await contexts(data);
  if (!all.ok)
    return page({
      title: id,
      section: 'experiments',
      trail: [['Experiments', '/console/experiments']],
      body: problem(all.error),
    });
  const experiment = all.value.find((c) => c.schemaTitle === EXPERIMENT && lastSegment(c.name) === id);
  if (!experiment) return undefined;
  const runs = runsOf(all.value, experiment);
  const curves = await timeSeriesCharts(data, experiment);
  const body = html`${facts([
    ['Resource name', html`<code>${experiment.name}</code>`],
    ['Created', when(experiment.createTime)],
    ['Description', (experiment.description as string) || undefined],
    ['TensorBoard', tensorboardLink(experiment)],
  ])}<h2>Runs</h2>${runs.length ? runsTable(runs) : empty('runs in this experiment', html`Call <code>startRun('run-1')</code> after <code>init({ experiment: '${id}' })</code> to add one.`)}${curves}`;
  return page({
    title: (experiment.displayName as string) || id,
    section: 'experiments',
    trail: [['Experiments', '/console/experiments']],
    body,
    scripts: curves ? ['charts'] : [],
  });
}
