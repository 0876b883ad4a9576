import type { Json } from '../../vertex/protos.ts';
import type { ConsoleData } from '../data.ts';
import { isTerminal, lastSegment, runDuration } from '../format.ts';
import { html } from '../html.ts';
import { empty, facts, page, problem } from '../layout.ts';
import { errorBox, manyPlaces, nameCell, stateBadge, when, whereCell } from './common.ts';
import { logView } from './logs.ts';

/** `custom task`, `AutoML image classification` … from a pipeline's training task definition. */
function taskKind(p: Json): string {
  const def = String(p.trainingTaskDefinition ?? '');
  const file =
    def
      .split('/')
      .pop()
      ?.replace(/_\d+\.\d+\.\d+\.yaml$/, '') ?? '';
  return file.replace(/_/g, ' ') || 'unknown task';
}

/** `/console/pipelines`: training pipelines. */
export async function pipelinesPage(data: ConsoleData): Promise<string> {
  const list = await data.listEverywhere('PipelineService/ListTrainingPipelines', 'trainingPipelines');
  let body = list.ok ? html`` : problem(list.error);
  if (list.ok && !list.value.length)
    body = empty(
      'training pipelines',
      html`Run <code>tvx train script …</code> or <code>tvx automl image train …</code> to see pipelines here.`,
    );
  else if (list.ok) {
    const many = manyPlaces(list.value);
    body = html`<table><thead><tr><th>Pipeline</th><th>State</th><th>Task</th><th>Created</th><th>Duration</th><th>Model</th>${many ? html`<th>Project / location</th>` : ''}</tr></thead><tbody>${list.value.map(
      (p) =>
        html`<tr><td>${nameCell(p, `/console/pipelines/${lastSegment(p.name)}`)}</td><td>${stateBadge(p.state)}</td><td>${taskKind(p)}</td><td>${when(p.createTime)}</td><td>${runDuration(p.startTime, p.endTime)}</td><td>${p.modelId ? html`<a href="/console/models/${p.modelId}">${p.modelId}</a>` : '—'}</td>${whereCell(p, many)}</tr>`,
    )}</tbody></table>`;
  }
  const running = list.ok && list.value.some((p) => !isTerminal(p.state));
  return page({
    title: 'Training pipelines',
    section: 'pipelines',
    body: html`${running ? html`<div data-refresh="4" hidden></div>` : ''}${body}`,
    scripts: running ? ['live'] : [],
  });
}

/** `/console/pipelines/:id`: a pipeline, its model and the live logs of the job that trains it. */
export async function pipelinePage(data: ConsoleData, id: string): Promise<string | undefined> {
  const p = await data.find('PipelineService/GetTrainingPipeline', 'trainingPipelines', id);
  if (!p) return undefined;
  const job = (p.trainingTaskMetadata as Json | undefined)?.backingCustomJob as string | undefined;
  // Custom tasks log under their backing job; AutoML trainers under the pipeline's own id.
  const logId = job ? lastSegment(job) : id;
  const body = html`${errorBox(p)}${facts([
    ['State', stateBadge(p.state, true)],
    ['Duration', html`<span data-live="duration">${runDuration(p.startTime, p.endTime)}</span>`],
    ['Created', when(p.createTime)],
    ['Task', taskKind(p)],
    ['Resource name', html`<code>${p.name}</code>`],
    [
      'Training job',
      job ? html`<a href="/console/jobs/${lastSegment(job)}">${lastSegment(job)}</a>` : undefined,
    ],
    ['Model', p.modelId ? html`<a href="/console/models/${p.modelId}">${p.modelId}</a>` : undefined],
  ])}<h2>Logs</h2>${logView(data, logId, p.name as string, p.state)}`;
  return page({
    title: (p.displayName as string) || id,
    section: 'pipelines',
    trail: [['Pipelines', '/console/pipelines']],
    body,
    scripts: ['logs'],
  });
}
