import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PYTHON } from './helpers.ts';
import { expectVertexContract, runInVertexEnv } from './vertex-run.ts';

/** Unzip model.mar, load handler.py the way TorchServe would, and predict `instances`. */
const SERVE = `
import json, sys, tempfile, types, zipfile
mar, instances = sys.argv[1], json.loads(sys.argv[2])
root = tempfile.mkdtemp()
with zipfile.ZipFile(mar) as z:
    names = sorted(z.namelist())
    z.extractall(root)
manifest = json.load(open(root + "/MAR-INF/MANIFEST.json"))
sys.path.insert(0, root)
import handler
context = types.SimpleNamespace(system_properties={"model_dir": root})
service = handler.ClassifierHandler()
service.initialize(context)
print(json.dumps({"names": names, "manifest": manifest["model"], "predictions": service.handle(instances, context)}))
`;

function serve(mar: string, instances: unknown[], env: NodeJS.ProcessEnv) {
  const out = spawnSync(PYTHON, ['-c', SERVE, mar, JSON.stringify(instances)], { env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as {
    names: string[];
    manifest: Record<string, string>;
    predictions: { label: string; probabilities: number[] }[];
  };
}

describe('generated pytorch trainer', () => {
  it('trains tabular data in a simulated Vertex env and writes model.mar, model.pt, metrics, events', async () => {
    const run = await runInVertexEnv(
      {
        name: 'torch-demo',
        framework: 'pytorch',
        metric: { id: 'log_loss', goal: 'minimize' },
        hyperparameters: [
          { name: 'learning_rate', type: 'double', min: 0.001, max: 0.1, default: 0.01, scale: 'log' },
          { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] },
          { name: 'hidden_units', type: 'discrete', values: [8, 16, 32], default: 16 },
        ],
      },
      ['--out', 'gs://bkt/data/', '--rows', '400', '--classes', '3'],
      ['--data', 'gs://bkt/data/train.csv', '--epochs', '4', '--learning_rate=0.03', '--hidden_units', '32'],
    );
    expect(run.outputs.filter((f) => !f.startsWith('logs/'))).toEqual([
      'checkpoints/3/checkpoint.pt',
      'model/metrics.json',
      'model/model.mar',
      'model/model.pt',
    ]);
    expect(run.result.stdout).toMatch(/^PARAMS_SHA256 [0-9a-f]{64}$/m);
    expect(run.hypertune.map((l) => l.global_step)).toEqual(['1', '2', '3', '4']);
    expect(run.metrics.hyperparameters).toEqual({ learning_rate: 0.03, optimizer: 'adam', hidden_units: 32 });
    expect(run.metrics.accuracy).toBeGreaterThan(0.6);
    expectVertexContract(run, 'log_loss', 4);
    const served = serve(
      `${run.modelDir}/model.mar`,
      [[0, 0, 0, 0, 0, 0, 0, 0], { data: [1, 1, 1, 1, 1, 1, 1, 1] }],
      run.env,
    );
    expect(served.names).toEqual(['MAR-INF/MANIFEST.json', 'handler.py', 'index_to_name.json', 'model.pt']);
    expect(served.manifest).toMatchObject({
      serializedFile: 'model.pt',
      handler: 'handler.py',
      modelName: 'model',
    });
    expect(served.predictions).toHaveLength(2);
    for (const p of served.predictions) {
      expect(['0', '1', '2']).toContain(p.label);
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('classifies demo images (--task image, a folder of class folders)', async () => {
    const run = await runInVertexEnv(
      {
        name: 'torch-img',
        framework: 'pytorch',
        metric: { id: 'accuracy', goal: 'maximize' },
        task: 'image',
      },
      [
        '--task',
        'image',
        '--out',
        'gs://bkt/images/',
        '--rows',
        '90',
        '--classes',
        '3',
        '--image-size',
        '12',
      ],
      ['--data', 'gs://bkt/images/', '--image-size', '12', '--epochs', '6', '--batch-size', '16'],
    );
    expectVertexContract(run, 'accuracy', 6);
    expect(run.metrics.classes).toEqual(['0', '1', '2']);
    const image = Array.from({ length: 12 }, () => Array.from({ length: 12 }, () => [0.1, 0.1, 0.1]));
    expect(serve(`${run.modelDir}/model.mar`, [image], run.env).predictions[0]!.probabilities).toHaveLength(
      3,
    );
  });
});
