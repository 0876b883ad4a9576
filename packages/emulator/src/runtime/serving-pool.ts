import { freePort } from './cluster.ts';
import { Replica, type ReplicaExit } from './replica.ts';
import type { ServingPlan } from './serving-plan.ts';

/** A model server's answer, passed back to the caller as is. */
export interface ServerResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

interface ServerReplica {
  replica: Replica;
  port: number;
  ready: boolean;
  /** It refused a connection: dead, waiting for its exit to be noticed. */
  refused?: boolean;
  inFlight: number;
  lastUsed: number;
  startedAt: number;
}

/** One replica as {@link ServingPool.status} shows it. */
export interface ReplicaStatus {
  task: string;
  port: number;
  pid: number | undefined;
  /** Healthy and taking requests. */
  ready: boolean;
  inFlight: number;
  /** Epoch milliseconds. */
  startedAt: number;
  lastUsed: number;
}

/** The replica range and the replicas of a deployed model, now. */
export interface PoolStatus {
  min: number;
  max: number;
  /** Replicas being launched that have no port yet. */
  starting: number;
  replicas: ReplicaStatus[];
}

/** Default: a replica idle this long above `minReplicaCount` is stopped. */
export const DEFAULT_SCALE_DOWN_SECONDS = 30;
/** Crashes in a row (each within a minute of starting) after which a replica is not restarted again. */
const MAX_QUICK_CRASHES = 5;

function exitText(exit: ReplicaExit): string {
  const how = exit.spawnError ?? (exit.signal ? `signal ${exit.signal}` : `status ${exit.code}`);
  const tail = exit.stderrTail.slice(-5).join('\n').trim();
  return tail ? `${how}: ${tail}` : how;
}

/**
 * The server replicas of one deployed model: `min` started and healthy before the deployment counts,
 * requests to the least busy one, one more (up to `max`) when all are busy, idle extras stopped, and a
 * crashed replica restarted.
 */
export class ServingPool {
  private readonly replicas: ServerReplica[] = [];
  private readonly plan: ServingPlan;
  private readonly cwd: string;
  private readonly log: (line: string) => void;
  private min: number;
  private max: number;
  private stopped = false;
  private quickCrashes = 0;
  private turn = 0;
  /** Replicas between launch() and having a port (not yet in `replicas`). */
  private starting = 0;
  private readonly reaper: NodeJS.Timeout;

  private readonly idleMs: number;

  constructor(
    plan: ServingPlan,
    range: { min: number; max: number },
    cwd: string,
    log: (line: string) => void,
    scaleDownSeconds = DEFAULT_SCALE_DOWN_SECONDS,
  ) {
    this.plan = plan;
    this.idleMs = scaleDownSeconds * 1000;
    this.cwd = cwd;
    this.log = log;
    this.min = Math.max(1, range.min);
    this.max = Math.max(this.min, range.max);
    this.reaper = setInterval(() => this.stopIdle(), Math.min(5000, Math.max(100, this.idleMs / 4)));
    this.reaper.unref();
  }

  /** Replicas running now (ready or starting). */
  get size(): number {
    return this.replicas.length + this.starting;
  }

  /** A read-only view of the replicas (the console shows it). */
  status(): PoolStatus {
    return {
      min: this.min,
      max: this.max,
      starting: this.starting,
      replicas: this.replicas.map((r) => ({
        task: r.replica.task,
        port: r.port,
        pid: r.replica.pid,
        ready: r.ready && !r.refused,
        inFlight: r.inFlight,
        startedAt: r.startedAt,
        lastUsed: r.lastUsed,
      })),
    };
  }

