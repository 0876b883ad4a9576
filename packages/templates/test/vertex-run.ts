/** Run a generated trainer the way Vertex AI would, with buckets on a local mount (TVX_GCS_MOUNT). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TrainerOptions } from '../src/index.ts';
import { METRICS } from '../src/index.ts';
import type { PythonResult, Scalar } from './helpers.ts';
import { generate, listFiles, pythonEnv, readScalars, runPython, tempDir } from './helpers.ts';

export interface VertexRun {
  pkg: string;
  work: string;
  /** Local root of gs:// (TVX_GCS_MOUNT). */
  mount: string;
  /** Local path of gs://bkt/run/model/. */
  modelDir: string;
  env: NodeJS.ProcessEnv;
  result: PythonResult;
  metrics: Record<string, unknown>;
  /** Parsed lines of the hypertune metrics file. */
  hypertune: Record<string, unknown>[];
  /** Scalars of the single event file under gs://bkt/run/logs/. */
  scalars: Scalar[];
  /** Files under gs://bkt/run/, relative. */
  outputs: string[];
}

/** Vertex's variables for a tuning trial (trial 3), with buckets under `mount`. */
export function vertexEnv(pkg: string, work: string, mount: string): NodeJS.ProcessEnv {
  return pythonEnv(pkg, {
    AIP_MODEL_DIR: 'gs://bkt/run/model/',
    AIP_CHECKPOINT_DIR: 'gs://bkt/run/checkpoints/',
    AIP_TENSORBOARD_LOG_DIR: 'gs://bkt/run/logs/',
    TVX_GCS_MOUNT: mount,
    CLOUD_ML_TRIAL_ID: '3',
    CLOUD_ML_HP_METRIC_FILE: join(work, 'hypertune', 'output.metrics'),
  });
}

/** Make demo data with `demoArgs`, then run `python -m trainer.task <args>`; asserts it succeeded. */
export async function runInVertexEnv(
  options: TrainerOptions,
  demoArgs: string[],
  args: string[],
): Promise<VertexRun> {
  const pkg = await generate(options);
  const work = tempDir(`${options.framework}-run`);
  const mount = join(work, 'gcs');
  const env = vertexEnv(pkg, work, mount);
  const demo = await runPython(['-m', 'trainer.demo_data', ...demoArgs], { cwd: work, env });
  expect(demo.stderr).toBe('');
  expect(demo.code).toBe(0);
  const result = await runPython(['-m', 'trainer.task', ...args], { cwd: work, env });
  if (result.code !== 0)
    throw new Error(`trainer failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  const modelDir = join(mount, 'bkt', 'run', 'model');
  const metrics = JSON.parse(readFileSync(join(modelDir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
  const hypertune = readFileSync(join(work, 'hypertune', 'output.metrics'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const outputs = listFiles(join(mount, 'bkt', 'run'));
  const events = outputs.filter((f) => f.startsWith('logs/events.out.tfevents.'));
  expect(events).toHaveLength(1);
  const scalars = readScalars(join(mount, 'bkt', 'run', events[0]!));
  expect(existsSync(join(work, 'trainer-output'))).toBe(false); // every output went where Vertex said
  return { pkg, work, mount, modelDir, env, result, metrics, hypertune, scalars, outputs };
}

/** Checks shared by every framework: metrics.json, the hypertune line format, TensorBoard scalars. */
export function expectVertexContract(run: VertexRun, metric: string, lastStep: number): void {
  const value = run.metrics[metric] as number;
  expect(run.metrics.metric).toBe(metric);
  expect(run.metrics.metric_value).toBe(value);
  expect(run.metrics.trial_id).toBe('3');
  if (METRICS[metric] === 'maximize') expect(value).toBeGreaterThan(0.6);
  else expect(value).toBeLessThan(1);
  const last = run.hypertune.at(-1)!;
  expect(Object.keys(last).sort()).toEqual(['global_step', metric, 'timestamp', 'trial'].sort());
  expect(last.trial).toBe('3');
  expect(last.global_step).toBe(String(lastStep));
  expect(typeof last[metric]).toBe('string');
  expect(Number(last[metric])).toBe(value);
  expect(typeof last.timestamp).toBe('number');
  const evalScalars = run.scalars.filter((s) => s.tag === `eval/${metric}`);
  expect(evalScalars.at(-1)?.step).toBe(lastStep);
  expect(evalScalars.at(-1)?.value).toBeCloseTo(value, 5);
}
