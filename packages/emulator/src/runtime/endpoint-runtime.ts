import { join } from 'node:path';
import type { LogStore } from '../logging/log-store.ts';
import type { Json } from '../vertex/protos.ts';
import { type ServingContext, servingPlan } from './serving-plan.ts';
import { ServingPool } from './serving-pool.ts';

/** Replica range of a `DeployedModel` (dedicated or automatic resources; at least one replica). */
export function replicaRange(deployed: Json): { min: number; max: number } {
  const resources = (deployed.dedicatedResources ?? deployed.automaticResources ?? {}) as Json;
  const min = Math.max(1, Number(resources.minReplicaCount ?? 1));
  return { min, max: Math.max(min, Number(resources.maxReplicaCount ?? min)) };
}

/** What the endpoint runtime needs: where servers run, where their logs go, when idle replicas stop. */
export type RuntimeOptions = ServingContext & { dataDir: string; logs: LogStore; scaleDownSeconds?: number };

/**
 * The running side of endpoints: one {@link ServingPool} per deployed model. Server logs go to the
 * emulator's Cloud Logging store under the deployed model's id (task = replica).
 */
export class EndpointRuntime {
  private readonly pools = new Map<string, ServingPool>();
  private readonly ctx: RuntimeOptions;

  constructor(ctx: RuntimeOptions) {
    this.ctx = ctx;
  }

  /** Starts the servers of a deployed model; rejects with the reason when they cannot start. */
  async deploy(endpoint: string, deployed: Json, model: Json): Promise<void> {
    const endpointId = endpoint.split('/').pop()!;
    const id = deployed.id as string;
    const plan = servingPlan(this.ctx, model, endpointId, id);
    if ('error' in plan) throw new Error(plan.error);
    const project = endpoint.split('/')[1]!;
    const log = (line: string) => {
      const m = /^\[([^\]\s]+)( stderr)?\] (.*)$/.exec(line);
      this.ctx.logs.append(project, id, m?.[1] ?? 'service', m?.[2] ? 'ERROR' : 'INFO', m?.[3] ?? line);
    };
    const pool = new ServingPool(
      plan,
      replicaRange(deployed),
      join(this.ctx.dataDir, 'serving', id),
      log,
      this.ctx.scaleDownSeconds,
    );
    this.pools.set(key(endpoint, id), pool);
    try {
      await pool.start();
    } catch (err) {
      this.pools.delete(key(endpoint, id));
      throw err;
    }
  }

  /** The pool of a deployed model, if its servers run. */
  pool(endpoint: string, deployedModelId: string): ServingPool | undefined {
    return this.pools.get(key(endpoint, deployedModelId));
  }

  async undeploy(endpoint: string, deployedModelId: string): Promise<void> {
    const pool = this.pools.get(key(endpoint, deployedModelId));
    this.pools.delete(key(endpoint, deployedModelId));
    await pool?.stop();
  }

  async stopAll(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.stop()));
  }
}

function key(endpoint: string, deployedModelId: string): string {
  return `${endpoint}|${deployedModelId}`;
}
