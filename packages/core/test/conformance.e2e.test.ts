import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomJob, type CustomJobRunOptions, init, type WorkerPoolSpec } from '../src/index.ts';
import { recordedRequests, repoRoot, stopEmulator, useEmulator } from './helpers.ts';

/** The conformance cases: requests the official Python SDK sends for given inputs (vendored from shared/). */
const casesDir = join(repoRoot, 'conformance');
const sharedDir = join(repoRoot, '../shared/conformance');

interface Case {
  test: string;
  rpc: string | string[];
  inputs: {
    init: Record<string, unknown>;
    class: string;
    constructor: Record<string, unknown>;
    method: string;
    args: Record<string, unknown>;
  };
  expected_request: unknown;
}

const cases = readdirSync(casesDir)
  .filter((f) => f.startsWith('sdk-') && f.endsWith('.json'))
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as Case) }));

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelKeys(x)]));
  return v;
}

/** Python SDK arguments → our API's options (same meaning, camelCase). */
const RUN_ARGS: Record<string, keyof CustomJobRunOptions | null> = {
  timeout: 'timeout',
  restart_job_on_worker_restart: 'restartJobOnWorkerRestart',
  disable_retries: 'disableRetries',
  max_wait_duration: 'maxWaitDuration',
  scheduling_strategy: 'schedulingStrategy',
  service_account: 'serviceAccount',
  network: 'network',
  enable_web_access: 'enableWebAccess',
  tensorboard: 'tensorboard',
  sync: null, // the case's image cannot run locally: we compare the request, not the run
  create_request_timeout: null,
};

describe.each(['grpc', 'rest'] as const)('conformance with the Python SDK over %s', (transport) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator();
  });
  afterAll(() => stopEmulator(emu));

  it('vendored cases are the same as ../shared/conformance (when present)', () => {
    if (!existsSync(sharedDir)) return;
    for (const c of cases)
      expect(readFileSync(join(casesDir, c.file), 'utf8')).toBe(
        readFileSync(join(sharedDir, c.file), 'utf8'),
      );
  });

  const customJobCases = cases.filter(
    (c) => c.rpc === 'google.cloud.aiplatform.v1.JobService.CreateCustomJob',
  );
  it('has custom job cases', () => expect(customJobCases.length).toBeGreaterThan(0));

  it.each(customJobCases.map((c) => [c.file, c] as const))(
    '%s: the recorded CreateCustomJob equals expected_request',
    async (_f, c) => {
      const i = c.inputs;
      init({
        apiTransport: transport,
        project: i.init.project as string,
        location: i.init.location as string,
        stagingBucket: i.init.staging_bucket as string,
        encryptionSpecKeyName: i.init.encryption_spec_key_name as string,
        network: i.init.network as string,
        serviceAccount: i.init.service_account as string,
      });
      const job = new CustomJob({
        displayName: i.constructor.display_name as string,
        workerPoolSpecs: camelKeys(i.constructor.worker_pool_specs) as WorkerPoolSpec[],
        baseOutputDir: i.constructor.base_output_dir as string | undefined,
        labels: i.constructor.labels as Record<string, string> | undefined,
      });
      const run: Record<string, unknown> = { sync: false };
      for (const [k, v] of Object.entries(i.args)) {
        if (!(k in RUN_ARGS)) throw new Error(`${c.file}: no mapping for run argument ${k}`);
        const ours = RUN_ARGS[k];
        if (ours && v !== null) run[ours] = v;
      }
      const before = (await recordedRequests(emu, 'CreateCustomJob')).length;
      await job.run(run as CustomJobRunOptions);
      const after = await recordedRequests(emu, 'CreateCustomJob');
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)!.request).toEqual(c.expected_request);
    },
  );
});
