import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogStore } from '../logging/log-store.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import type { Json } from '../vertex/protos.ts';
import { allocateSlots, clusterSpec, type ReplicaSlot, tfConfig, torchEnv } from './cluster.ts';
import { gcsToLocal } from './gcs-paths.ts';
import { type LaunchPlanner, type PoolPlan, planPool } from './launch-plan.ts';
import { killGroup, Replica, type ReplicaExit } from './replica.ts';

/** What the runtime needs from the emulator around it. */
export interface RuntimeContext {
  dataDir: string;
  gcsRoot: string;
  /** Python for trainers: TVX_PYTHON or Debian's /usr/bin/python3. */
  python: string;
  planner: LaunchPlanner;
  /** Addresses handed to jobs so that Google client libraries inside them reach the emulator. */
  emulatorEnv: Record<string, string>;
  logs: LogStore;
}

interface Running {
  replicas: Replica[];
  cancelled: boolean;
  timedOut?: number;
  timer?: NodeJS.Timeout;
}

const ACTIVE = new Set([
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_CANCELLING',
]);

/**
 * Runs custom jobs as local processes, one per worker-pool replica, with Vertex's environment, and drives
 * the job through QUEUED → PENDING → RUNNING → SUCCEEDED / FAILED / CANCELLED.
 */
export class CustomJobRunner {
  private readonly running = new Map<string, Running>();
  private readonly listeners: ((name: string, job: Json) => void)[] = [];
  private readonly ctx: RuntimeContext;
  private readonly jobs: ResourceStore;

  constructor(ctx: RuntimeContext, jobs: ResourceStore) {
    this.ctx = ctx;
    this.jobs = jobs;
  }

  /** Calls `listener` after every state change of any job (training pipelines follow their backing job). */
  onStateChange(listener: (name: string, job: Json) => void): void {
    this.listeners.push(listener);
  }

  /** Marks jobs that were active when a previous emulator process died as FAILED, saying why. */
  recoverAfterRestart(): void {
    for (const job of this.jobs.list()) {
      if (ACTIVE.has(job.state as string)) {
        this.killOrphans(job.name as string);
        this.finish(job.name as string, 'JOB_STATE_FAILED', {
          code: 10,
          message:
            'The emulator stopped while this job was running; its processes were ended. Run the job again.',
        });
      }
    }
  }

  /** Starts a newly created job in the background. */
  start(name: string): void {
    const state: Running = { replicas: [], cancelled: false };
    this.running.set(name, state);
    this.execute(name, state).catch((err: Error) => {
      this.finish(name, 'JOB_STATE_FAILED', {
        code: 13,
        message: `The emulator could not run the job: ${err.message}`,
      });
    });
  }

  /** Cancels a job: its replica process trees are killed and it ends CANCELLED. */
  cancel(name: string): void {
    const run = this.running.get(name);
    this.update(name, { state: 'JOB_STATE_CANCELLING' });
    if (!run) {
      this.finish(name, 'JOB_STATE_CANCELLED', { code: 1, message: 'CANCELED' });
      return;
    }
    run.cancelled = true;
    for (const r of run.replicas) r.kill();
  }

