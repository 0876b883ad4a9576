import type { Json } from '../../vertex/protos.ts';
import type { ConsoleData } from '../data.ts';
import { isTerminal, lastSegment, runDuration } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { empty, facts, page, problem } from '../layout.ts';
import { errorBox, manyPlaces, nameCell, stateBadge, when, whereCell } from './common.ts';
import { logView } from './logs.ts';

/**
 * The job's tensorboard, linked to the TensorBoard experiment named after the job once it exists (a tuning
 * trial's scalars live in its tuning job's experiment instead, so its tensorboard stays plain text).
 */
async function tensorboardLink(
  data: ConsoleData,
  tensorboard: string | undefined,
  jobId: string,
): Promise<SafeHtml | string | undefined> {
  if (!tensorboard) return undefined;
  const experiment = `${tensorboard}/experiments/${jobId}`;
  const found = await data
    .call('TensorboardService/GetTensorboardExperiment', { name: experiment })
    .then(() => true)
    .catch(() => false); // no experiment (yet): the job wrote no event files, or it is a tuning trial
  return found
    ? html`<a href="/console/tensorboards/${lastSegment(tensorboard)}/experiments/${jobId}">${tensorboard}</a>`
    : tensorboard;
}

/** `1 × n1-standard-4, 2 × n1-standard-4` for a job's worker pools. */
function poolsOf(job: Json): string {
  const pools = (((job.jobSpec as Json | undefined)?.workerPoolSpecs as Json[] | undefined) ?? []).filter(
    (p) => p && Object.keys(p).length,
  );
  return pools
    .map(
      (p) =>
        `${p.replicaCount ?? 1} × ${((p.machineSpec as Json | undefined)?.machineType as string) ?? '?'}`,
    )
    .join(', ');
}

/** Custom jobs as a table (also used for a tuning job's trial jobs). */
export function jobTable(jobs: Json[]): SafeHtml {
  const many = manyPlaces(jobs);
  return html`<table class="jobs"><thead><tr><th>Job</th><th>State</th><th>Created</th><th>Duration</th><th>Workers</th>${many ? html`<th>Project / location</th>` : ''}</tr></thead><tbody>${jobs.map(
    (j) =>
      html`<tr><td>${nameCell(j, `/console/jobs/${lastSegment(j.name)}`)}</td><td>${stateBadge(j.state)}</td><td>${when(j.createTime)}</td><td>${runDuration(j.startTime, j.endTime)}</td><td>${poolsOf(j)}</td>${whereCell(j, many)}</tr>`,
  )}</tbody></table>`;
}

/** `/console/jobs`: every custom job (trials of tuning jobs included). */
export async function jobsPage(data: ConsoleData): Promise<string> {
  const jobs = await data.listEverywhere('JobService/ListCustomJobs', 'customJobs');
  const running = jobs.ok && jobs.value.some((j) => !isTerminal(j.state));
  const body = !jobs.ok
    ? problem(jobs.error)
    : jobs.value.length
      ? jobTable(jobs.value)
      : empty(
          'custom jobs',
          html`Run <code>tvx train custom-job …</code> (or <code>CustomJob.run()</code> from <code>@terra-vertex/core</code>) to see jobs here.`,
        );
  return page({
    title: 'Custom jobs',
    section: 'jobs',
    body: html`${running ? html`<div data-refresh="4" hidden></div>` : ''}${body}`,
    scripts: running ? ['live'] : [],
  });
}

/** `/console/jobs/:id`: a job's facts and its logs, live while it runs. */
export async function jobPage(data: ConsoleData, id: string): Promise<string | undefined> {
  const job = await data.find('JobService/GetCustomJob', 'customJobs', id);
  if (!job) return undefined;
  const spec = (job.jobSpec ?? {}) as Json;
  const body = html`${errorBox(job)}${facts([
    ['State', stateBadge(job.state, true)],
    ['Duration', html`<span data-live="duration">${runDuration(job.startTime, job.endTime)}</span>`],
    ['Created', when(job.createTime)],
    ['Resource name', html`<code>${job.name}</code>`],
    ['Workers', poolsOf(job)],
    ['Output', ((spec.baseOutputDirectory as Json | undefined)?.outputUriPrefix as string) ?? undefined],
    ['TensorBoard', await tensorboardLink(data, spec.tensorboard as string | undefined, id)],
  ])}<h2>Logs</h2>${logView(data, id, job.name as string, job.state)}`;
  return page({
    title: (job.displayName as string) || id,
    section: 'jobs',
    trail: [['Jobs', '/console/jobs']],
    body,
    scripts: ['logs'],
  });
}
