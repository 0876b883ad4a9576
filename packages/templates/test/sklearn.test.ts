import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON } from './helpers.ts';
import { expectVertexContract, runInVertexEnv } from './vertex-run.ts';

describe('generated sklearn trainer', () => {
  it('trains in a simulated Vertex env and writes model.joblib, metrics, hypertune, events', async () => {
    const run = await runInVertexEnv(
      {
        name: 'sk-demo',
        framework: 'sklearn',
        metric: { id: 'accuracy', goal: 'maximize' },
        hyperparameters: [
          { name: 'learning_rate', type: 'double', min: 0.01, max: 0.5, default: 0.1, scale: 'log' },
          { name: 'max_iter', type: 'integer', min: 5, max: 100, default: 20 },
        ],
      },
      ['--out', 'gs://bkt/data/', '--rows', '400', '--seed', '1'],
      ['--data', 'gs://bkt/data/train.csv', '--learning_rate', '0.2', '--max_iter=30'],
    );
    expect(run.outputs).toEqual([
      'checkpoints/3/model.joblib',
      run.outputs.find((f) => f.startsWith('logs/'))!,
      'model/metrics.json',
      'model/model.joblib',
    ]);
    expect(run.metrics.hyperparameters).toEqual({ learning_rate: 0.2, max_iter: 30 });
    expect(run.metrics.global_step).toBe(30);
    expectVertexContract(run, 'accuracy', 30);
    // The saved artifact is what the prebuilt container loads: joblib, predicting class indices.
    const check = spawnSync(
      PYTHON,
      [
        '-c',
        `import joblib; m = joblib.load(${JSON.stringify(join(run.modelDir, 'model.joblib'))}); print(m.predict([[0.0] * 8]))`,
      ],
      { env: run.env, encoding: 'utf8' },
    );
    expect(check.stdout.trim()).toMatch(/^\[[01]\]$/);
  });
});
