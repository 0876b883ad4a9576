import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { type Framework, writeTrainer } from '@terra-vertex/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomJob,
  CustomPythonPackageTrainingJob,
  exists,
  resolveConfig,
  stagePythonPackage,
  storageClient,
  TrainingFailedError,
  uploadFile,
} from '../src/index.ts';
import { eventually, processesOfJob, stopEmulator, useEmulator } from './helpers.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const IMAGES: Record<string, { training: string; serving: string; artifact: string }> = {
  sklearn: {
    training: 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest',
    serving: 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest',
    artifact: 'model.joblib',
  },
  xgboost: {
    training: 'us-docker.pkg.dev/vertex-ai/training/xgboost-cpu.1-1:latest',
    serving: 'us-docker.pkg.dev/vertex-ai/prediction/xgboost-cpu.1-7:latest',
    artifact: 'model.bst',
  },
  pytorch: {
    training: 'us-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-1.py310:latest',
    serving: 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.2-1:latest',
    artifact: 'model.mar',
  },
};

const work = mkdtempSync(join(tmpdir(), 'tvx-generated-'));

/** Generates a trainer package and its demo data, uploads both; returns their gs:// URIs. */
async function prepare(framework: Framework, name: string): Promise<{ packageUri: string; dataUri: string }> {
  const dir = join(work, name);
  await writeTrainer(dir, { name, framework, metric: { id: 'accuracy', goal: 'maximize' } });
  const dataDir = join(work, `${name}-data`);
  execFileSync(PY, ['-m', 'trainer.demo_data', '--out', dataDir, '--rows', '300'], {
    cwd: dir,
    env: { ...process.env, PYTHONPATH: dir },
  });
  const config = await resolveConfig();
  const packageUri = await stagePythonPackage(config, dir); // creates the staging bucket on the emulator
  const csv = readdirSync(dataDir).find((f) => f.endsWith('.csv'))!;
  const dataUri = `${config.stagingBucket}/data/${name}/${csv}`;
  await uploadFile(await storageClient(config), join(dataDir, csv), dataUri);
  return { packageUri, dataUri };
}

/** Feature rows of the trainer's demo data (another seed than training's), without the label column. */
function holdoutRows(framework: string): number[][] {
  const dir = join(work, `${framework}-holdout`);
  const trainerDir = join(work, `gen-${framework}`);
  execFileSync(PY, ['-m', 'trainer.demo_data', '--out', dir, '--rows', '20', '--seed', '5'], {
    cwd: trainerDir,
    env: { ...process.env, PYTHONPATH: trainerDir },
  });
  const csv = readdirSync(dir).find((f) => f.endsWith('.csv'))!;
  const [header, ...lines] = readFileSync(join(dir, csv), 'utf8').trim().split('\n');
  const label = header!.split(',').indexOf('label');
  return lines.map((l) =>
    l
      .split(',')
      .map(Number)
      .filter((_, i) => i !== label),
  );
}

