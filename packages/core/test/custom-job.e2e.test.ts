import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomJob,
  exists,
  JobFailedError,
  type ProgressEvent,
  readJobLogs,
  resolveConfig,
  storageClient,
} from '../src/index.ts';
import {
  eventually,
  processesOfJob,
  sklearnTrainerJob,
  stageSklearnTrainer,
  stopEmulator,
  useEmulator,
} from './helpers.ts';

let emu: RunningEmulator;
let packageUri: string;

function sklearnJob(args: string[], displayName = 'iris') {
  return sklearnTrainerJob(packageUri, args, displayName);
}

describe('CustomJob on the emulator, through the official client', () => {
  beforeAll(async () => {
    emu = await useEmulator();
    packageUri = await stageSklearnTrainer();
  });
  afterAll(() => stopEmulator(emu));

  it('runs a real scikit-learn trainer that saves its model under AIP_MODEL_DIR', async () => {
    const events: ProgressEvent[] = [];
    const job = sklearnJob(['--C', '0.5']);
    await job.run({ onProgress: (e) => events.push(e) });

    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    const states = events.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state);
    expect(states.at(-1)).toBe('JOB_STATE_SUCCEEDED');
    const logLines = events.filter((e) => e.type === 'log').map((e) => (e as { line: string }).line);
    expect(logLines.some((l) => /accuracy=\d\.\d{4}/.test(l))).toBe(true);

    const base = job.gcaResource?.jobSpec?.baseOutputDirectory?.outputUriPrefix;
    expect(base).toMatch(/^gs:\/\/demo-terra-vertex-staging\/aiplatform-custom-job-/);
    const storage = await storageClient(await resolveConfig());
    expect(await exists(storage, `${base}/model/model.joblib`)).toBe(true);

    const logs = await job.logs();
    expect(logs.some((l) => l.task === 'workerpool0-0' && l.text.includes('saved model to gs://'))).toBe(
      true,
    );
    const seconds = (t: unknown) => Number((t as { seconds: string }).seconds);
    const r = job.gcaResource!;
    expect(seconds(r.createTime)).toBeLessThanOrEqual(seconds(r.startTime));
    expect(seconds(r.startTime)).toBeLessThanOrEqual(seconds(r.endTime));
  });

  it('fails a job whose trainer crashes, with the error in error.message', async () => {
    const job = sklearnJob(['--fail-with', 'the data has no label column'], 'crash');
    const err = await job.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(job.state).toBe('JOB_STATE_FAILED');
    expect(job.error?.message).toMatch(/workerpool0-0 exited with a non-zero status of 1/);
    expect(job.error?.message).toMatch(/ValueError: the data has no label column/);
  });

  it('cancels a running job and kills its processes', async () => {
    const job = sklearnJob(['--sleep', '120'], 'cancel-me');
    await job.run({ sync: false });
    await eventually(async () => (await job.refresh()).state === 'JOB_STATE_RUNNING');
    await eventually(() => processesOfJob(job.id).length > 0);
    await job.cancel();
    await job.wait({ throwOnFailure: false });
    expect(job.state).toBe('JOB_STATE_CANCELLED');
    expect(processesOfJob(job.id)).toEqual([]);
  });

  it('enforces the scheduling timeout', async () => {
    const job = sklearnJob(['--sleep', '120'], 'too-slow');
    await expect(job.run({ timeout: 2 })).rejects.toThrow(/exceeded its scheduling timeout of 2s/);
    expect(processesOfJob(job.id)).toEqual([]);
  });

  it('finds jobs again by resource name and lists them, newest first', async () => {
    const [newest] = await CustomJob.list();
    const again = await CustomJob.get(newest!.resourceName);
    expect(again.displayName).toBe(newest!.displayName);
    expect(again.state).toBe(newest!.state);
    const byId = await CustomJob.get(newest!.id);
    expect(byId.resourceName).toBe(newest!.resourceName);
    const succeeded = await CustomJob.list({ filter: 'state="JOB_STATE_SUCCEEDED"' });
    expect(succeeded.map((j) => j.displayName)).toEqual(['iris']);
  });

  it('streams logs live while the job runs', async () => {
    const job = sklearnJob(['--sleep', '4'], 'live-logs');
    await job.run({ sync: false });
    const config = await resolveConfig();
    await eventually(async () =>
      (await readJobLogs(config, config.project, job.id)).some((l) => l.text === 'working...'),
    );
    await job.refresh();
    expect(job.state).not.toBe('JOB_STATE_SUCCEEDED');
    await job.wait();
  });

  it('keeps waiting when the logs cannot be read, saying why once', async () => {
    const job = sklearnJob([], 'no-logs');
    await job.run({ sync: false });
    const blind = await CustomJob.get(job.resourceName, {
      emulator: { vertex: emu.vertexAddress, http: 'http://127.0.0.1:9' },
    });
    const notices: string[] = [];
    await blind.wait({ onProgress: (e) => e.type === 'notice' && notices.push(e.message) });
    expect(blind.state).toBe('JOB_STATE_SUCCEEDED');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /Not following logs any more: .*UNAVAILABLE: cannot reach the emulator at http:\/\/127\.0\.0\.1:9/,
    );
  });

  it('deletes an ended job', async () => {
    const [job] = await CustomJob.list({ filter: 'display_name="too-slow"' });
    await job!.delete();
    await expect(CustomJob.get(job!.resourceName)).rejects.toThrow(/NOT_FOUND/);
  });
});
