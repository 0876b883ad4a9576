import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v1 } from '@google-cloud/aiplatform';
import { grpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const parent = 'projects/demo-emu/locations/us-central1';
/** Writes the Vertex variables it sees to <AIP_MODEL_DIR>/<task>.json, then behaves as FAIL_TASK / SLEEP say. */
const probe = `
import json, os, sys, time
spec = json.loads(os.environ['CLUSTER_SPEC'])
task = f"{spec['task']['type']}-{spec['task']['index']}"
out = os.environ['AIP_MODEL_DIR'].replace('gs://', os.environ['TVX_GCS_MOUNT'] + '/')
os.makedirs(out, exist_ok=True)
keys = ['CLUSTER_SPEC', 'TF_CONFIG', 'AIP_MODEL_DIR', 'AIP_CHECKPOINT_DIR', 'AIP_TENSORBOARD_LOG_DIR', 'CLOUD_ML_JOB_ID', 'MY_VAR']
tmp = os.path.join(out, task + '.json.tmp')
with open(tmp, 'w') as f: json.dump({k: os.environ.get(k) for k in keys} | {'pid': os.getpid()}, f)
os.replace(tmp, os.path.join(out, task + '.json'))
print('hello from', task, flush=True)
if os.environ.get('FAIL_TASK') == task:
    # Fail only once the chief has written its file: on a loaded machine it may not have started yet.
    for _ in range(600):
        if os.path.exists(os.path.join(out, 'workerpool0-0.json')): break
        time.sleep(0.05)
    print('worker failed on purpose', file=sys.stderr, flush=True)
    sys.exit(3)
time.sleep(float(os.environ.get('SLEEP', '0')))
`;

function client(emu: RunningEmulator) {
  const [host, port] = emu.vertexAddress.split(':');
  return new v1.JobServiceClient({
    apiEndpoint: host,
    port: Number(port),
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  });
}

async function waitForEnd(jobs: v1.JobServiceClient, name: string) {
  for (;;) {
    const [job] = await jobs.getCustomJob({ name });
    if (['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'].includes(job.state as string))
      return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function pool(replicaCount: number, env: Record<string, string> = {}) {
  return {
    replicaCount,
    machineSpec: { machineType: 'n1-standard-4' },
    containerSpec: {
      imageUri: 'local/probe:1',
      env: Object.entries(env).map(([name, value]) => ({ name, value })),
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: gone
  }
}

describe('emulator runtime, driven by the official JobServiceClient', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tvx-emu-test-'));
  let emu: RunningEmulator;
  let jobs: v1.JobServiceClient;
  const outputs = (base: string, task: string) =>
    JSON.parse(
      readFileSync(join(emu.dataDir, 'gcs', base.replace('gs://', ''), 'model', `${task}.json`), 'utf8'),
    );

  beforeAll(async () => {
    emu = await startEmulator({ dataDir, localImages: { 'local/probe:1': { command: [PY, '-c', probe] } } });
    jobs = client(emu);
  });
  afterAll(async () => {
    await jobs.close();
    await emu.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every replica of every pool with Vertex cluster variables on loopback', async () => {
    const base = 'gs://bkt/dist-1';
    const [created] = await jobs.createCustomJob({
      parent,
      customJob: {
        displayName: 'dist',
        jobSpec: {
          workerPoolSpecs: [pool(1, { MY_VAR: 'x' }), pool(2)],
          baseOutputDirectory: { outputUriPrefix: base },
        },
      },
    });
    expect(created.state).toBe('JOB_STATE_QUEUED');
    const done = await waitForEnd(jobs, created.name!);
    expect(done.state).toBe('JOB_STATE_SUCCEEDED');

    const chief = outputs(base, 'workerpool0-0');
    const worker = outputs(base, 'workerpool1-1');
    const cluster = JSON.parse(chief.CLUSTER_SPEC);
    expect(cluster.cluster.workerpool0).toHaveLength(1);
    expect(cluster.cluster.workerpool1).toHaveLength(2);
    expect(cluster.cluster.workerpool1.every((a: string) => a.startsWith('127.0.0.1:'))).toBe(true);
    expect(JSON.parse(worker.CLUSTER_SPEC).task).toEqual({ type: 'workerpool1', index: 1 });
    expect(JSON.parse(worker.TF_CONFIG)).toMatchObject({
      task: { type: 'worker', index: 1 },
      cluster: { chief: cluster.cluster.workerpool0 },
    });
    expect(chief.AIP_MODEL_DIR).toBe(`${base}/model/`);
    expect(chief.AIP_CHECKPOINT_DIR).toBe(`${base}/checkpoints/`);
    expect(chief.AIP_TENSORBOARD_LOG_DIR).toBe(`${base}/logs/`);
    expect(chief.CLOUD_ML_JOB_ID).toBe(created.name!.split('/').pop());
    expect(chief.MY_VAR).toBe('x');
    expect(worker.MY_VAR).toBeNull();
  });

  it('fails the job when one replica fails, with its stderr, and stops the others', async () => {
    const base = 'gs://bkt/dist-2';
    const [created] = await jobs.createCustomJob({
      parent,
      customJob: {
        displayName: 'one-fails',
        jobSpec: {
          workerPoolSpecs: [pool(1, { SLEEP: '60' }), pool(2, { FAIL_TASK: 'workerpool1-1' })],
          baseOutputDirectory: { outputUriPrefix: base },
        },
      },
    });
    const done = await waitForEnd(jobs, created.name!);
    expect(done.state).toBe('JOB_STATE_FAILED');
    expect(done.error?.message).toMatch(
      /workerpool1-1 exited with a non-zero status of 3[\s\S]*worker failed on purpose/,
    );
    expect(alive(outputs(base, 'workerpool0-0').pid)).toBe(false);
  });

  it('says in the job log that accelerators run on CPU locally', async () => {
    const gpuPool = {
      ...pool(1),
      machineSpec: {
        machineType: 'n1-standard-4',
        acceleratorType: 'NVIDIA_TESLA_T4' as const,
        acceleratorCount: 1,
      },
    };
    const [created] = await jobs.createCustomJob({
      parent,
      customJob: {
        displayName: 'gpu',
        jobSpec: { workerPoolSpecs: [gpuPool], baseOutputDirectory: { outputUriPrefix: 'gs://bkt/gpu' } },
      },
    });
    expect((await waitForEnd(jobs, created.name!)).state).toBe('JOB_STATE_SUCCEEDED');
    const res = await fetch(`${emu.httpAddress}/v2/entries:list`, {
      method: 'POST',
      body: JSON.stringify({
        filter: `resource.type="ml_job" AND resource.labels.job_id="${created.name!.split('/').pop()}" AND severity>=WARNING`,
      }),
      headers: { 'content-type': 'application/json' },
    });
    const { entries } = (await res.json()) as { entries: { textPayload: string; severity: string }[] };
    expect(entries.map((e) => e.textPayload)).toEqual([
      'workerPoolSpecs[0] asks for 1 × NVIDIA_TESLA_T4: the emulator has no accelerators, so its replicas run on CPU.',
    ]);
  });

  it('provides hypertune and skips the reduction-server pool, saying why', async () => {
    const script =
      "import hypertune; hypertune.HyperTune().report_hyperparameter_tuning_metric('accuracy', 0.5, 3); print('reported')";
    const [created] = await jobs.createCustomJob({
      parent,
      customJob: {
        displayName: 'reduction',
        jobSpec: {
          workerPoolSpecs: [
            {
              replicaCount: 1,
              machineSpec: { machineType: 'n1-standard-4' },
              containerSpec: {
                imageUri: 'local/probe:1',
                command: [PY, '-c', script],
                env: [{ name: 'CLOUD_ML_HP_METRIC_FILE', value: join(dataDir, 'hp.metrics') }],
              },
            },
            {},
            {
              replicaCount: 2,
              machineSpec: { machineType: 'n1-highcpu-16' },
              containerSpec: {
                imageUri: 'us-docker.pkg.dev/vertex-ai-restricted/training/reductionserver:latest',
              },
            },
          ],
          baseOutputDirectory: { outputUriPrefix: 'gs://bkt/rs' },
        },
      },
    });
    expect((await waitForEnd(jobs, created.name!)).state).toBe('JOB_STATE_SUCCEEDED');
    const line = JSON.parse(readFileSync(join(dataDir, 'hp.metrics'), 'utf8').trim());
    expect(line).toMatchObject({ accuracy: '0.5', global_step: '3', trial: '0' });
    const logs = await fetch(`${emu.httpAddress}/v2/entries:list`, {
      method: 'POST',
      body: JSON.stringify({
        filter: `resource.labels.job_id="${created.name!.split('/').pop()}" AND resource.labels.task_name="service"`,
      }),
      headers: { 'content-type': 'application/json' },
    });
    const { entries } = (await logs.json()) as { entries: { textPayload: string }[] };
    expect(entries.map((e) => e.textPayload)).toContain(
      'The Reduction Server pool (2 replicas) is not needed locally: the workers all-reduce over loopback.',
    );
  });

  it('records every call with its body on the admin API', async () => {
    const res = await fetch(`${emu.httpAddress}/_emulator/v1/requests?method=JobService/CreateCustomJob`);
    const { requests } = (await res.json()) as {
      requests: { request: { customJob: { displayName: string } } }[];
    };
    expect(requests.map((r) => r.request.customJob.displayName)).toEqual([
      'dist',
      'one-fails',
      'gpu',
      'reduction',
    ]);
  });

  it('answers UNIMPLEMENTED by name for what it does not serve yet', async () => {
    const err = (await jobs.listBatchPredictionJobs({ parent }).catch((e: unknown) => e)) as {
      code: number;
      details: string;
    };
    expect(err.code).toBe(12);
    expect(err.details).toContain(
      'JobService/ListBatchPredictionJobs is not served by the terra-vertex emulator',
    );
  });

  it('keeps every job across a restart and fails the ones that were running, saying why', async () => {
    const [running] = await jobs.createCustomJob({
      parent,
      customJob: {
        displayName: 'interrupted',
        jobSpec: {
          workerPoolSpecs: [pool(1, { SLEEP: '60' })],
          baseOutputDirectory: { outputUriPrefix: 'gs://bkt/r' },
        },
      },
    });
    for (;;) {
      const [j] = await jobs.getCustomJob({ name: running.name! });
      if (
        j.state === 'JOB_STATE_RUNNING' &&
        existsSync(join(emu.dataDir, 'gcs/bkt/r/model/workerpool0-0.json'))
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await jobs.close();
    await emu.stop();
    emu = await startEmulator({ dataDir });
    jobs = client(emu);
    const [after] = await jobs.getCustomJob({ name: running.name! });
    expect(after.state).toBe('JOB_STATE_FAILED');
    expect(after.error?.message).toMatch(/emulator was stopped while this job was running/);
    const [all] = await jobs.listCustomJobs({ parent });
    expect(all.map((j) => j.displayName).sort()).toEqual([
      'dist',
      'gpu',
      'interrupted',
      'one-fails',
      'reduction',
    ]);
  });
});