  /** Stops every running job (the emulator is shutting down) and waits for the processes to end. */
  async stopAll(reason: string): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const [name, run] of this.running) {
      run.cancelled = true;
      for (const r of run.replicas) {
        r.kill(1000);
        waits.push(r.exited);
      }
      this.finish(name, 'JOB_STATE_FAILED', { code: 10, message: reason });
    }
    await Promise.all(waits);
  }

  private async execute(name: string, run: Running): Promise<void> {
    const job = this.jobs.get(name)!;
    const [, project, , , , id] = name.split('/') as string[];
    const log = (text: string, severity = 'INFO') =>
      this.ctx.logs.append(project!, id!, 'service', severity, text);
    const spec = job.jobSpec as Json;
    const pools = (spec.workerPoolSpecs as Json[]).map((p): Json & { replicaCount: number } => ({
      ...p,
      replicaCount: Number(p.replicaCount ?? 1),
    }));
    const jobDir = join(this.ctx.dataDir, 'jobs', id!);

    this.update(name, { state: 'JOB_STATE_PENDING' });
    log('Waiting for job to be provisioned.');
    for (const [i, pool] of pools.entries()) {
      const machine = pool.machineSpec as Json | undefined;
      if (machine?.acceleratorType) {
        log(
          `workerPoolSpecs[${i}] asks for ${machine.acceleratorCount} × ${machine.acceleratorType}: the emulator has no accelerators, so its replicas run on CPU.`,
          'WARNING',
        );
      }
    }
    const plans: (PoolPlan | undefined)[] = [];
    for (const [i, pool] of pools.entries()) {
      if (!pool.pythonPackageSpec && !pool.containerSpec) {
        plans.push(undefined);
        continue;
      }
      if (
        i === 2 &&
        String((pool.containerSpec as Json | undefined)?.imageUri ?? '').includes('reductionserver')
      ) {
        log(
          `The Reduction Server pool (${pool.replicaCount} replicas) is not needed locally: the workers all-reduce over loopback.`,
        );
        plans.push(undefined);
        continue;
      }
      const planned = await planPool(this.ctx, pool, i, jobDir);
      if ('error' in planned)
        return this.finish(name, 'JOB_STATE_FAILED', { code: 3, message: planned.error });
      if (planned.notice) log(planned.notice, 'WARNING');
      plans.push(planned);
    }
    if (run.cancelled) return this.finish(name, 'JOB_STATE_CANCELLED', { code: 1, message: 'CANCELED' });

    const counts = pools.map((p, i) => (plans[i] ? p.replicaCount : 0));
    const slots = await allocateSlots(counts);
    const base = (spec.baseOutputDirectory as Json | undefined)?.outputUriPrefix as string | undefined;
    const jobEnv = this.vertexEnv(project!, id!, base);
    for (const slot of slots) {
      const plan = plans[slot.pool]!;
      const env: Record<string, string> = {
        ...plan.env,
        ...jobEnv,
        CLUSTER_SPEC: clusterSpec(slots, slot, spec),
        TF_CONFIG: tfConfig(slots, slot),
        ...(plan.torch ? torchEnv(slots, slot) : {}),
        ...plan.userEnv,
      };
      const replica = new Replica(
        slot.task,
        { argv: plan.argv, env, cwd: join(jobDir, slot.task) },
        (stream, line) =>
          this.ctx.logs.append(project!, id!, slot.task, stream === 'stderr' ? 'ERROR' : 'INFO', line),
      );
      run.replicas.push(replica);
    }
    writeFileSync(join(jobDir, 'pids.json'), JSON.stringify(run.replicas.map((r) => r.pid).filter(Boolean)));
    this.update(name, { state: 'JOB_STATE_RUNNING', startTime: new Date().toISOString() });
    log('Job is running.');
    this.armTimeout(spec, run);

    const failure = await this.firstFailure(run, slots);
    clearTimeout(run.timer);
    if (run.cancelled) {
      await Promise.all(run.replicas.map((r) => r.exited));
      return this.finish(name, 'JOB_STATE_CANCELLED', { code: 1, message: 'CANCELED' });
    }
    if (run.timedOut !== undefined) {
      return this.finish(name, 'JOB_STATE_FAILED', {
        code: 4,
        message: `The job exceeded its scheduling timeout of ${run.timedOut}s and was stopped.`,
      });
    }
    if (failure) {
      log(failure, 'ERROR');
      return this.finish(name, 'JOB_STATE_FAILED', { code: 3, message: failure });
    }
    log('Job completed successfully.');
    this.finish(name, 'JOB_STATE_SUCCEEDED');
  }

  /** Waits for every replica; at the first non-zero exit the others are stopped. Returns the failure message. */
  private async firstFailure(run: Running, slots: ReplicaSlot[]): Promise<string | undefined> {
    let failure: string | undefined;
    await Promise.all(
      run.replicas.map(async (replica, i) => {
        const exit = await replica.exited;
        if (failure || run.cancelled || run.timedOut !== undefined || isSuccess(exit)) return;
        failure = failureMessage(slots[i]!.task, exit);
        for (const other of run.replicas) if (other !== replica) other.kill();
      }),
    );
    return failure;
  }

  /** Kills replica process groups that outlived an emulator that died without stopping them. */
  private killOrphans(name: string): void {
    const file = join(this.ctx.dataDir, 'jobs', name.split('/').pop()!, 'pids.json');
    if (!existsSync(file)) return;
    for (const pid of JSON.parse(readFileSync(file, 'utf8')) as number[]) killGroup(pid, 'SIGKILL');
  }

  private armTimeout(spec: Json, run: Running): void {
    const timeout = (spec.scheduling as Json | undefined)?.timeout as string | undefined;
    const seconds = timeout ? Number.parseFloat(timeout) : 0;
    if (!seconds) return;
    run.timer = setTimeout(() => {
      run.timedOut = seconds;
      for (const r of run.replicas) r.kill();
    }, seconds * 1000);
  }

  private vertexEnv(project: string, id: string, base: string | undefined): Record<string, string> {
    const env: Record<string, string> = {
      ...this.ctx.emulatorEnv,
      CLOUD_ML_JOB_ID: id,
      CLOUD_ML_PROJECT_ID: project,
      TVX_GCS_MOUNT: this.ctx.gcsRoot,
      PYTHONUNBUFFERED: '1',
    };
    if (base) {
      const dir = base.endsWith('/') ? base : `${base}/`;
      env.AIP_MODEL_DIR = `${dir}model/`;
      env.AIP_CHECKPOINT_DIR = `${dir}checkpoints/`;
      env.AIP_TENSORBOARD_LOG_DIR = `${dir}logs/`;
      gcsToLocal(this.ctx.gcsRoot, dir); // validates the bucket part early
    }
    return env;
  }

  private update(name: string, fields: Json): void {
    const job = this.jobs.update(name, (j) =>
      Object.assign(j, fields, { updateTime: new Date().toISOString() }),
    );
    if (job && 'state' in fields) for (const l of this.listeners) l(name, job);
  }

  private finish(name: string, state: string, error?: { code: number; message: string }): void {
    const run = this.running.get(name);
    if (run) clearTimeout(run.timer);
    this.running.delete(name);
    const job = this.jobs.get(name);
    if (!job || (!ACTIVE.has(job.state as string) && job.endTime)) return;
    const now = new Date().toISOString();
    this.update(name, { state, endTime: now, ...(error ? { error } : {}) });
  }
}

function isSuccess(exit: ReplicaExit): boolean {
  return exit.code === 0 && !exit.spawnError;
}

function failureMessage(task: string, exit: ReplicaExit): string {
  if (exit.spawnError) return `The replica ${task} could not be started: ${exit.spawnError}`;
  const how = exit.signal
    ? `was killed by signal ${exit.signal}`
    : `exited with a non-zero status of ${exit.code}`;
  const tail = exit.stderrTail.length ? `\n${exit.stderrTail.join('\n')}` : '';
  return `The replica ${task} ${how}. Examine the logs for details (tvx jobs logs).${tail}`;
}