function gcsToLocal(emu: RunningEmulator, uri: string): string {
  return join(emu.dataDir, 'gcs', uri.replace(/^gs:\/\//, ''));
}

/** The model's predictions called in-process in Python, the way the prebuilt serving containers call it. */
function callDirectly(framework: string, artifactDir: string, rows: number[][]): unknown[] {
  const code = {
    sklearn: `import joblib, numpy as np; out = joblib.load(f"{d}/model.joblib").predict(np.asarray(rows)).tolist()`,
    xgboost: `import xgboost as xgb, numpy as np; b = xgb.Booster(); b.load_model(f"{d}/model.bst"); out = b.predict(xgb.DMatrix(np.asarray(rows))).tolist()`,
    pytorch: `import torch, json, zipfile
m = torch.jit.load(f"{d}/model.pt", map_location="cpu").eval()
mar = zipfile.ZipFile(f"{d}/model.mar")
names = json.loads(mar.read("index_to_name.json")) if "index_to_name.json" in mar.namelist() else {}
with torch.no_grad(): p = torch.softmax(m(torch.tensor(rows, dtype=torch.float32)), dim=1)
out = [{"label": names.get(str(int(r.argmax())), int(r.argmax())), "probabilities": r.tolist()} for r in p]`,
  }[framework]!;
  const script = `import json, sys\nd, rows = sys.argv[1], json.loads(sys.argv[2])\n${code}\nprint(json.dumps(out))`;
  return JSON.parse(
    execFileSync(PY, ['-c', script, artifactDir, JSON.stringify(rows)], { encoding: 'utf8' }),
  );
}

function trainingJob(framework: string, name: string, packageUri: string) {
  return new CustomPythonPackageTrainingJob({
    displayName: name,
    pythonPackageGcsUri: packageUri,
    pythonModuleName: 'trainer.task',
    containerUri: IMAGES[framework]!.training,
    modelServingContainerImageUri: IMAGES[framework]!.serving,
  });
}

describe('generated trainers run as training pipelines on the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator();
  });
  afterAll(() => stopEmulator(emu));

  it.each(['sklearn', 'xgboost', 'pytorch'] as const)(
    '%s: trains, registers, deploys, and answers as the model called directly',
    async (framework) => {
      const { packageUri, dataUri } = await prepare(framework, `gen-${framework}`);
      const model = await trainingJob(framework, `gen-${framework}`, packageUri).run({
        args: ['--data', dataUri, ...(framework === 'pytorch' ? ['--epochs', '2'] : [])],
      });
      expect(model?.displayName).toBe(`gen-${framework}-model`);
      const storage = await storageClient(await resolveConfig());
      expect(await exists(storage, `${model!.artifactUri}${IMAGES[framework]!.artifact}`)).toBe(true);
      expect(await exists(storage, `${model!.artifactUri}metrics.json`)).toBe(true);

      // Deployed, it answers as the model called directly in Python does.
      const rows = holdoutRows(framework);
      const endpoint = await model!.deploy({ minReplicaCount: 1, maxReplicaCount: 1 });
      const served = (await endpoint.predict(rows)).predictions;
      const direct = callDirectly(framework, gcsToLocal(emu, model!.artifactUri), rows);
      expect(served).toHaveLength(rows.length);
      if (framework === 'pytorch') {
        for (const [i, p] of (served as { label: unknown; probabilities: number[] }[]).entries()) {
          const d = (direct as { label: unknown; probabilities: number[] }[])[i]!;
          expect(p.label).toEqual(d.label);
          for (const [j, v] of p.probabilities.entries()) expect(v).toBeCloseTo(d.probabilities[j]!, 5);
        }
      } else {
        for (const [i, v] of (served as number[]).entries())
          expect(v).toBeCloseTo((direct as number[])[i]!, 5);
      }
      await endpoint.delete({ force: true });
    },
  );

  it('pytorch with replicaCount 3 trains with DDP across three processes that end with identical weights', async () => {
    const { packageUri, dataUri } = await prepare('pytorch', 'gen-ddp');
    const job = trainingJob('pytorch', 'gen-ddp', packageUri);
    const model = await job.run({
      replicaCount: 3,
      args: ['--data', dataUri, '--epochs', '3', '--dist-timeout', '120'],
    });
    expect(model).toBeDefined();
    const logs = await (await CustomJob.get(job.backingCustomJob!)).logs();
    const digests = logs
      .filter((l) => l.text.startsWith('PARAMS_SHA256 '))
      .map((l) => [l.task, l.text.split(' ')[1]]);
    expect(digests.map(([task]) => task).sort()).toEqual(['workerpool0-0', 'workerpool1-0', 'workerpool1-1']);
    expect(new Set(digests.map(([, d]) => d)).size).toBe(1);
  });

  it('killing one replica fails the job and stops the others', async () => {
    const { packageUri, dataUri } = await prepare('pytorch', 'gen-kill');
    const job = trainingJob('pytorch', 'gen-kill', packageUri);
    await job.run({
      replicaCount: 3,
      sync: false,
      args: ['--data', dataUri, '--epochs', '100000', '--dist-timeout', '120'],
    });
    await eventually(async () => (await job.refresh()).backingCustomJob !== undefined);
    const jobId = job.backingCustomJob!.split('/').pop()!;
    await eventually(() => processesOfJob(jobId).length >= 3, 120_000);
    const victim = processesOfJob(jobId).find((pid) => environOf(pid).includes('RANK=2'))!;
    process.kill(victim, 'SIGKILL');
    const err = await job.wait().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingFailedError);
    expect((err as Error).message).toMatch(/The replica workerpool1-1 was killed by signal SIGKILL/);
    await eventually(() => processesOfJob(jobId).length === 0);
  });
});

function environOf(pid: number): string[] {
  return execFileSync('cat', [`/proc/${pid}/environ`], { encoding: 'latin1' }).split('\0');
}
