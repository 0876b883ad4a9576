/**
 * Runs every published notebook (and the notebook the Nx generator writes) headless in fresh tslab
 * kernels on the embedded emulator, through the same runner as `npm run notebooks`, and checks what landed
 * in the executed copies. Needs Debian's Jupyter pieces and built packages (the Nx test target builds them).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledNotebooks } from '../src/paths.ts';
import { formatFailure, type NotebookRun, runNotebooks } from '../src/runner.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const STARTER = `${root}packages/templates/src/generators/notebook/__fixtures__/03-my-experiment.ipynb`;

type Output = {
  output_type: string;
  name?: string;
  text?: string[];
  data?: Record<string, string | string[]>;
};
type Cell = { id: string; cell_type: string; outputs?: Output[] };

/** Everything a cell showed: stream text and text/html, joined. */
function shown(cells: Cell[], id: string): string {
  const cell = cells.find((c) => c.id === id);
  expect(cell, `no cell ${id}`).toBeDefined();
  return (cell!.outputs ?? [])
    .map((o) => [o.text ?? [], o.data?.['text/html'] ?? []].flat().join(''))
    .join('\n');
}

function mimeTypes(cells: Cell[], id: string): string[] {
  return (cells.find((c) => c.id === id)?.outputs ?? []).flatMap((o) => Object.keys(o.data ?? {}));
}

