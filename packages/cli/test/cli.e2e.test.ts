import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { uploadImageDataset, writeDigitsDataset } from '@terra-vertex/automl-bqml';
import { ensureBucket } from '@terra-vertex/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, root } from './cli-harness.ts';

const cli = new CliHarness('tvx-cli-test-');
const { work, baseEnv } = cli;
const trainer = join(root, 'examples/sklearn-iris-trainer');
const tvx = (args: string[], env?: Record<string, string>) => cli.tvx(args, env);
const json = <T = Record<string, unknown>>(args: string[]) => cli.json<T>(args);

function processesOfJob(jobId: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`CLOUD_ML_JOB_ID=${jobId}`);
      } catch {
        return false; // the process ended while we looked
      }
    })
    .map(Number);
}

const imageMap = join(work, 'images.json');
writeFileSync(
  imageMap,
  JSON.stringify({
    'local/hello:1': { command: ['/usr/bin/python3', '-c', 'import sys; print("hello", *sys.argv[1:])'] },
  }),
);
const startArgs = ['--image-map', imageMap];

describe('tvx', () => {
  beforeAll(() => {
    cli.startEmulator(startArgs);
  });
  afterAll(() => cli.close());

  it('reports the running emulator', () => {
    const status = json<{ running: boolean; vertex: string }>(['emulator', 'status']);
    expect(status.running).toBe(true);
    expect(status.vertex).toBe(cli.env.VERTEX_AI_EMULATOR_HOST);
    expect(tvx(['emulator', 'env']).stdout).toContain(
      `export VERTEX_AI_EMULATOR_HOST=${cli.env.VERTEX_AI_EMULATOR_HOST}`,
    );
  });

  it('trains a package, then lists, describes and shows the logs of the job', () => {
    const r = tvx([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--display-name',
      'cli-iris',
      '--json',
      '--',
      '--C',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout) as { name: string; state: string };
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(r.stderr).toContain('"type":"state"');

    const list = json<{ name: string; displayName: string }[]>(['jobs', 'list']);
    expect(list.map((j) => j.name)).toContain(job.name);
    const described = tvx(['jobs', 'describe', job.name.split('/').pop()!]);
    expect(described.stdout).toMatch(/State:\s+SUCCEEDED/);
    expect(described.stdout).toContain('python -m trainer.task');
    expect(tvx(['jobs', 'logs', job.name]).stdout).toMatch(/\[workerpool0-0\] accuracy=/);
  });

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

  it('prints the exact request with --dry-run and sends nothing', () => {
    const before = json<unknown[]>(['jobs', 'list']).length;
    const request = json<{
      parent: string;
      customJob: {
        jobSpec: { workerPoolSpecs: { pythonPackageSpec: { args: string[]; packageUris: string[] } }[] };
      };
    }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--dry-run',
      '--',
      '--C',
      '3',
    ]);
    expect(request.parent).toBe('projects/demo-terra-vertex/locations/us-central1');
    const spec = request.customJob.jobSpec.workerPoolSpecs[0]!.pythonPackageSpec;
    expect(spec.args).toEqual(['--C', '3']);
    expect(spec.packageUris[0]).toMatch(
      /^gs:\/\/demo-terra-vertex-staging\/packages\/\d+\/sklearn-iris-trainer-0\.1\.tar\.gz$/,
    );
    expect(json<unknown[]>(['jobs', 'list'])).toHaveLength(before);
  });

  it('trains a script as a training pipeline and prints the registered model', () => {
    const script = join(root, 'examples/iris-script/train.py');
    const out = json<{ state: string; model: string }>([
      'train',
      'script',
      '--script',
      script,
      '--serving-image',
      'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest',
      '--display-name',
      'cli-script',
      '--model-alias',
      'first',
      '--',
      '--max-depth',
      '2',
    ]);
    expect(out.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(out.model).toMatch(/^projects\/demo-terra-vertex\/locations\/us-central1\/models\/\d+@1$/);
    const dry = json<{
      trainingPipeline: {
        trainingTaskInputs: {
          worker_pool_specs: {
            replica_count: number;
            python_package_spec: { python_module: string; args: string[] };
          }[];
        };
      };
    }>([
      'train',
      'package',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--replica-count',
      '3',
      '--dry-run',
      '--',
      '--C',
      '1',
    ]);
    const pools = dry.trainingPipeline.trainingTaskInputs.worker_pool_specs;
    expect(pools.map((p) => p.replica_count)).toEqual([1, 2]);
    expect(pools[0]!.python_package_spec).toMatchObject({
      python_module: 'trainer.task',
      args: ['--C', '1'],
    });
  });

  it('runs a container image mapped to a local command', () => {
    const job = json<{ name: string; state: string }>([
      'train',
      'custom-job',
      '--container-image',
      'local/hello:1',
      '--',
      'from',
      'a container',
    ]);
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(tvx(['jobs', 'logs', job.name]).stdout).toContain('[workerpool0-0] hello from a container');
  });

  it('exits 1 when the job fails, with its error', () => {
    const r = tvx([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--',
      '--fail-with',
      'no labels',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ValueError: no labels');
  });

  it('cancels a job with --wait', () => {
    const started = json<{ name: string }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--no-wait',
      '--',
      '--sleep',
      '60',
    ]);
    const cancelled = json<{ state: string }>(['jobs', 'cancel', started.name, '--wait']);
    expect(cancelled.state).toBe('JOB_STATE_CANCELLED');
    expect(processesOfJob(started.name.split('/').pop()!)).toEqual([]);
  });

  it('exits 3 for an unknown job and 2 for bad usage, with a message', () => {
    const missing = tvx(['jobs', 'describe', '424242']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('NOT_FOUND');
    const usage = tvx(['train', 'custom-job', '--package-dir', trainer]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--module: is required with a package');
    const region = tvx(['jobs', 'list', '--location', 'us-moon1']);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('unsupported region');
  });

  it('keeps jobs across an emulator crash and fails the ones that were running, killing their processes', () => {
    const running = json<{ name: string }>([
      'train',
      'custom-job',
      '--package-dir',
      trainer,
      '--module',
      'trainer.task',
      '--no-wait',
      '--',
      '--sleep',
      '120',
    ]);
    const id = running.name.split('/').pop()!;
    const deadline = Date.now() + 60_000;
    while (processesOfJob(id).length === 0 && Date.now() < deadline) spawnSync('sleep', ['0.2']);
    expect(processesOfJob(id).length).toBeGreaterThan(0);

    const state = JSON.parse(readFileSync(baseEnv.TVX_EMULATOR_STATE!, 'utf8')) as { pid: number };
    process.kill(state.pid, 'SIGKILL');
    cli.startEmulator(startArgs);

    const after = json<{ state: string; error: { message: string } }>(['jobs', 'describe', id]);
    expect(after.state).toBe('JOB_STATE_FAILED');
    expect(after.error.message).toMatch(/emulator stopped while this job was running/);
    expect(processesOfJob(id)).toEqual([]);
    const list = json<{ displayName: string; state: string }[]>(['jobs', 'list']);
    expect(list.find((j) => j.displayName === 'cli-iris')?.state).toBe('JOB_STATE_SUCCEEDED');
  });

  it('generates a trainer package, and refuses bad hyperparameters with exit code 2', () => {
    const dir = join(work, 'gen-xgb');
    const out = json<{ directory: string; files: string[] }>([
      'generate',
      'trainer',
      'gen-xgb',
      '--framework',
      'xgboost',
      '--directory',
      dir,
      '--hyperparameter',
      'max_depth:integer:2:8:4',
    ]);
    expect(out.directory).toBe(dir);
    expect(out.files.map((f) => f.slice(dir.length + 1))).toEqual(
      expect.arrayContaining(['setup.py', 'trainer/task.py', 'trainer/model.py']),
    );
    expect(readFileSync(join(dir, 'trainer/task.py'), 'utf8')).toContain('"--max_depth"');
    const bad = tvx([
      'generate',
      'trainer',
      'bad',
      '--directory',
      join(work, 'bad'),
      '--hyperparameter',
      'lr:double:1:0',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('hyperparameters[0].min: min 1 > max 0');
  });

  it('publishes the notebooks to a workspace bucket (keeping edited copies) and installs the kernel', async () => {
    await ensureBucket(
      new Storage({ apiEndpoint: cli.env.STORAGE_EMULATOR_HOST, projectId: 'p' }),
      'fc-cli-test',
    );
    const first = json<{ name: string; status: string; uri: string }[]>([
      'notebooks',
      'publish',
      '--workspace-bucket',
      'gs://fc-cli-test',
    ]);
    expect(first.map((n) => [n.name, n.status])).toEqual([
      ['01-custom-training.ipynb', 'uploaded'],
      ['02-distributed-training.ipynb', 'uploaded'],
      ['03-hyperparameter-tuning.ipynb', 'uploaded'],
      ['04-deploy-and-predict.ipynb', 'uploaded'],
      ['05-automl-vision-xai.ipynb', 'uploaded'],
      ['06-bigquery-ml-baseline.ipynb', 'uploaded'],
    ]);
    expect(first[0]!.uri).toBe('gs://fc-cli-test/notebooks/01-custom-training.ipynb');
    const again = json<{ status: string }[]>([
      'notebooks',
      'publish',
      '--workspace-bucket',
      'gs://fc-cli-test',
    ]);
    expect(again.map((n) => n.status)).toEqual(first.map(() => 'exists'));
    const bad = tvx(['notebooks', 'publish', '--workspace-bucket', 'gs://Not A Bucket']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('workspaceBucket');

    const prefix = join(work, 'jupyter-prefix');
    const kernel = json<{ kernelDir: string; argv: string[] }>([
      'notebooks',
      'install-kernel',
      '--prefix',
      prefix,
    ]);
    expect(kernel.kernelDir.startsWith(prefix)).toBe(true);
    const spec = JSON.parse(readFileSync(join(kernel.kernelDir, 'kernel.json'), 'utf8')) as {
      argv: string[];
      language: string;
    };
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.language).toBe('typescript');
  });

  it('stops the emulator', () => {
    expect(tvx(['emulator', 'stop']).code).toBe(0);
    expect(tvx(['emulator', 'status']).code).toBe(4);
  });
});
