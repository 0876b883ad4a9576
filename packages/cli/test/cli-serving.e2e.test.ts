/**
 * `tvx` for tuning, serving and AutoML against its own emulator: a tuning job with its report, a model deployed,
 * predicted and split between versions, AutoML Vision trained, evaluated and explained.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uploadImageDataset, writeDigitsDataset } from '@terra-vertex/automl-bqml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, root } from './cli-harness.ts';

const cli = new CliHarness('tvx-cli-serving-test-');
const { work } = cli;
const trainer = join(root, 'examples/sklearn-iris-trainer');
const tvx = (args: string[], env?: Record<string, string>) => cli.tvx(args, env);
const json = <T = Record<string, unknown>>(args: string[]) => cli.json<T>(args);

describe('tvx hptune, models, endpoints, automl and explain', () => {
  beforeAll(() => {
    cli.startEmulator();
  });
  afterAll(() => cli.close());

  it('tunes a trainer with parallel trials, prints the best trial and writes the HTML report', () => {
    const report = join(work, 'study.html');
    const r = tvx([
      'hptune',
      'run',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--display-name',
      'cli-study',
      '--metric',
      'accuracy=maximize',
      '--param',
      'C=discrete:0.001,0.1,10:log',
      '--param',
      'max-iter=integer:50:51',
      '--algorithm',
      'grid',
      '--max-trials',
      '10',
      '--parallel-trials',
      '2',
      '--report',
      report,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SUCCEEDED/);
    expect(r.stdout).toMatch(/Best: trial \d+; train it in full with: -- --C=\S+ --max-iter=5[01]/);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('cli-study');
    const id = /hyperparameterTuningJobs\/(\d+)/.exec(r.stdout)![1]!;
    const described = json<{ trials: unknown[]; bestTrial: { args: string[] } }>(['hptune', 'describe', id]);
    expect(described.trials).toHaveLength(6);
    expect(described.bestTrial.args[0]).toMatch(/^--C=/);
    expect(json<{ name: string }[]>(['hptune', 'list']).some((j) => j.name.endsWith(id))).toBe(true);
    const bad = tvx([
      'hptune',
      'run',
      '--module',
      'trainer.task',
      '--package-dir',
      trainer,
      '--metric',
      'accuracy',
      '--param',
      'C=double:1',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--param C: expected double:MIN:MAX/);
  });

  it('uploads a trained model, deploys it to an endpoint, predicts, splits traffic and cleans up', () => {
    const trained = json<{ baseOutputDir: string }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--display-name',
      'cli-serve',
    ]);
    const model = json<{ name: string; versionId: string }>([
      'models',
      'upload',
      '--display-name',
      'cli-iris-model',
      '--artifact-uri',
      `${trained.baseOutputDir}/model`,
      '--serving-image',
      'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest',
    ]);
    const modelId = model.name.split('/').pop()!.split('@')[0]!;
    expect(json<{ name: string }[]>(['models', 'list']).some((m) => m.name.includes(modelId))).toBe(true);
    const endpoint = json<{ name: string }>(['endpoints', 'create', '--display-name', 'cli-endpoint']);
    const endpointId = endpoint.name.split('/').pop()!;
    const deployed = tvx(['endpoints', 'deploy', endpointId, modelId, '--max-replicas', '2']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stdout).toMatch(/100\s+.*models\//);
    const predicted = tvx([
      'endpoints',
      'predict',
      endpointId,
      '--instances',
      '[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]',
    ]);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stdout).toMatch(/0: 0\n1: 2/);
    const bad = tvx(['endpoints', 'predict', endpointId, '--instances', '[[1,2]]']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/INVALID_ARGUMENT.*features/);
    expect(tvx(['endpoints', 'predict', endpointId, '--instances', 'nope']).code).toBe(2);
    const described = json<{ deployedModels: { id: string }[] }>(['endpoints', 'describe', endpointId]);
    const id = described.deployedModels[0]!.id;
    expect(
      json<{ trafficSplit: Record<string, number> }>(['endpoints', 'split', endpointId, `${id}=100`])
        .trafficSplit,
    ).toEqual({ [id]: 100 });
    const badSplit = tvx(['endpoints', 'split', endpointId, `${id}=60`]);
    expect(badSplit.code).toBe(2);
    expect(badSplit.stderr).toMatch(/trafficSplit/);
    const inUse = tvx(['models', 'delete', modelId]);
    expect(inUse.code).toBe(3);
    expect(inUse.stderr).toMatch(/undeploy it/);
    expect(tvx(['endpoints', 'undeploy', endpointId, '--all']).stdout).toContain('No deployed models.');
    expect(tvx(['endpoints', 'delete', endpointId]).code).toBe(0);
    expect(tvx(['models', 'delete', modelId]).code).toBe(0);
  });

  it('imports a digits dataset, trains AutoML on it, evaluates, deploys with XRAI and explains an image', async () => {
    const dir = join(work, 'digits');
    const local = await writeDigitsDataset({ dir, limit: 300, seed: 0 });
    const emulator = { vertex: cli.env.VERTEX_AI_EMULATOR_HOST!, http: cli.env.STORAGE_EMULATOR_HOST! };
    const csv = await uploadImageDataset(dir, 'gs://cli-automl/digits', {
      emulator,
      project: 'demo-terra-vertex',
    });
    const created = tvx([
      'automl',
      'image',
      'create-dataset',
      '--display-name',
      'cli-digits',
      '--source',
      csv,
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/300 imported, 0 duplicates, 0 rows refused/);
    expect(created.stdout).toMatch(/LABEL\s+TRAINING\s+VALIDATION\s+TEST/);
    const datasetId = /datasets\/(\d+)/.exec(created.stdout)![1]!;
    const trained = json<{ model: string; evaluation: { auRoc: number } }>([
      'automl',
      'image',
      'train',
      '--dataset',
      datasetId,
      '--display-name',
      'cli-automl',
      '--model-type',
      'MOBILE_TF_LOW_LATENCY_1',
      '--budget',
      '1000',
    ]);
    expect(trained.evaluation.auRoc).toBeGreaterThan(0.8);
    const modelId = trained.model.split('/').pop()!.split('@')[0]!;
    const report = join(work, 'evaluation.html');
    const evaluated = tvx(['automl', 'image', 'evaluate', modelId, '--report', report]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/AU-PRC\s+AU-ROC/);
    expect(readFileSync(report, 'utf8')).toContain('<svg');
    const endpointId = json<{ name: string }>(['endpoints', 'create', '--display-name', 'cli-automl'])
      .name.split('/')
      .pop()!;
    const deployed = tvx(['endpoints', 'deploy', endpointId, modelId, '--explain', 'xrai:10']);
    expect(deployed.code, deployed.stderr).toBe(0);
    const png = join(dir, local.images.find((i) => i.mlUse === 'test')!.path);
    const overlay = join(work, 'overlay.png');
    const explained = tvx(['explain', endpointId, '--image', png, '--overlay', overlay]);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toMatch(/instance 0: \w+ \(output/);
    expect(readFileSync(overlay).subarray(1, 4).toString()).toBe('PNG');
    expect(tvx(['explain', endpointId, '--overlay', overlay]).code).toBe(2);
    expect(tvx(['endpoints', 'deploy', endpointId, modelId, '--explain', 'lime']).code).toBe(2);
    expect(tvx(['endpoints', 'delete', endpointId, '--force']).code).toBe(0);
  }, 300_000);
});
