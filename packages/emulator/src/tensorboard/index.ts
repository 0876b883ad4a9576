import type { LogStore } from '../logging/log-store.ts';
import type { CustomJobRunner } from '../runtime/custom-job-runner.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import type { RpcHandler, ServiceHandlers } from '../vertex/dispatch.ts';
import type { OperationStore } from '../vertex/operations.ts';
import type { Json } from '../vertex/protos.ts';
import { dataHandlers } from './data-handlers.ts';
import { JobLogWatcher } from './log-watcher.ts';
import { resourceHandlers } from './resource-handlers.ts';
import { TensorboardResources } from './resources.ts';

/** What the TensorBoard service needs from the rest of the emulator. */
export interface TensorboardContext {
  dataDir: string;
  /** `<dataDir>/gcs`: `gs://b/o` lives at `<gcsRoot>/b/o`. */
  gcsRoot: string;
  ops: OperationStore;
  /** Custom jobs (tuning trials and training pipelines run as custom jobs too). */
  jobs: ResourceStore;
  /** Hyperparameter tuning jobs: their trials' event files go to one experiment per tuning job. */
  tuningJobs?: ResourceStore;
  runner: CustomJobRunner;
  logs: LogStore;
}

/** The local TensorboardService: its handlers, and what reset and stop must do. */
export interface LocalTensorboards {
  handlers: ServiceHandlers;
  /** Forgets every tensorboard and its data (admin reset). */
  clear(): void;
  /** Names of every stored resource (the console finds projects and locations in them). */
  resourceNames(): string[];
  /** Stops watching log folders. */
  stop(): Promise<void>;
}

/**
 * Starts the local TensorboardService: tensorboards, experiments, runs and time series with their data
 * (stored under the data directory), and the live upload of the event files that jobs linked to a
 * tensorboard write to `AIP_TENSORBOARD_LOG_DIR`.
 */
export function startLocalTensorboards(ctx: TensorboardContext): LocalTensorboards {
  const res = new TensorboardResources(ctx.dataDir);
  const watcher = new JobLogWatcher(ctx, res);
  ctx.runner.onStateChange((name, job) => watcher.onStateChange(name, job));
  // A job's state turns SUCCEEDED before its log folder is read a last time: every call waits for those
  // last reads, so that what a job wrote is there as soon as the job is seen to have ended.
  const handlers = Object.fromEntries(
    Object.entries({ ...resourceHandlers(res, ctx.ops), ...dataHandlers(res) }).map(([method, handle]) => [
      method,
      async (req: Json) => {
        await watcher.settled();
        return (handle as RpcHandler)(req);
      },
    ]),
  );
  return {
    handlers,
    resourceNames: () => res.names(),
    clear: () => {
      watcher.clear();
      res.clear();
    },
    stop: () => watcher.stop(),
  };
}
