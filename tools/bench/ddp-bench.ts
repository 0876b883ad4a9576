/**
 * Distributed-training benchmark, each figure beside its baseline in the same run:
 *   1. wall time of a 3-replica DDP job on the emulator (generated PyTorch trainer, gloo over loopback)
 *      beside the same training (same data and epochs) in one process;
 *   2. submit → first trainer output for a Python-package job (offline pip install included) beside
 *      starting the same module directly.
 * Usage: node tools/bench/ddp-bench.ts [--quick]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CustomJob,
  closeClients,
  init,
  resolveConfig,
  stagePythonPackage,
  storageClient,
  uploadFile,
} from '@terra-vertex/core';
import { startEmulator } from '@terra-vertex/emulator';
import { writeTrainer } from '@terra-vertex/templates';
import { ms, summarize } from './stats.ts';

const quick = process.argv.includes('--quick');
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const IMAGE = 'us-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-1.py310:latest';
const work = mkdtempSync(join(tmpdir(), 'tvx-ddp-bench-'));
const rounds = quick ? 1 : 3;
const epochs = quick ? '3' : '10';
const rows = quick ? '2000' : '6000';

const emu = await startEmulator();
try {
  init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
  const config = await resolveConfig();
  const dir = join(work, 'trainer');
  await writeTrainer(dir, {
    name: 'bench-ddp',
    framework: 'pytorch',
    metric: { id: 'accuracy', goal: 'maximize' },
  });
  execFileSync(PY, ['-m', 'trainer.demo_data', '--out', join(work, 'data'), '--rows', rows], {
    cwd: dir,
    env: { ...process.env, PYTHONPATH: dir },
  });
  const packageUri = await stagePythonPackage(config, dir);
  const dataUri = `${config.stagingBucket}/bench/train.csv`;
  await uploadFile(await storageClient(config), join(work, 'data', 'train.csv'), dataUri);
  const args = ['--data', dataUri, '--epochs', epochs];
  const pool = (replicaCount: number) => ({
    replicaCount,
    pythonPackageSpec: {
      executorImageUri: IMAGE,
      packageUris: [packageUri],
      pythonModule: 'trainer.task',
      args,
    },
  });

  const ddp: number[] = [];
  const single: number[] = [];
  const firstOutput: number[] = [];
  const directFirst: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = Date.now();
    const job = new CustomJob({ displayName: `ddp-${r}`, workerPoolSpecs: [pool(1), pool(2)] });
    await job.run();
    ddp.push(Date.now() - t0);
    const first = (await job.logs()).find((l) => l.task === 'workerpool0-0');
    firstOutput.push(Date.parse(first!.timestamp) - t0);

    const t1 = Date.now();
    const env = {
      ...process.env,
      PYTHONPATH: dir,
      OMP_NUM_THREADS: '1',
      TVX_GCS_MOUNT: join(emu.dataDir, 'gcs'),
      AIP_MODEL_DIR: `${config.stagingBucket}/bench-single/model/`,
    };
    const child = spawn(PY, ['-m', 'trainer.task', ...args], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = false;
    child.stdout.on('data', () => {
      if (!seen) directFirst.push(Date.now() - t1);
      seen = true;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`single-process training exited ${code}`);
    single.push(Date.now() - t1);
  }
  const d = summarize(ddp);
  const s = summarize(single);
  const f = summarize(firstOutput);
  const g = summarize(directFirst);
  console.log(`\n(${rows} rows, ${epochs} epochs, median of ${rounds})\n`);
  console.log('| measurement | terra-vertex | baseline (same run) | ratio |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| PyTorch training wall time | 3-replica DDP job on the emulator ${ms(d.median)} | one process, same data and epochs ${ms(s.median)} | ${(d.median / s.median).toFixed(2)}× |`,
  );
  console.log(
    `| submit → first trainer output (Python package job) | ${ms(f.median)} | starting the module directly ${ms(g.median)} | ${(f.median / g.median).toFixed(2)}× |`,
  );
} finally {
  await closeClients();
  await emu.stop();
  rmSync(work, { recursive: true, force: true });
}
