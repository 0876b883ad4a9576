import { ValidationError } from '../errors.ts';
import { validatePositiveInt } from '../validation.ts';

/** Accelerator names of `google.cloud.aiplatform.v1.AcceleratorType` (accelerator_type.proto). */
export const ACCELERATOR_TYPES = [
  'NVIDIA_TESLA_K80',
  'NVIDIA_TESLA_P100',
  'NVIDIA_TESLA_V100',
  'NVIDIA_TESLA_P4',
  'NVIDIA_TESLA_T4',
  'NVIDIA_TESLA_A100',
  'NVIDIA_A100_80GB',
  'NVIDIA_L4',
  'NVIDIA_H100_80GB',
  'NVIDIA_H100_MEGA_80GB',
  'NVIDIA_H200_141GB',
  'NVIDIA_B200',
  'NVIDIA_GB200',
  'NVIDIA_RTX_PRO_6000',
  'TPU_V2',
  'TPU_V3',
  'TPU_V4_POD',
  'TPU_V5_LITEPOD',
] as const;
/** A Vertex AI accelerator type name (`MachineSpec.acceleratorType`). */
export type AcceleratorType = (typeof ACCELERATOR_TYPES)[number] | 'ACCELERATOR_TYPE_UNSPECIFIED';

export const DEFAULT_MACHINE_TYPE = 'n1-standard-4';
export const DEFAULT_BOOT_DISK_TYPE = 'pd-ssd';
export const DEFAULT_BOOT_DISK_SIZE_GB = 100;

/** Environment variables as a map or as Vertex's `[{ name, value }]` list. */
export type EnvSpec = Record<string, string> | { name: string; value: string }[];

/** Run a Python package (an sdist in Cloud Storage) in a prebuilt Vertex training image. */
export interface PythonPackageSpec {
  /** Prebuilt training image, e.g. `us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest`. */
  executorImageUri: string;
  /** `gs://` URIs of the package (and any extra packages). */
  packageUris: string[];
  /** Module to run as `python -m <module>`, e.g. `trainer.task`. */
  pythonModule: string;
  args?: string[];
  env?: EnvSpec;
}

/** Run a container image. */
export interface ContainerSpec {
  imageUri: string;
  command?: string[];
  args?: string[];
  env?: EnvSpec;
}

/** The machine one replica runs on. */
export interface MachineSpec {
  /** Default `n1-standard-4`. */
  machineType?: string;
  /** Sent only when a type is given and `acceleratorCount > 0` (as the Python SDK does). */
  acceleratorType?: AcceleratorType;
  acceleratorCount?: number;
}

/** One worker pool: pool 0 is the chief, 1 the workers, 2 parameter/reduction servers, 3 evaluators. */
export interface WorkerPoolSpec {
  machineSpec?: MachineSpec;
  /** Default 1. */
  replicaCount?: number;
  /** Default `pd-ssd`, 100 GB. */
  diskSpec?: { bootDiskType?: string; bootDiskSizeGb?: number };
  pythonPackageSpec?: PythonPackageSpec;
  containerSpec?: ContainerSpec;
}

/** The proto3 JSON (camelCase, int64 as string) of one `WorkerPoolSpec` as sent on the wire. */
export type WirePoolSpec = Record<string, unknown>;

/** Validates worker pools and applies the defaults; returns them in wire form. */
export function buildWorkerPoolSpecs(pools: WorkerPoolSpec[], field = 'workerPoolSpecs'): WirePoolSpec[] {
  if (!Array.isArray(pools) || pools.length === 0) {
    throw new ValidationError(
      field,
      'at least one worker pool is required',
      "Pass e.g. [{ containerSpec: { imageUri: '…' } }] or a pythonPackageSpec.",
    );
  }
  if (pools.length > 4) {
    throw new ValidationError(
      field,
      `has ${pools.length} pools`,
      'Vertex AI takes at most 4: chief, workers, servers, evaluators.',
    );
  }
  return pools.map((pool, i) => buildPool(pool, `${field}[${i}]`, i === 0));
}