describe('the notebooks, executed headless', () => {
  const runs = new Map<string, NotebookRun>();
  const cells = (name: string): Cell[] => JSON.parse(readFileSync(runs.get(name)!.executed, 'utf8')).cells;

  beforeAll(async () => {
    const results = await runNotebooks({
      notebooks: [...bundledNotebooks(), STARTER],
      outDir: `${root}packages/notebooks/test-results/executed`,
      jupyterDir: `${root}node_modules/.cache/terra-vertex/jupyter`,
      keepGoing: true,
      log: (line) => console.log(line),
    });
    for (const r of results) runs.set(r.notebook.split('/').pop()!.replace('.ipynb', ''), r);
    console.log(
      results
        .map((r) => `${r.ok ? '✓' : '✗'} ${r.notebook.split('/').pop()} ${r.seconds.toFixed(1)} s`)
        .join('\n'),
    );
  }, 900_000);

  it.each([
    '01-custom-training',
    '02-distributed-training',
    '03-hyperparameter-tuning',
    '04-deploy-and-predict',
    '05-automl-vision-xai',
    '06-bigquery-ml-baseline',
    '07-tensorboard',
    '08-compare-baselines',
    '03-my-experiment',
  ])('%s runs to the end', (name) => {
    const run = runs.get(name)!;
    expect(run.ok, formatFailure(run)).toBe(true);
    const executed = cells(name).filter((c) => c.cell_type === 'code');
    expect(executed.every((c) => (c.outputs ?? []).length > 0)).toBe(true);
  });

  it('01: the script and the package train on the emulator, reattach by name, and register models', () => {
    const c = cells('01-custom-training');
    expect(shown(c, 'setup')).toContain('the embedded terra-vertex emulator');
    expect(shown(c, 'cost')).toContain('Estimated Vertex AI cost');
    expect(shown(c, 'script')).toMatch(/>SUCCEEDED</);
    expect(shown(c, 'script')).toMatch(
      /registered projects\/demo-terra-vertex\/locations\/us-central1\/models\/\d+@1/,
    );
    expect(shown(c, 'package')).toMatch(/state PIPELINE_STATE_(QUEUED|PENDING|RUNNING)/);
    expect(shown(c, 'reattach')).toMatch(/customJobs\/\d+[\s\S]*>SUCCEEDED<[\s\S]*JOB_STATE_SUCCEEDED/);
    expect(shown(c, 'logs')).toContain('PARAMS_SHA256');
    expect(shown(c, 'model')).toMatch(/-tabular-model[\s\S]*PIPELINE_STATE_SUCCEEDED/);
    expect(shown(c, 'tensorboard')).toMatch(
      /TensorBoard projects\/.*\/tensorboards\/\d+; jobs run as vertex-runner@/,
    );
    expect(shown(c, 'results')).toContain('accuracy');
    expect(shown(c, 'results')).toMatch(
      /Learning curves \(TensorBoard experiment \d+\)[\s\S]*<svg[\s\S]*train\/loss/,
    );
    expect(mimeTypes(c, 'results')).toEqual(['text/html', 'text/html', 'image/png']);
    expect(shown(c, 'cleanup')).toMatch(/deleted .*-tabular-model, .*-iris-script-model/);
  });

  it('02: three replicas train with DDP and their PARAMS_SHA256 digests agree', () => {
    const c = cells('02-distributed-training');
    const ranks = shown(c, 'ranks');
    expect(ranks).toContain('All 3 replicas ended with the same weights');
    for (const r of ['workerpool0-0', 'workerpool1-0', 'workerpool1-1']) expect(ranks).toContain(r);
    expect(new Set(ranks.match(/[0-9a-f]{64}/g))).toHaveProperty('size', 1);
    expect(ranks).toContain('ranks agree: true');
    expect(shown(c, 'ddp')).toMatch(/PIPELINE_STATE_SUCCEEDED: registered/);
    expect(mimeTypes(c, 'ranks')).toContain('image/svg+xml');
  });

  it('03: tunes the trainer with parallel trials, plots the study, trains the best in full, drives Vizier', () => {
    const c = cells('03-hyperparameter-tuning');
    expect(shown(c, 'tune')).toMatch(/tuning: JOB_STATE_SUCCEEDED, 8 trials/);
    expect(shown(c, 'trials')).toMatch(/learning_rate[\s\S]*hidden_units[\s\S]*accuracy/);
    expect(shown(c, 'plots')).toContain('<svg');
    expect(shown(c, 'trial-curves')).toMatch(/eval\/accuracy by epoch, one line per trial[\s\S]*<svg/);
    expect(mimeTypes(c, 'plots')).toEqual(['text/html', 'image/png']);
    expect(shown(c, 'best')).toMatch(
      /best: trial \d+, accuracy 0\.\d+, --learning_rate=\S+ --hidden_units=\d+/,
    );
    expect(shown(c, 'best')).toMatch(/registered projects\/.*\/models\/\d+@1/);
    const y = Number(/best y (\d+\.\d+)/.exec(shown(c, 'vizier'))![1]);
    expect(y - 0.397887).toBeLessThan(0.1);
    expect(shown(c, 'cleanup')).toMatch(/deleted .*-best-model/);
  });

  it('04: deploys a model, predicts held-out rows, splits traffic between two versions, cleans up', () => {
    const c = cells('04-deploy-and-predict');
    expect(shown(c, 'train')).toMatch(/version 2: .*models\/\d+@2 \(challenger/);
    expect(shown(c, 'holdout')).toContain('60 held-out rows of 8 features');
    expect(shown(c, 'deploy')).toMatch(/deployed \d+; traffic split \{"\d+":100\}/);
    const correct = Number(/(\d+)\/60 correct/.exec(shown(c, 'predict'))![1]);
    expect(correct).toBeGreaterThan(30); // better than chance on two classes
    expect(shown(c, 'split')).toMatch(/"\d+":50,"\d+":50/);
    expect(shown(c, 'split')).toMatch(/version 1[\s\S]*version 2|version 2[\s\S]*version 1/);
    expect(shown(c, 'promote')).toMatch(/answered by version 2/);
    expect(shown(c, 'teardown')).toMatch(/deleted projects\/.*\/endpoints\/\d+/);
  });

  it('08: prices each step, trains three models, compares them on the same held-out images, cleans up', () => {
    const c = cells('08-compare-baselines');
    expect(shown(c, 'cost')).toMatch(/Estimated cost of this notebook on Vertex AI: \$\d/);
    expect(shown(c, 'custom')).toMatch(
      /estimated cost on Vertex AI: \$[\d.]+ per hour; \$[\d.]+ for expectedDuration 30 min/,
    );
    expect(shown(c, 'bqml')).toMatch(/CREATE MODEL estimated at \$[\d.]+ \(dry run/);
    expect(shown(c, 'predict')).toMatch(
      /custom CNN \(PyTorch\): (\d+) predictions\nAutoML Vision: \1 predictions\nBigQuery ML logistic regression: \1 predictions/,
    );
    const compared = shown(c, 'compare');
    expect(compared).toMatch(/Leaderboard on \d+ held-out examples/);
    expect(compared).toMatch(/Confusion matrix/);
    expect(compared).toContain('data:image/png;base64,');
    expect(shown(c, 'report')).toMatch(
      /report: gs:\/\/\S+\/comparison-report\.html[\s\S]*verdict: the custom model ranks \d of 3/,
    );
    expect(shown(c, 'cleanup')).toMatch(
      /What keeps costing money[\s\S]*undeployed projects\/[\s\S]*deleted endpoint projects\/[\s\S]*still billing from this run: \$0\.00 per day/,
    );
  });

  it('07: watches two runs live in TensorBoard, compares them in an experiment, uploads a folder, links the console', () => {
    const c = cells('07-tensorboard');
    expect(shown(c, 'runs')).toMatch(/lr-0-003: JOB_STATE_SUCCEEDED[\s\S]*lr-0-03: JOB_STATE_SUCCEEDED/);
    expect(shown(c, 'runs')).toMatch(/learning curves \(live\)[\s\S]*<svg/);
    const table = shown(c, 'compare');
    for (const column of [
      'run_name',
      'param.learning_rate',
      'metric.accuracy',
      'time_series_metric.eval_accuracy',
    ])
      expect(table).toContain(column);
    expect(table).toMatch(/lr-0-003[\s\S]*COMPLETE/);
    expect(shown(c, 'curves')).toMatch(/Learning curves of both runs[\s\S]*lr-0-003[\s\S]*lr-0-03/);
    expect(shown(c, 'upload')).toMatch(/uploaded \d+ points in runs lr-0-003/);
    expect(shown(c, 'console')).toMatch(/http:\/\/127\.0\.0\.1:\d+\/console\/experiments\/tvx-lr-/);
    expect(shown(c, 'cleanup')).toMatch(
      /deleted experiment tvx-lr-\w+ and projects\/.*\/experiments\/tvx-lr-\w+-local/,
    );
  });

  it('06: loads the table into BigQuery, trains two BQML baselines, evaluates, explains, predicts, cleans up', () => {
    const c = cells('06-bigquery-ml-baseline');
    expect(shown(c, 'data')).toMatch(/569 rows in [\s\S]*benign[\s\S]*357[\s\S]*malignant[\s\S]*212/);
    const evaluation = shown(c, 'baseline');
    expect(evaluation).toMatch(/boosted trees<\/b> DONE: \d+ iteration/);
    for (const column of ['precision', 'recall', 'accuracy', 'f1_score', 'log_loss', 'roc_auc'])
      expect(evaluation).toContain(column);
    expect(mimeTypes(c, 'curves')).toEqual(['image/svg+xml', 'text/html', 'image/svg+xml']);
    expect(shown(c, 'curves')).toMatch(/expected[\s\S]*benign[\s\S]*malignant/);
    expect(mimeTypes(c, 'explain').filter((m) => m === 'image/svg+xml')).toHaveLength(3);
    expect(shown(c, 'explain')).toMatch(/approximation error 0/);
    expect(shown(c, 'predict')).toContain('predicted');
    expect(shown(c, 'cleanup')).toMatch(/deleted dataset tvx_\w+ with its table and models/);
  });
});
