import type { protos } from '@google-cloud/aiplatform';
import type { ProgressListener } from '../jobs/job-state.ts';

type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;

/** A model deployed to an endpoint, as plain data. */
export interface DeployedModel {
  /** The deployed model's id: the key of the endpoint's traffic split. */
  id: string;
  /** `projects/…/models/{id}` (without the version). */
  model: string;
  modelVersionId: string;
  displayName: string;
  minReplicaCount: number;
  maxReplicaCount: number;
  /** Set with dedicated resources. */
  machineType?: string;
}

/** A `DeployedModel` resource as {@link DeployedModel}. */
export function toDeployedModel(d: IDeployedModel): DeployedModel {
  const resources = d.dedicatedResources ?? d.automaticResources ?? {};
  const out: DeployedModel = {
    id: d.id ?? '',
    model: d.model ?? '',
    modelVersionId: d.modelVersionId ?? '',
    displayName: d.displayName ?? '',
    minReplicaCount: Number(resources.minReplicaCount ?? 0),
    maxReplicaCount: Number(resources.maxReplicaCount ?? 0),
  };
  const machineType = d.dedicatedResources?.machineSpec?.machineType;
  if (machineType) out.machineType = machineType;
  return out;
}

/** A started long-running operation of a Google client. */
export interface StartedOperation<T> {
  name?: string | null;
  promise(): Promise<[T, ...unknown[]]>;
}

/**
 * Waits for a long-running operation, telling `onProgress` that it started and, every `everyMs`, that it still
 * runs. Resolves with the operation's response.
 */
export async function awaitOperation<T>(
  op: StartedOperation<T>,
  what: { resourceName: string; action: string },
  onProgress?: ProgressListener,
  everyMs = 15_000,
): Promise<T> {
  const { resourceName, action } = what;
  const started = Date.now();
  onProgress?.({ type: 'notice', resourceName, message: `${action}: operation ${op.name ?? ''}` });
  const timer = onProgress
    ? setInterval(() => {
        const s = Math.round((Date.now() - started) / 1000);
        onProgress({ type: 'notice', resourceName, message: `${action}: still running after ${s} s` });
      }, everyMs)
    : undefined;
  timer?.unref();
  try {
    const [response] = await op.promise();
    return response;
  } finally {
    clearInterval(timer);
  }
}
