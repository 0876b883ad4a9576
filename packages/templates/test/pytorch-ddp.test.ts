import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, generate, listFiles, runPython, tempDir } from './helpers.ts';
import { vertexEnv } from './vertex-run.ts';

describe('generated pytorch trainer, WORLD_SIZE=3', () => {
  it('trains with DDP over gloo as three processes: identical parameters, only rank 0 saves', async () => {
    const pkg = await generate({
      name: 'torch-ddp',
      framework: 'pytorch',
      metric: { id: 'accuracy', goal: 'maximize' },
      hyperparameters: [{ name: 'learning_rate', type: 'double', min: 0.001, max: 0.1, default: 0.02 }],
    });
    const work = tempDir('ddp-run');
    const mount = join(work, 'gcs');
    const base = vertexEnv(pkg, work, mount);
    const demo = await runPython(['-m', 'trainer.demo_data', '--out', 'gs://bkt/data/', '--rows', '300'], {
      cwd: work,
      env: base,
    });
    expect(demo.code).toBe(0);
    const port = await freePort();
    const ranks = await Promise.all(
      [0, 1, 2].map((rank) =>
        runPython(
          [
            '-m',
            'trainer.task',
            '--data',
            'gs://bkt/data/train.csv',
            '--epochs',
            '3',
            '--dist-timeout',
            '60',
          ],
          {
            cwd: work,
            env: {
              ...base,
              MASTER_ADDR: '127.0.0.1',
              MASTER_PORT: String(port),
              WORLD_SIZE: '3',
              RANK: String(rank),
            },
          },
        ),
      ),
    );
    for (const r of ranks) expect(r.code, r.stderr).toBe(0);
    const digests = ranks.map((r) => /^PARAMS_SHA256 ([0-9a-f]{64})$/m.exec(r.stdout)?.[1]);
    expect(digests[0]).toBeDefined();
    expect(new Set(digests).size).toBe(1);
    expect(ranks.map((r) => r.stdout.includes('saved model.pt and model.mar'))).toEqual([true, false, false]);
    expect(ranks.map((r) => r.stdout.includes('metrics.json'))).toEqual([true, false, false]);
    expect(listFiles(join(mount, 'bkt', 'run')).filter((f) => !f.startsWith('logs/'))).toEqual([
      'checkpoints/3/checkpoint.pt',
      'checkpoints/3/worker-1/checkpoint.pt',
      'checkpoints/3/worker-2/checkpoint.pt',
      'model/metrics.json',
      'model/model.mar',
      'model/model.pt',
    ]);
    expect(existsSync(join(work, 'trainer-output'))).toBe(false);
  });
});
