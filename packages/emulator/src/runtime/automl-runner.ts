/**
 * Runs the AutoML image trainer, `python -m tvx_automl --spec spec.json` (packages/emulator/python), for a
 * training pipeline: one process group per pipeline, its lines in the emulator's Cloud Logging store under
 * the pipeline's id (task `automl-trainer`), killed on cancel.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import type { LogStore } from '../logging/log-store.ts';
import { isAutomlImageModel } from '../vertex/automl-schemas.ts';
import type { Json } from '../vertex/protos.ts';
import { inheritedEnv } from './launch-plan.ts';
import { emulatorPythonPath } from './python-worker.ts';
import { killGroup, Replica } from './replica.ts';

/** What the trainer reads (see `python -m tvx_automl --help`). */
export interface AutomlSpec {
  labels: { id: string; displayName: string }[];
  examples: { path: string; uri: string; labels: number[]; split?: 'training' | 'validation' | 'test' }[];
  fractions?: { training: number; validation: number; test: number };
  multiLabel: boolean;
  modelType: string;
  budgetSeconds: number;
  budgetMilliNodeHours: number;
  earlyStopping: boolean;
  baseModel?: string;
  seed?: number;
  threads?: number;
}

/** What a finished training wrote: the artifact folder and the reports. */
export interface AutomlOutcome {
  modelDir: string;
  /** training.json: costMilliNodeHours, successfulStopReason, counts, epochs, seconds, testAccuracy … */
  training: Json;
  /** evaluation.json: ModelEvaluation.metrics in classification_metrics_1.0.0 form. */
  metrics: Json;
  /** evaluation_slices.json: one per label. */
  slices: { annotationSpecId: string; displayName: string; metrics: Json }[];
}

/** The training was cancelled (the process group was killed). */
export class AutomlCancelled extends Error {}

/** The work folder of a pipeline (`<dataDir>/automl/<pipeline id>`); the model artifact is its `model/`. */
export function automlWorkDir(dataDir: string, pipelineId: string): string {
  return join(dataDir, 'automl', pipelineId);
}

/** A prebuilt prediction image the serving plan runs tvx_serving for; AutoML models then get framework automl_image. */
const AUTOML_SERVING_IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.1-13:latest';

/**
 * For an AutoML image model: the model as the serving plan should start it (tvx_serving on the artifact folder
 * the trainer wrote, `<dataDir>/automl/<pipeline id>/model`); undefined for any other model. AutoML models have
 * no container spec or artifactUri of their own, as on Vertex.
 */
export function automlServingModel(
  ctx: { gcsRoot: string; dataDir?: string },
  model: Json,
): Json | undefined {
  if (!isAutomlImageModel(model) || !model.trainingPipeline) return undefined;
  const dataDir = ctx.dataDir ?? dirname(ctx.gcsRoot); // the emulator keeps gcs/ in its data dir
  const id = (model.trainingPipeline as string).split('/').pop()!;
  return {
    ...model,
    metadataSchemaUri: undefined,
    containerSpec: { imageUri: AUTOML_SERVING_IMAGE },
    artifactUri: join(automlWorkDir(dataDir, id), 'model'),
  };
}

/** What the runner needs from the emulator. */
export interface AutomlRunnerContext {
  python: string;
  dataDir: string;
  logs: LogStore;
}

export class AutomlRunner {
  private readonly ctx: AutomlRunnerContext;
  private readonly running = new Map<string, { replica: Replica; cancelled: boolean; stopped?: string }>();

  constructor(ctx: AutomlRunnerContext) {
    this.ctx = ctx;
  }

  /** Trains for the pipeline `name`; rejects with the trainer's error, or {@link AutomlCancelled}. */
  async run(name: string, spec: AutomlSpec): Promise<AutomlOutcome> {
    const [, project, , , , id] = name.split('/') as string[];
    const dir = automlWorkDir(this.ctx.dataDir, id!);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const modelDir = join(dir, 'model');
    const threads = spec.threads ?? Math.max(1, Math.min(2, cpus().length));
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify({ ...spec, threads, modelDir, outputDir: join(dir, 'output') }),
    );
    const path = emulatorPythonPath();
    const log = (severity: string, line: string) =>
      this.ctx.logs.append(project!, id!, 'automl-trainer', severity, line);
    const replica = new Replica(
      'automl-trainer',
      {
        argv: [this.ctx.python, '-m', 'tvx_automl', '--spec', join(dir, 'spec.json')],
        env: {
          ...inheritedEnv(),
          PYTHONPATH: path,
          PYTHONUNBUFFERED: '1',
          OMP_NUM_THREADS: String(threads),
          TVX_AUTOML_PIPELINE: name,
        },
        cwd: dir,
      },
      (stream, line) => log(stream === 'stderr' ? 'ERROR' : 'INFO', line),
    );
    const entry: { replica: Replica; cancelled: boolean; stopped?: string } = { replica, cancelled: false };
    this.running.set(name, entry);
    if (replica.pid) writeFileSync(join(dir, 'pid'), String(replica.pid));
    const exit = await replica.exited;
    this.running.delete(name);
    rmSync(join(dir, 'pid'), { force: true });
    if (entry.stopped) throw new Error(entry.stopped);
    if (entry.cancelled) throw new AutomlCancelled('CANCELED');
    if (exit.spawnError)
      throw new Error(`The AutoML trainer could not start (${this.ctx.python}): ${exit.spawnError}`);
    if (exit.code !== 0) {
      const said = [...exit.stderrTail].reverse().find((l) => l.startsWith('tvx_automl: '));
      throw new Error(
        said?.slice('tvx_automl: '.length) ??
          `The AutoML trainer ended with ${exit.signal ?? `exit status ${exit.code}`}: ${exit.stderrTail.slice(-5).join(' | ')}`,
      );
    }
    const read = <T>(file: string) => JSON.parse(readFileSync(join(dir, 'output', file), 'utf8')) as T;
    return {
      modelDir,
      training: read<Json>('training.json'),
      metrics: read<Json>('evaluation.json'),
      slices: read<AutomlOutcome['slices']>('evaluation_slices.json'),
    };
  }

  /** The artifact folder a pipeline's training writes (model.pt, automl_image.json). */
  modelDirOf(pipelineId: string): string {
    return join(automlWorkDir(this.ctx.dataDir, pipelineId), 'model');
  }

  /** Kills the trainer of pipeline `name`; false when none runs. */
  cancel(name: string): boolean {
    const entry = this.running.get(name);
    if (!entry) return false;
    entry.cancelled = true;
    entry.replica.kill(2000);
    return true;
  }

  /** Stops every trainer (the emulator stops: their pipelines fail with `reason`) and waits for them to end. */
  async stopAll(
    reason = 'The emulator was stopped while this AutoML training was running; its trainer was ended. Run the training again.',
  ): Promise<void> {
    const all = [...this.running.values()];
    for (const entry of all) {
      entry.stopped = reason;
      entry.replica.kill(1000);
    }
    await Promise.all(all.map((e) => e.replica.exited));
  }

  /** After a restart: kills a trainer a previous emulator process left running for pipeline `id`. */
  killOrphan(pipelineId: string): void {
    const pidFile = join(automlWorkDir(this.ctx.dataDir, pipelineId), 'pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes('tvx_automl') && cmdline.includes(pipelineId)) killGroup(pid, 'SIGKILL');
    } catch {
      // The process is gone (or /proc is not there): nothing to kill.
    }
    rmSync(pidFile, { force: true });
  }
}
