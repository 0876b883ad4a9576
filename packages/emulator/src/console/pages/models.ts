import type { Json } from '../../vertex/protos.ts';
import type { ConsoleData } from '../data.ts';
import { lastSegment } from '../format.ts';
import { html } from '../html.ts';
import { empty, facts, page, problem } from '../layout.ts';
import { manyPlaces, nameCell, when, whereCell } from './common.ts';
import { evaluationView } from './evaluation.ts';

function deployedLinks(m: Json) {
  const deployed = (m.deployedModels as Json[] | undefined) ?? [];
  return deployed.length
    ? deployed.map(
        (d) => html`<a href="/console/endpoints/${lastSegment(d.endpoint)}">${lastSegment(d.endpoint)}</a> `,
      )
    : '—';
}

/** `/console/models`: the model registry (default versions). */
export async function modelsPage(data: ConsoleData): Promise<string> {
  const list = await data.listEverywhere('ModelService/ListModels', 'models');
  let body = list.ok ? html`` : problem(list.error);
  if (list.ok && !list.value.length)
    body = empty(
      'models',
      html`Run <code>tvx models upload …</code>, a training pipeline (<code>tvx train script …</code>) or <code>tvx automl image train …</code> to see models here.`,
    );
  else if (list.ok) {
    const many = manyPlaces(list.value);
    body = html`<table><thead><tr><th>Model</th><th>Version</th><th>Created</th><th>Serving image</th><th>Deployed on</th>${many ? html`<th>Project / location</th>` : ''}</tr></thead><tbody>${list.value.map(
      (m) =>
        html`<tr><td>${nameCell(m, `/console/models/${lastSegment(m.name)}`)}</td><td>${m.versionId ?? '1'}${((m.versionAliases as string[] | undefined) ?? []).map((a) => html` <span class="muted">${a}</span>`)}</td><td>${when(m.createTime)}</td><td><code>${(m.containerSpec as Json | undefined)?.imageUri ?? ''}</code></td><td>${deployedLinks(m)}</td>${whereCell(m, many)}</tr>`,
    )}</tbody></table>`;
  }
  return page({ title: 'Models', section: 'models', body });
}

/** `/console/models/:id`: a model's versions and their evaluations. */
export async function modelPage(data: ConsoleData, id: string): Promise<string | undefined> {
  const model = await data.find('ModelService/GetModel', 'models', id);
  if (!model) return undefined;
  const versions = await data.attempt('ModelService/ListModelVersions', () =>
    data.listAll('ModelService/ListModelVersions', { name: model.name }, 'models'),
  );
  const list = versions.ok ? versions.value : [model];
  const evaluations = await data.attempt('ModelService/ListModelEvaluations', async () =>
    (
      await Promise.all(
        list.map(async (v) =>
          (
            await data.listAll(
              'ModelService/ListModelEvaluations',
              { parent: `${model.name}@${v.versionId}` },
              'modelEvaluations',
            )
          ).map((e) => ({ e, version: String(v.versionId) })),
        ),
      )
    ).flat(),
  );
  const evalBody = !evaluations.ok
    ? problem(evaluations.error)
    : evaluations.value.length
      ? html`${evaluations.value.map(({ e, version }) => evaluationView(e, list.length > 1 ? version : undefined))}`
      : empty(
          'evaluations of this model',
          html`AutoML models are evaluated when they are trained; import one with <code>ModelService.ImportModelEvaluation</code> or run <code>tvx automl image evaluate …</code>.`,
        );
  const body = html`${facts([
    ['Resource name', html`<code>${model.name}</code>`],
    ['Created', when(model.createTime)],
    ['Artifacts', (model.artifactUri as string) || undefined],
    ['Serving image', ((model.containerSpec as Json | undefined)?.imageUri as string) || undefined],
    [
      'Training pipeline',
      model.trainingPipeline
        ? html`<a href="/console/pipelines/${lastSegment(model.trainingPipeline)}">${lastSegment(model.trainingPipeline)}</a>`
        : undefined,
    ],
    ['Deployed on', html`${deployedLinks(model)}`],
    ['Explanations', model.explanationSpec ? 'explanation spec set' : undefined],
  ])}${versions.ok ? '' : problem(versions.error)}<h2>Versions</h2><table><thead><tr><th>Version</th><th>Aliases</th><th>Created</th><th>Description</th></tr></thead><tbody>${list.map(
    (v) =>
      html`<tr><td>${v.versionId ?? '1'}</td><td>${((v.versionAliases as string[] | undefined) ?? []).join(', ')}</td><td>${when(v.versionCreateTime ?? v.createTime)}</td><td>${v.versionDescription ?? ''}</td></tr>`,
  )}</tbody></table><h2>Evaluations</h2>${evalBody}`;
  return page({
    title: (model.displayName as string) || id,
    section: 'models',
    trail: [['Models', '/console/models']],
    body,
    scripts: ['charts'],
  });
}
