import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerApi } from './api.ts';
import { registerAssets } from './assets.ts';
import { ConsoleData } from './data.ts';
import { html } from './html.ts';
import { page, problem, type Section } from './layout.ts';
import { endpointPage, endpointsPage } from './pages/endpoints.ts';
import { experimentPage, experimentsPage } from './pages/experiments.ts';
import { homePage } from './pages/home.ts';
import { jobPage, jobsPage } from './pages/jobs.ts';
import { modelPage, modelsPage } from './pages/models.ts';
import { pipelinePage, pipelinesPage } from './pages/pipelines.ts';
import { tensorboardExperimentPage, tensorboardsPage } from './pages/tensorboards.ts';
import { tuningListPage, tuningPage } from './pages/tuning.ts';
import type { ConsoleSources } from './sources.ts';

export { type ConsoleSources, projectLocations } from './sources.ts';

type Render = (data: ConsoleData, params: Record<string, string>) => Promise<string | undefined>;

/** Page routes: path, section (for navigation and the not-found page), renderer. */
const PAGES: [path: string, section: Section, what: string, render: Render][] = [
  ['/console', 'home', 'page', (d) => homePage(d)],
  ['/console/jobs', 'jobs', 'page', (d) => jobsPage(d)],
  ['/console/jobs/:id', 'jobs', 'custom job', (d, p) => jobPage(d, p.id!)],
  ['/console/pipelines', 'pipelines', 'page', (d) => pipelinesPage(d)],
  ['/console/pipelines/:id', 'pipelines', 'training pipeline', (d, p) => pipelinePage(d, p.id!)],
  ['/console/tuning', 'tuning', 'page', (d) => tuningListPage(d)],
  ['/console/tuning/:id', 'tuning', 'hyperparameter tuning job', (d, p) => tuningPage(d, p.id!)],
  ['/console/experiments', 'experiments', 'page', (d) => experimentsPage(d)],
  ['/console/experiments/:id', 'experiments', 'experiment', (d, p) => experimentPage(d, p.id!)],
  ['/console/tensorboards', 'tensorboards', 'page', (d) => tensorboardsPage(d)],
  [
    '/console/tensorboards/:tb/experiments/:exp',
    'tensorboards',
    'TensorBoard experiment',
    (d, p) => tensorboardExperimentPage(d, p.tb!, p.exp!),
  ],
  ['/console/models', 'models', 'page', (d) => modelsPage(d)],
  ['/console/models/:id', 'models', 'model', (d, p) => modelPage(d, p.id!)],
  ['/console/endpoints', 'endpoints', 'page', (d) => endpointsPage(d)],
  ['/console/endpoints/:id', 'endpoints', 'endpoint', (d, p) => endpointPage(d, p.id!)],
];

function sendPage(reply: FastifyReply, code: number, body: string): FastifyReply {
  return reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/**
 * Serves the local console under `/console`: server-rendered pages of jobs (with live logs), pipelines,
 * tuning studies, experiments, TensorBoard scalars, models with their evaluations and endpoints with their
 * replicas and explanations, read through the served RPC handlers; JSON routes under `/console/api/`.
 */
export function registerConsole(http: FastifyInstance, sources: ConsoleSources): void {
  const data = new ConsoleData(sources);
  registerAssets(http);
  registerApi(http, data);
  http.get('/console/', async (_req, reply) => reply.redirect('/console'));
  for (const [path, section, what, render] of PAGES) {
    http.get<{ Params: Record<string, string> }>(path, async (req, reply) => {
      const title = section === 'home' ? 'Console' : section.charAt(0).toUpperCase() + section.slice(1);
      try {
        const body = await render(data, req.params);
        if (body !== undefined) return sendPage(reply, 200, body);
        const id = Object.values(req.params).at(-1) ?? '';
        return sendPage(
          reply,
          404,
          page({
            title: 'Not found',
            section,
            body: html`<p>No ${what} <code>${id}</code> in ${sources.parents().join(', ')}: it may have been deleted.</p><p><a href="/console/${section === 'home' ? '' : section}">Back to ${title}</a></p>`,
          }),
        );
      } catch (err) {
        return sendPage(
          reply,
          500,
          page({ title, section, body: problem(`This page could not be read: ${(err as Error).message}`) }),
        );
      }
    });
  }
}
