import type { Where } from '../endpoints/create-request.ts';
import type { Endpoint } from '../endpoints/endpoint.ts';
import type { ProgressListener } from '../jobs/job-state.ts';
import type { Tensorboard } from '../tensorboard/tensorboard.ts';

/** Options of `findBillableResources`. */
export interface FindBillableOptions extends Where {
  /**
   * Seconds without predictions after which an endpoint counts as idle (default 3600). The clock starts at
   * the last prediction, or at the deployment when there was none.
   */
  idleAfter?: number;
  /**
   * Only resources whose display name starts with this (a notebook's run prefix), so that cleaning up after
   * one notebook leaves everyone else's resources alone. Default: everything in the project and location.
   */
  displayNamePrefix?: string;
}

/** A model deployed to an endpoint, with what it costs per day. */
export interface BillableDeployedModel {
  id: string;
  displayName: string;
  /** `projects/…/models/{id}`. */
  model: string;
  machineType: string;
  acceleratorType?: string;
  acceleratorCount?: number;
  minReplicaCount: number;
  maxReplicaCount: number;
  /** Deployed with automatic resources (AutoML image models): priced per node hour. */
  automl: boolean;
  /** The floor: `minReplicaCount` replicas for 24 hours (autoscaling above it costs more). */
  costPerDayUsd: number;
  /** Which rate times which count, e.g. `1 replica × $0.0949 per hour (n1-standard-2, prediction) × 24 hours = $2.28`. */
  explanation: string;
  /** When it was deployed. */
  deployTime?: Date;
}

/** An endpoint and what keeps costing money on it. */
export interface BillableEndpoint {
  endpoint: Endpoint;
  /** Empty for an endpoint with nothing deployed: it is free. */
  deployedModels: BillableDeployedModel[];
  costPerDayUsd: number;
  /** The latest prediction Cloud Monitoring knows of (within the look-back window). */
  lastPredictionTime?: Date;
  /** Models are deployed and none served a prediction for `idleAfter` seconds. */
  idle: boolean;
}

/** A TensorBoard instance and its storage cost. */
export interface BillableTensorboard {
  tensorboard: Tensorboard;
  bytes: number;
  costPerDayUsd: number;
  explanation: string;
}

/** The kinds of running work {@link BillableRunningJob} covers. */
export type RunningJobKind = 'custom job' | 'training pipeline' | 'tuning job' | 'batch prediction';

/** A job that is queued or running, with what a day of it costs. */
export interface BillableRunningJob {
  kind: RunningJobKind;
  resourceName: string;
  displayName: string;
  state: string;
  costPerDayUsd: number;
  explanation: string;
}

/** What `findBillableResources` found. */
export interface BillableResources {
  project: string;
  location: string;
  /** Seconds without predictions that made an endpoint idle. */
  idleAfter: number;
  /** When the search ran. */
  checkedAt: Date;
  endpoints: BillableEndpoint[];
  tensorboards: BillableTensorboard[];
  runningJobs: BillableRunningJob[];
  totalPerDayUsd: number;
  /** E.g. that the emulator itself is free, or what could not be listed. */
  notes: string[];
}

/** Options of `cleanUp`: what to act on (nothing by default). */
export interface CleanUpOptions {
  /** Undeploy every deployed model (the endpoints stay, free). */
  undeploy?: boolean;
  /** Delete the endpoints (models deployed to them are undeployed first). */
  deleteEndpoints?: boolean;
  /** Delete the TensorBoard instances with all their data. */
  deleteTensorboards?: boolean;
  /** Cancel the running jobs. */
  cancelJobs?: boolean;
  onProgress?: ProgressListener;
}

/** One thing `cleanUp` did (or failed to do). */
export interface CleanUpAction {
  action: 'undeployed' | 'deleted endpoint' | 'deleted tensorboard' | 'cancelled';
  resourceName: string;
  /** E.g. the deployed model id, or the job kind. */
  detail: string;
  /** Set when it failed; the other actions still ran. */
  error?: string;
}

/** What `cleanUp` did. */
export interface CleanUpResult {
  actions: CleanUpAction[];
  /** USD per day no longer billed (from the estimates of what was removed). */
  savedPerDayUsd: number;
  failed: number;
}
