import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import {
  CustomJob,
  closeClients,
  init,
  resetConfig,
  resolveConfig,
  stagePythonPackage,
} from '../src/index.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const sklearnTrainerDir = `${repoRoot}examples/sklearn-iris-trainer`;
export const SKLEARN_IMAGE = 'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest';

/** Starts an emulator in this process and points terra-vertex at it (nothing else is configured). */
export async function useEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = await startEmulator(options);
  resetConfig();
  init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
  return emu;
}

/** Stops the emulator and drops the cached clients that pointed at it. */
export async function stopEmulator(emu: RunningEmulator | undefined): Promise<void> {
  await closeClients();
  resetConfig();
  await emu?.stop();
}

/** Builds and uploads the example scikit-learn trainer; returns its gs:// URI. */
export async function stageSklearnTrainer(): Promise<string> {
  return stagePythonPackage(await resolveConfig(), sklearnTrainerDir);
}

/** Every request the emulator recorded whose method contains `method`. */
export async function recordedRequests(
  emu: RunningEmulator,
  method: string,
): Promise<{ request: unknown; status: string }[]> {
  const res = await fetch(`${emu.httpAddress}/_emulator/v1/requests?method=${encodeURIComponent(method)}`);
  return ((await res.json()) as { requests: { request: unknown; status: string }[] }).requests;
}

/** Pids of live processes whose environment says they belong to this Vertex job. */
export function processesOfJob(jobId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`CLOUD_ML_JOB_ID=${jobId}`))
        pids.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read: it is not a live job process.
    }
  }
  return pids;
}

/** Polls `check` until it returns true (or fails after `ms`). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A CustomJob running the example scikit-learn trainer (already staged at `packageUri`) with `args`. */
export function sklearnTrainerJob(packageUri: string, args: string[] = [], displayName = 'iris'): CustomJob {
  return new CustomJob({
    displayName,
    workerPoolSpecs: [
      {
        pythonPackageSpec: {
          executorImageUri: SKLEARN_IMAGE,
          packageUris: [packageUri],
          pythonModule: 'trainer.task',
          args,
        },
      },
    ],
  });
}
