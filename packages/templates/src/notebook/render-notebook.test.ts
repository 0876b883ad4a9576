import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotebookTemplateError } from './errors.ts';
import {
  checkNotebooks,
  listNotebookTemplates,
  renderNotebook,
  renderStarterNotebook,
  writeNotebooks,
} from './render-notebook.ts';

type Notebook = {
  cells: { cell_type: string; id: string; source: string[] }[];
  metadata: Record<string, unknown>;
};
const source = (nb: Notebook) => nb.cells.map((c) => c.source.join('')).join('\n');

describe('notebook templates', () => {
  it('lists the published notebooks', () => {
    expect(listNotebookTemplates()).toEqual([
      '01-custom-training',
      '02-distributed-training',
      '03-hyperparameter-tuning',
      '04-deploy-and-predict',
      '05-automl-vision-xai',
      '06-bigquery-ml-baseline',
      '07-tensorboard',
      '08-compare-baselines',
    ]);
  });

  it.each([
    '01-custom-training',
    '02-distributed-training',
    '03-hyperparameter-tuning',
    '04-deploy-and-predict',
    '05-automl-vision-xai',
    '06-bigquery-ml-baseline',
    '07-tensorboard',
    '08-compare-baselines',
  ])('%s renders deterministically to a tslab notebook with setup, cost and cleanup cells', (name) => {
    const text = renderNotebook(name);
    expect(renderNotebook(name)).toBe(text);
    const nb = JSON.parse(text) as Notebook;
    expect(nb.metadata.terra_vertex).toEqual({ template: name });
    const ids = nb.cells.map((c) => c.id);
    expect(ids.slice(0, 4)).toEqual(['title', 'setup-intro', 'setup', 'cost-intro']);
    expect(ids).toContain('cost');
    expect(ids.at(-1)).toBe('cleanup');
    expect(new Set(ids).size).toBe(ids.length);
    const all = source(nb);
    expect(all).not.toMatch(/\{\{|&quot;|&#x3D;/);
    for (const v of [
      'WORKSPACE_BUCKET',
      'GOOGLE_PROJECT',
      'OWNER_EMAIL',
      'startEmulator()',
      'cleanUpRun(RUN)',
    ]) {
      expect(all).toContain(v);
    }
    expect(all).toMatch(/estimateTrainingCost|costEstimateHtml/);
  });

  it('01 uses both training classes, sync: false, reattaching and logs; 02 runs three replicas', () => {
    const one = source(JSON.parse(renderNotebook('01-custom-training')) as Notebook);
    for (const v of [
      'new CustomTrainingJob(',
      'new CustomPythonPackageTrainingJob(',
      'sync: false',
      'CustomJob.get(',
      '.logs()',
      'Model.get(',
    ]) {
      expect(one).toContain(v);
    }
    const two = source(JSON.parse(renderNotebook('02-distributed-training')) as Notebook);
    expect(two).toContain('replicaCount: 3');
    expect(two).toContain('replicaDigests(');
    expect(two).not.toContain('hyperparameters:');
    const three = source(JSON.parse(renderNotebook('03-hyperparameter-tuning')) as Notebook);
    for (const v of [
      'hyperparameters: [{"name":"learning_rate"',
      'new HyperparameterTuningJob(',
      'bestTrial()',
      'Study.createOrLoad(',
    ]) {
      expect(three).toContain(v);
    }
  });

  it('names the templates when asked for an unknown one', () => {
    expect(() => renderNotebook('06-nope')).toThrow(NotebookTemplateError);
    expect(() => renderNotebook('06-nope')).toThrow(
      /Use one of: 01-custom-training, 02-distributed-training, 03-hyperparameter-tuning, 04-deploy-and-predict, 05-automl-vision-xai, 06-bigquery-ml-baseline, 07-tensorboard, 08-compare-baselines/,
    );
  });

  it('renders the starter for each framework and rejects bad names', () => {
    for (const framework of ['sklearn', 'xgboost', 'pytorch'] as const) {
      const nb = JSON.parse(
        renderStarterNotebook({ name: 'exp-1', title: 'My <experiment>', framework }),
      ) as Notebook;
      expect(nb.cells[0]!.source[0]).toBe('# My <experiment>\n');
      expect(source(nb)).toContain(`framework: '${framework}'`);
      expect(source(nb)).toContain(`vertex-ai/training/${framework}-cpu`);
    }
    expect(() => renderStarterNotebook({ name: 'a/b' })).toThrow(/name: "a\/b" is not a notebook file name/);
    expect(() => renderStarterNotebook({ name: 'x.ipynb' })).toThrow(/without the \.ipynb extension/);
    expect(() => renderStarterNotebook({ name: 'x', framework: 'tf-keras' as 'sklearn' })).toThrow(
      /framework/,
    );
  });

  it('writes the notebooks, then reports drift: out of date, missing, no template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tvx-notebooks-'));
    const count = listNotebookTemplates().length;
    expect((await checkNotebooks(dir)).map((d) => d.problem)).toEqual(Array(count).fill('missing'));
    expect(await writeNotebooks(dir)).toHaveLength(count);
    expect(await writeNotebooks(dir)).toEqual([]);
    expect(await checkNotebooks(dir)).toEqual([]);
    const file = join(dir, '01-custom-training.ipynb');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Custom training', 'Edited by hand'));
    writeFileSync(join(dir, 'stray.ipynb'), '{}');
    expect(await checkNotebooks(dir)).toEqual([
      { file, problem: 'out of date' },
      { file: join(dir, 'stray.ipynb'), problem: 'no template' },
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