  /** Starts `min` replicas and resolves when all are healthy; rejects with the server's own error. */
  async start(): Promise<void> {
    try {
      await Promise.all(Array.from({ length: this.min }, () => this.launch()));
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Changes the replica range (MutateDeployedModel); starts replicas up to the new minimum. */
  async resize(min: number, max: number): Promise<void> {
    this.min = Math.max(1, min);
    this.max = Math.max(this.min, max);
    const more = this.min - this.replicas.length;
    await Promise.all(Array.from({ length: Math.max(0, more) }, () => this.launch()));
    this.stopIdle(true);
  }

  /**
   * Sends a request body to the predict route (or `route`) of the least busy ready replica. A replica that
   * refuses the connection (it died and is being replaced) is skipped and the request goes to another one;
   * a request that a replica took and then lost is not resent (predictions need not be idempotent).
   */
  async send(
    body: string | Buffer,
    contentType: string,
    route = this.plan.predictRoute,
  ): Promise<ServerResponse> {
    for (let attempt = 0; ; attempt++) {
      const target = await this.pick();
      target.inFlight++;
      target.lastUsed = Date.now();
      try {
        const res = await fetch(`http://127.0.0.1:${target.port}${route}`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        });
        return {
          status: res.status,
          contentType: res.headers.get('content-type') ?? 'application/octet-stream',
          body: Buffer.from(await res.arrayBuffer()),
        };
      } catch (err) {
        const code = (err as Error & { cause?: { code?: string } }).cause?.code;
        if (code !== 'ECONNREFUSED' || attempt >= 10) throw err;
        target.refused = true; // it is gone; its exit handler replaces it
      } finally {
        target.inFlight--;
        target.lastUsed = Date.now();
      }
    }
  }

  /** Stops every replica. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reaper);
    const all = this.replicas.splice(0);
    for (const r of all) r.replica.kill();
    await Promise.all(all.map((r) => r.replica.exited));
  }

  private async pick(): Promise<ServerReplica> {
    for (let waited = 0; ; waited += 50) {
      if (this.stopped) throw new Error('The deployed model is being undeployed.');
      const ready = this.replicas.filter((r) => r.ready && !r.refused);
      const least = Math.min(...ready.map((r) => r.inFlight));
      // Round robin among the least busy, so that idle replicas share sequential traffic too.
      const idlest = ready.filter((r) => r.inFlight === least);
      const best = idlest[this.turn++ % Math.max(1, idlest.length)];
      if (best && best.inFlight > 0 && this.replicas.length + this.starting < this.max) {
        this.launch().catch((err: Error) => this.log(`scale-up failed: ${err.message}`));
      }
      if (best) return best;
      if (waited > this.plan.startupSeconds * 1000)
        throw new Error('No replica of the deployed model became ready.');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async launch(): Promise<void> {
    this.starting++;
    let port: number;
    try {
      port = await freePort();
    } finally {
      this.starting--;
    }
    const task = `replica-${port}`;
    const replica = new Replica(
      task,
      { argv: this.plan.argv, env: { ...this.plan.env, AIP_HTTP_PORT: String(port) }, cwd: this.cwd },
      (stream, line) => this.log(`[${task}${stream === 'stderr' ? ' stderr' : ''}] ${line}`),
    );
    const entry: ServerReplica = {
      replica,
      port,
      ready: false,
      inFlight: 0,
      lastUsed: Date.now(),
      startedAt: Date.now(),
    };
    this.replicas.push(entry);
    let exited: ReplicaExit | undefined;
    void replica.exited.then((exit) => {
      exited = exit;
      this.onExit(entry, exit);
    });
    const deadline = Date.now() + this.plan.startupSeconds * 1000;
    for (;;) {
      if (exited) throw new Error(`The model server exited with ${exitText(exited)}`);
      if (this.stopped) throw new Error('The deployment was stopped while a replica started.');
      const ok = await fetch(`http://127.0.0.1:${port}${this.plan.healthRoute}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) {
        replica.kill();
        throw new Error(
          `The model server was not healthy after ${this.plan.startupSeconds} s (GET ${this.plan.healthRoute} on AIP_HTTP_PORT).`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    entry.ready = true;
    this.quickCrashes = 0;
    this.log(`[${task}] ready on port ${port}`);
  }

  private onExit(entry: ServerReplica, exit: ReplicaExit): void {
    const i = this.replicas.indexOf(entry);
    if (i < 0) return; // stopped on purpose
    this.replicas.splice(i, 1);
    if (this.stopped || !entry.ready) return;
    this.log(`[replica-${entry.port}] exited with ${exitText(exit)}; restarting it`);
    this.quickCrashes = Date.now() - entry.startedAt < 60_000 ? this.quickCrashes + 1 : 1;
    if (this.quickCrashes > MAX_QUICK_CRASHES) {
      this.log(
        `not restarting: the server crashed ${this.quickCrashes} times in a row within a minute of starting`,
      );
      return;
    }
    this.launch().catch((err: Error) => this.log(`restart failed: ${err.message}`));
  }

  private stopIdle(now = false): void {
    const idle = this.replicas.filter(
      (r) => r.ready && r.inFlight === 0 && (now || Date.now() - r.lastUsed > this.idleMs),
    );
    while (this.replicas.length > this.min && idle.length) {
      const r = idle.pop()!;
      this.replicas.splice(this.replicas.indexOf(r), 1);
      this.log(`[replica-${r.port}] idle: scaling down to ${this.replicas.length}`);
      r.replica.kill();
    }
  }
}
