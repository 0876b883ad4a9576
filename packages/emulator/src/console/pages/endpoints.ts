import type { Json } from '../../vertex/protos.ts';
import type { ConsoleData } from '../data.ts';
import { formatAgo, lastSegment } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { empty, facts, page, problem } from '../layout.ts';
import { manyPlaces, nameCell, when, whereCell } from './common.ts';
import { explainForm } from './explain-form.ts';
import { logView } from './logs.ts';

function splitOf(e: Json): [string, number][] {
  return Object.entries((e.trafficSplit ?? {}) as Record<string, number>).map(([k, v]) => [k, Number(v)]);
}

function rangeOf(d: Json): string {
  const r = (d.dedicatedResources ?? d.automaticResources ?? {}) as Json;
  const min = Number(r.minReplicaCount ?? 1);
  const max = Number(r.maxReplicaCount ?? min);
  return max > min ? `${min}–${max}` : String(min);
}

/** `/console/endpoints`: endpoints and their deployed models. */
export async function endpointsPage(data: ConsoleData): Promise<string> {
  const list = await data.listEverywhere('EndpointService/ListEndpoints', 'endpoints');
  let body = list.ok ? html`` : problem(list.error);
  if (list.ok && !list.value.length)
    body = empty(
      'endpoints',
      html`Run <code>tvx endpoints create …</code> and <code>tvx endpoints deploy …</code> to serve a model here.`,
    );
  else if (list.ok) {
    const many = manyPlaces(list.value);
    body = html`<table><thead><tr><th>Endpoint</th><th>Deployed models</th><th>Traffic split</th><th>Created</th>${many ? html`<th>Project / location</th>` : ''}</tr></thead><tbody>${list.value.map(
      (e) =>
        html`<tr><td>${nameCell(e, `/console/endpoints/${lastSegment(e.name)}`)}</td><td class="num">${((e.deployedModels as Json[] | undefined) ?? []).length}</td><td>${
          splitOf(e)
            .map(([id, p]) => `${id}: ${p}%`)
            .join(', ') || '—'
        }</td><td>${when(e.createTime)}</td>${whereCell(e, many)}</tr>`,
    )}</tbody></table>`;
  }
  return page({ title: 'Endpoints', section: 'endpoints', body });
}

function replicasTable(data: ConsoleData, endpoint: string, d: Json): SafeHtml {
  const pool = data.sources.endpoints.pool(endpoint, d.id as string);
  if (!pool)
    return html`<p class="muted">No server runs for this deployed model (it is being deployed, or failed to start).</p>`;
  const s = pool.status();
  return html`<p class="muted">${s.replicas.length} running${s.starting ? `, ${s.starting} starting` : ''} · range ${s.min}–${s.max}</p>
<table class="replicas"><thead><tr><th>Replica</th><th>State</th><th class="num">Port</th><th class="num">PID</th><th class="num">Requests in flight</th><th>Started</th><th>Last request</th></tr></thead><tbody>${s.replicas.map(
    (r) =>
      html`<tr><td>${r.task}</td><td>${r.ready ? html`<span class="state ok">Ready</span>` : html`<span class="state wait">Starting</span>`}</td><td class="num">${r.port}</td><td class="num">${r.pid ?? '—'}</td><td class="num">${r.inFlight}</td><td>${formatAgo(new Date(r.startedAt).toISOString())}</td><td>${formatAgo(new Date(r.lastUsed).toISOString())}</td></tr>`,
  )}</tbody></table>`;
}

/** `/console/endpoints/:id`: traffic split, deployed models with their replicas and logs, explanations. */
export async function endpointPage(data: ConsoleData, id: string): Promise<string | undefined> {
  const e = await data.find('EndpointService/GetEndpoint', 'endpoints', id);
  if (!e) return undefined;
  const deployed = (e.deployedModels as Json[] | undefined) ?? [];
  const split = splitOf(e);
  const name = e.name as string;
  const splitBody = split.length
    ? html`<table class="split"><thead><tr><th>Deployed model</th><th class="num">Traffic</th><th></th></tr></thead><tbody>${split.map(
        ([dm, p]) =>
          html`<tr><td>${dm}</td><td class="num">${p}%</td><td style="width: 50%"><div class="bar pos" style="width: ${Math.max(0, Math.min(100, p))}%"></div></td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No traffic split: nothing is deployed.</p>`;
  const models = deployed.length
    ? deployed.map(
        (d) =>
          html`<section class="deployed" data-deployed="${d.id}"><h3>${(d.displayName as string) || d.id} <span class="muted">(${d.id})</span></h3>${facts(
            [
              [
                'Model',
                html`<a href="/console/models/${lastSegment(d.model)}">${lastSegment(d.model)}</a> version ${d.modelVersionId ?? '1'}`,
              ],
              ['Replicas', rangeOf(d)],
              [
                'Machine',
                (((d.dedicatedResources as Json | undefined)?.machineSpec as Json | undefined)
                  ?.machineType as string) || undefined,
              ],
              [
                'Explanations',
                d.explanationSpec && !d.disableExplanations
                  ? Object.keys(((d.explanationSpec as Json).parameters ?? {}) as Json).join(', ') || 'yes'
                  : undefined,
              ],
              ['Deployed', when(d.createTime)],
            ],
          )}<h4>Replicas</h4>${replicasTable(data, name, d)}<details><summary>Server logs</summary>${logView(data, d.id as string, name, undefined)}</details></section>`,
      )
    : empty(
        'deployed models on this endpoint',
        html`Run <code>tvx endpoints deploy …</code> to serve a model here.`,
      );
  const explainable = deployed.filter((d) => d.explanationSpec && !d.disableExplanations);
  const body = html`${facts([
    ['Resource name', html`<code>${name}</code>`],
    ['Created', when(e.createTime)],
  ])}<h2>Traffic split</h2>${splitBody}<h2>Deployed models</h2>${models}${explainable.length ? html`<h2>Explain a prediction</h2>${explainForm(name, explainable)}` : ''}`;
  return page({
    title: (e.displayName as string) || id,
    section: 'endpoints',
    trail: [['Endpoints', '/console/endpoints']],
    body,
    scripts: ['logs', ...(explainable.length ? (['explain'] as const) : [])],
  });
}
