import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** How one replica is started. */
export interface LaunchPlan {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/** How a replica ended. */
export interface ReplicaExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr, for the job's error message. */
  stderrTail: string[];
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

const TAIL = 20;

/**
 * One replica process, started in its own process group so that cancelling kills the whole tree
 * (a trainer's data-loader workers included). Lines go to `onLine` as they are written.
 */
export class Replica {
  readonly task: string;
  readonly exited: Promise<ReplicaExit>;
  private readonly child: ChildProcess;
  private killTimer?: NodeJS.Timeout;

  constructor(task: string, plan: LaunchPlan, onLine: (stream: 'stdout' | 'stderr', line: string) => void) {
    this.task = task;
    mkdirSync(plan.cwd, { recursive: true });
    const [cmd, ...args] = plan.argv as [string, ...string[]];
    this.child = spawn(cmd, args, {
      cwd: plan.cwd,
      env: plan.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const lines = (stream: 'stdout' | 'stderr') =>
      new Promise<void>((resolve) => {
        const src = this.child[stream];
        if (!src) return resolve();
        const rl = createInterface({ input: src, crlfDelay: Number.POSITIVE_INFINITY });
        rl.on('line', (line) => {
          if (stream === 'stderr') {
            tail.push(line);
            if (tail.length > TAIL) tail.shift();
          }
          onLine(stream, line);
        });
        rl.on('close', resolve);
      });
    const streams = Promise.all([lines('stdout'), lines('stderr')]);
    this.exited = new Promise<ReplicaExit>((resolve) => {
      this.child.on('error', (err) =>
        resolve({ code: null, signal: null, stderrTail: tail, spawnError: err.message }),
      );
      this.child.on('exit', (code, signal) => {
        clearTimeout(this.killTimer);
        // Like a container, a replica ends with its main process: stray children would hold the pipes open.
        if (this.child.pid !== undefined) killGroup(this.child.pid, 'SIGKILL');
        // Wait for the pipes to drain so that the last lines are logged before the job ends.
        void streams.then(() => resolve({ code, signal, stderrTail: tail }));
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM to the whole process group, then SIGKILL after `graceMs`. */
  kill(graceMs = 3000): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined)
      return;
    killGroup(this.child.pid, 'SIGTERM');
    this.killTimer = setTimeout(() => killGroup(this.child.pid!, 'SIGKILL'), graceMs);
    this.killTimer.unref();
  }
}

/** Signals a process group; a group that is already gone is not an error. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}
