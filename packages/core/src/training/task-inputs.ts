import { ValidationError } from '../errors.ts';
import type { SchedulingOptions } from '../jobs/scheduling.ts';
import {
  ACCELERATOR_TYPES,
  type AcceleratorType,
  DEFAULT_BOOT_DISK_SIZE_GB,
  DEFAULT_BOOT_DISK_TYPE,
  DEFAULT_MACHINE_TYPE,
} from '../jobs/worker-pool.ts';
import { validatePositiveInt } from '../validation.ts';

/**
 * The task every pool runs (snake_case, as the Python SDK writes it into the struct).
 * @inline
 */
export type PoolTask = Record<string, unknown>;

/** Machine, replica and scheduling options of a training pipeline's `run()`. */
export interface TrainingRunResources extends SchedulingOptions {
  /** Replicas in total: 1 chief plus `replicaCount - 1` workers (default 1). */
  replicaCount?: number;
  machineType?: string;
  acceleratorType?: AcceleratorType;
  acceleratorCount?: number;
  bootDiskType?: string;
  bootDiskSizeGb?: number;
  reductionServerReplicaCount?: number;
  reductionServerMachineType?: string;
  reductionServerContainerUri?: string;
  /** Chief pool only. */
  tpuTopology?: string;
}

/** Vertex's `custom_task_1.0.0.yaml` training task definition. */
export const CUSTOM_TASK_DEFINITION =
  'gs://google-cloud-aiplatform/schema/trainingjob/definition/custom_task_1.0.0.yaml';

/**
 * The worker pools as the Python SDK's `_DistributedTrainingSpec` lays them out: [chief, workers,
 * reduction servers], an empty `{}` keeping a position, trailing empty pools removed.
 */
export function workerPoolStructs(task: PoolTask, r: TrainingRunResources): Record<string, unknown>[] {
  const replicas = validatePositiveInt(r.replicaCount ?? 1, 'replicaCount');
  const type = r.acceleratorType ?? 'ACCELERATOR_TYPE_UNSPECIFIED';
  if (type !== 'ACCELERATOR_TYPE_UNSPECIFIED' && !(ACCELERATOR_TYPES as readonly string[]).includes(type)) {
    throw new ValidationError(
      'acceleratorType',
      `given accelerator_type \`${type}\` invalid`,
      `Choose one of [${ACCELERATOR_TYPES.join(', ')}].`,
    );
  }
  const count = validatePositiveInt(r.acceleratorCount ?? 0, 'acceleratorCount', { allowZero: true });
  const machine: Record<string, unknown> = { machine_type: r.machineType ?? DEFAULT_MACHINE_TYPE };
  if (type !== 'ACCELERATOR_TYPE_UNSPECIFIED' && count > 0) {
    machine.accelerator_type = type;
    machine.accelerator_count = count;
  }
  const disk = {
    boot_disk_type: r.bootDiskType ?? DEFAULT_BOOT_DISK_TYPE,
    boot_disk_size_gb: validatePositiveInt(r.bootDiskSizeGb ?? DEFAULT_BOOT_DISK_SIZE_GB, 'bootDiskSizeGb'),
  };
  const pool = (n: number, m = machine) => ({
    replica_count: n,
    machine_spec: { ...m },
    disk_spec: { ...disk },
    ...task,
  });
  const chief = pool(1, r.tpuTopology ? { ...machine, tpu_topology: r.tpuTopology } : machine);
  const pools: Record<string, unknown>[] = [chief, replicas > 1 ? pool(replicas - 1) : {}];
  const servers = validatePositiveInt(r.reductionServerReplicaCount ?? 0, 'reductionServerReplicaCount', {
    allowZero: true,
  });
  if (servers > 0) {
    if (!r.reductionServerContainerUri) {
      throw new ValidationError(
        'reductionServerContainerUri',
        'is required with reductionServerReplicaCount',
        'Use us-docker.pkg.dev/vertex-ai-restricted/training/reductionserver:latest.',
      );
    }
    pools.push({
      replica_count: servers,
      machine_spec: { machine_type: r.reductionServerMachineType ?? null },
      disk_spec: { boot_disk_type: DEFAULT_BOOT_DISK_TYPE, boot_disk_size_gb: DEFAULT_BOOT_DISK_SIZE_GB },
      container_spec: { image_uri: r.reductionServerContainerUri },
    });
  }
  while (pools.length > 1 && Object.keys(pools.at(-1)!).length === 0) pools.pop();
  return pools;
}

/** The pipeline's `scheduling` struct: all five keys with nulls, only when something was asked. */
export function schedulingStruct(o: SchedulingOptions): Record<string, unknown> | undefined {
  if (
    !(
      o.timeout ||
      o.restartJobOnWorkerRestart ||
      o.disableRetries ||
      o.schedulingStrategy ||
      o.maxWaitDuration
    )
  )
    return undefined;
  const strategies = { ON_DEMAND: 1, LOW_COST: 2, STANDARD: 3, SPOT: 4, FLEX_START: 6 } as const;
  return {
    timeout: o.timeout ? `${o.timeout}s` : null,
    restart_job_on_worker_restart: o.restartJobOnWorkerRestart ?? false,
    disable_retries: o.disableRetries ?? false,
    strategy: o.schedulingStrategy ? strategies[o.schedulingStrategy] : null,
    max_wait_duration: o.maxWaitDuration ? `${o.maxWaitDuration}s` : null,
  };
}

/** `env` as the Python SDK writes it for training: `[{ name, value }]`, values as given. */
export function envStruct(
  env: Record<string, string> | undefined,
): { name: string; value: string }[] | undefined {
  const entries = Object.entries(env ?? {});
  return entries.length ? entries.map(([name, value]) => ({ name, value })) : undefined;
}
