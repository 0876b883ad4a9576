import type { ConsoleData } from '../data.ts';
import { html } from '../html.ts';
import { page, SECTIONS } from '../layout.ts';
import { jobTable } from './jobs.ts';

const LISTS: Record<string, [method: string, field: string]> = {
  jobs: ['JobService/ListCustomJobs', 'customJobs'],
  pipelines: ['PipelineService/ListTrainingPipelines', 'trainingPipelines'],
  tuning: ['JobService/ListHyperparameterTuningJobs', 'hyperparameterTuningJobs'],
  tensorboards: ['TensorboardService/ListTensorboards', 'tensorboards'],
  models: ['ModelService/ListModels', 'models'],
  endpoints: ['EndpointService/ListEndpoints', 'endpoints'],
};

/** `/console`: how many of each there are, and the latest jobs. */
export async function homePage(data: ConsoleData): Promise<string> {
  const counts = await Promise.all(
    SECTIONS.map(async ([id, label]) => {
      const list = LISTS[id];
      if (!list) return html`<li><a href="/console/${id}">${label}</a></li>`;
      const got = await data.listEverywhere(list[0], list[1]);
      return html`<li><a href="/console/${id}">${label}</a> <span class="muted">${got.ok ? got.value.length : 'unavailable'}</span></li>`;
    }),
  );
  const jobs = await data.listEverywhere('JobService/ListCustomJobs', 'customJobs');
  const recent =
    jobs.ok && jobs.value.length
      ? jobTable(jobs.value.slice(0, 8))
      : html`<p class="muted">No jobs yet: run <code>tvx train custom-job …</code> to see them here.</p>`;
  const places = data.sources.parents();
  const body = html`<p class="muted">The local emulator's resources in ${places.map((p, i) => html`${i ? ', ' : ''}<code>${p}</code>`)}.</p>
<ul class="sections">${counts}</ul><h2>Recent jobs</h2>${recent}`;
  return page({ title: 'Console', section: 'home', body });
}
