import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON } from './helpers.ts';
import { expectVertexContract, runInVertexEnv } from './vertex-run.ts';

describe('generated xgboost trainer', () => {
  it('trains in a simulated Vertex env and writes model.bst, metrics, hypertune, events', async () => {
    const run = await runInVertexEnv(
      {
        name: 'xgb-demo',
        framework: 'xgboost',
        metric: { id: 'auc', goal: 'maximize' },
        hyperparameters: [
          { name: 'learning_rate', type: 'double', min: 0.01, max: 0.5, default: 0.3 },
          { name: 'max_depth', type: 'integer', min: 2, max: 8, default: 3 },
          { name: 'num_boost_round', type: 'discrete', values: [5, 10, 20], default: 10 },
        ],
      },
      ['--out', 'gs://bkt/data/train.csv', '--rows', '300', '--classes', '3'],
      ['--data', 'gs://bkt/data/train.csv', '--learning_rate=0.3', '--num_boost_round', '10.0'],
    );
    expect(run.outputs.filter((f) => !f.startsWith('logs/'))).toEqual([
      'checkpoints/3/checkpoint_2.json',
      'checkpoints/3/checkpoint_4.json',
      'checkpoints/3/checkpoint_6.json',
      'checkpoints/3/checkpoint_8.json',
      'model/metrics.json',
      'model/model.bst',
    ]);
    expect(run.metrics.num_classes).toBe(3);
    expect(run.metrics.hyperparameters).toEqual({ learning_rate: 0.3, max_depth: 3, num_boost_round: 10 });
    expectVertexContract(run, 'auc', 10);
    expect(run.scalars.filter((s) => s.tag === 'eval/mlogloss')).toHaveLength(10);
    const check = spawnSync(
      PYTHON,
      [
        '-c',
        `import xgboost as xgb; b = xgb.Booster(); b.load_model(${JSON.stringify(join(run.modelDir, 'model.bst'))}); print(b.predict(xgb.DMatrix([[0.0] * 8])).shape)`,
      ],
      { env: run.env, encoding: 'utf8' },
    );
    expect(check.stdout.trim()).toBe('(1, 3)');
  });
});
