import { createServer } from 'node:net';

/** Vertex's pool names and the TensorFlow role of each pool position. */
const TF_ROLES = ['chief', 'worker', 'ps', 'evaluator'] as const;

/** One replica of a worker pool. */
export interface ReplicaSlot {
  pool: number;
  index: number;
  /** `workerpool0-0`: the task name in logs. */
  task: string;
  address: string;
}

/** Finds a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Assigns a loopback address to every replica of every pool. */
export async function allocateSlots(replicaCounts: number[]): Promise<ReplicaSlot[]> {
  const slots: ReplicaSlot[] = [];
  for (const [pool, count] of replicaCounts.entries()) {
    for (let index = 0; index < count; index++) {
      slots.push({
        pool,
        index,
        task: `workerpool${pool}-${index}`,
        address: `127.0.0.1:${await freePort()}`,
      });
    }
  }
  return slots;
}

/** `CLUSTER_SPEC` as Vertex writes it for one replica. */
export function clusterSpec(slots: ReplicaSlot[], me: ReplicaSlot, jobSpec: unknown, trial?: string): string {
  const cluster: Record<string, string[]> = {};
  for (const s of slots) {
    const key = `workerpool${s.pool}`;
    cluster[key] = [...(cluster[key] ?? []), s.address];
  }
  const task: Record<string, unknown> = { type: `workerpool${me.pool}`, index: me.index };
  if (trial) task.trial = trial;
  return JSON.stringify({ cluster, environment: 'cloud', task, job: JSON.stringify(jobSpec) });
}

/** `TF_CONFIG`: the same cluster with TensorFlow's role names (evaluators are not part of the cluster). */
export function tfConfig(slots: ReplicaSlot[], me: ReplicaSlot, trial?: string): string {
  const cluster: Record<string, string[]> = {};
  for (const s of slots) {
    if (s.pool === 3) continue;
    const role = TF_ROLES[s.pool]!;
    cluster[role] = [...(cluster[role] ?? []), s.address];
  }
  const task: Record<string, unknown> = { type: TF_ROLES[me.pool], index: me.index };
  if (trial) task.trial = trial;
  return JSON.stringify({ cluster, task, environment: 'cloud' });
}

/** PyTorch's rendezvous variables: the chief is the master, ranks follow pool order (pools 0 and 1). */
export function torchEnv(slots: ReplicaSlot[], me: ReplicaSlot): Record<string, string> | undefined {
  const members = slots.filter((s) => s.pool <= 1);
  const rank = members.indexOf(me);
  if (rank < 0) return undefined;
  const [host, port] = members[0]!.address.split(':') as [string, string];
  return { MASTER_ADDR: host, MASTER_PORT: port, WORLD_SIZE: String(members.length), RANK: String(rank) };
}
