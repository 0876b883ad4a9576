import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonHas } from './helpers.ts';
import { expectVertexContract, runInVertexEnv } from './vertex-run.ts';

// TensorFlow is not in Debian's packages: this runs only where `import tensorflow` works (py_compile of
// the generated tf-keras code runs everywhere, in py-compile.test.ts).
const hasTensorflow = pythonHas('tensorflow');

describe('generated tf-keras trainer', () => {
  it.runIf(hasTensorflow)(
    'trains in a simulated Vertex env and writes a SavedModel, metrics, events',
    async () => {
      const run = await runInVertexEnv(
        {
          name: 'tf-demo',
          framework: 'tf-keras',
          metric: { id: 'accuracy', goal: 'maximize' },
          hyperparameters: [{ name: 'learning_rate', type: 'double', min: 0.001, max: 0.1, default: 0.02 }],
        },
        ['--out', 'gs://bkt/data/', '--rows', '300'],
        ['--data', 'gs://bkt/data/train.csv', '--epochs', '3', '--batch-size', '32'],
      );
      expect(existsSync(join(run.modelDir, 'saved_model.pb'))).toBe(true);
      expect(existsSync(join(run.modelDir, 'variables'))).toBe(true);
      expectVertexContract(run, 'accuracy', 3);
    },
  );
});