function buildPool(pool: WorkerPoolSpec, field: string, isChief: boolean): WirePoolSpec {
  const hasPackage = pool.pythonPackageSpec !== undefined;
  const hasContainer = pool.containerSpec !== undefined;
  if (!hasPackage && !hasContainer) {
    if (!isChief && Object.keys(pool).length === 0) return {}; // an empty pool keeps the positions of later ones
    throw new ValidationError(
      field,
      'has neither pythonPackageSpec nor containerSpec',
      'Give exactly one of them.',
    );
  }
  if (hasPackage && hasContainer) {
    throw new ValidationError(
      field,
      'has both pythonPackageSpec and containerSpec',
      'Give exactly one of them.',
    );
  }
  const replicaCount = validatePositiveInt(pool.replicaCount ?? 1, `${field}.replicaCount`);
  if (isChief && replicaCount !== 1) {
    throw new ValidationError(
      `${field}.replicaCount`,
      `the chief pool (pool 0) must have exactly 1 replica, got ${replicaCount}`,
      'Put the other replicas in a second worker pool (workerPoolSpecs[1]).',
    );
  }
  const wire: WirePoolSpec = {
    machineSpec: buildMachineSpec(pool.machineSpec ?? {}, `${field}.machineSpec`),
    replicaCount: String(replicaCount),
    diskSpec: {
      bootDiskType: pool.diskSpec?.bootDiskType ?? DEFAULT_BOOT_DISK_TYPE,
      bootDiskSizeGb: validatePositiveInt(
        pool.diskSpec?.bootDiskSizeGb ?? DEFAULT_BOOT_DISK_SIZE_GB,
        `${field}.diskSpec.bootDiskSizeGb`,
      ),
    },
  };
  if (pool.pythonPackageSpec)
    wire.pythonPackageSpec = buildPackageSpec(pool.pythonPackageSpec, `${field}.pythonPackageSpec`);
  if (pool.containerSpec)
    wire.containerSpec = buildContainerSpec(pool.containerSpec, `${field}.containerSpec`);
  return wire;
}

function buildMachineSpec(spec: MachineSpec, field: string): Record<string, unknown> {
  const out: Record<string, unknown> = { machineType: spec.machineType ?? DEFAULT_MACHINE_TYPE };
  const type = spec.acceleratorType;
  if (type !== undefined && type !== 'ACCELERATOR_TYPE_UNSPECIFIED' && !ACCELERATOR_TYPES.includes(type)) {
    throw new ValidationError(
      `${field}.acceleratorType`,
      `given accelerator_type \`${type}\` invalid`,
      `Choose one of [${ACCELERATOR_TYPES.join(', ')}].`,
    );
  }
  const count = spec.acceleratorCount ?? 0;
  validatePositiveInt(count, `${field}.acceleratorCount`, { allowZero: true });
  if (type && type !== 'ACCELERATOR_TYPE_UNSPECIFIED' && count > 0) {
    out.acceleratorType = type;
    out.acceleratorCount = count;
  }
  return out;
}

function requireString(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(field, 'is required', `Give it, e.g. ${example}.`);
  }
  return value;
}

function buildPackageSpec(spec: PythonPackageSpec, field: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    executorImageUri: requireString(
      spec.executorImageUri,
      `${field}.executorImageUri`,
      "'us-docker.pkg.dev/vertex-ai/training/sklearn-cpu.1-0:latest'",
    ),
    pythonModule: requireString(spec.pythonModule, `${field}.pythonModule`, "'trainer.task'"),
  };
  if (!Array.isArray(spec.packageUris) || spec.packageUris.length === 0) {
    throw new ValidationError(
      `${field}.packageUris`,
      'is required',
      "Give the package's gs:// URI, e.g. ['gs://bucket/trainer-0.1.tar.gz'].",
    );
  }
  spec.packageUris.forEach((uri, i) => {
    if (typeof uri !== 'string' || !uri.startsWith('gs://')) {
      throw new ValidationError(
        `${field}.packageUris[${i}]`,
        `${JSON.stringify(uri)} is not a gs:// URI`,
        'Upload the package to Cloud Storage first.',
      );
    }
  });
  out.packageUris = spec.packageUris;
  return withArgsAndEnv(out, spec, field);
}

function buildContainerSpec(spec: ContainerSpec, field: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    imageUri: requireString(
      spec.imageUri,
      `${field}.imageUri`,
      "'us-docker.pkg.dev/my-project/repo/trainer:latest'",
    ),
  };
  if (spec.command?.length) out.command = stringList(spec.command, `${field}.command`);
  return withArgsAndEnv(out, spec, field);
}

function withArgsAndEnv(
  out: Record<string, unknown>,
  spec: { args?: string[]; env?: EnvSpec },
  field: string,
) {
  if (spec.args?.length) out.args = stringList(spec.args, `${field}.args`);
  const env = envList(spec.env, `${field}.env`);
  if (env.length) out.env = env;
  return out;
}

function stringList(list: unknown[], field: string): string[] {
  return list.map((v, i) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new ValidationError(
      `${field}[${i}]`,
      `must be a string, got ${typeof v}`,
      'Pass command-line arguments as strings.',
    );
  });
}

/** Normalises an env map or list into Vertex's `[{ name, value }]`. */
export function envList(env: EnvSpec | undefined, field: string): { name: string; value: string }[] {
  if (!env) return [];
  const list = Array.isArray(env) ? env : Object.entries(env).map(([name, value]) => ({ name, value }));
  return list.map((e, i) => {
    if (!e || typeof e.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name)) {
      throw new ValidationError(
        `${field}[${i}].name`,
        `${JSON.stringify(e?.name)} is not an environment variable name`,
        'Use letters, digits and "_", not starting with a digit.',
      );
    }
    return { name: e.name, value: String(e.value) };
  });
}
