import type { protos } from '@google-cloud/aiplatform';
import type { ResolvedConfig } from '../config.ts';
import { vizierServiceClient } from '../connection.ts';
import { toApiError, ValidationError } from '../errors.ts';
import { type Trial, type TrialMeasurement, toTrial } from './trials.ts';

type ITrial = protos.google.cloud.aiplatform.v1.ITrial;
type IMeasurement = protos.google.cloud.aiplatform.v1.IMeasurement;

/** Where a measurement sits: the training step and/or the seconds since the trial started. */
export interface MeasurementPosition {
  stepCount?: number;
  elapsedSeconds?: number;
}

/** A measurement for the Vizier API, checked: every value a finite number. */
export function toMeasurement(
  metrics: Record<string, number>,
  at: MeasurementPosition = {},
  field = 'metrics',
): IMeasurement {
  const entries = Object.entries(metrics ?? {});
  if (entries.length === 0)
    throw new ValidationError(field, 'is empty', 'Give at least one metric value, e.g. { accuracy: 0.93 }.');
  for (const [id, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new ValidationError(
        `${field}.${id}`,
        `${String(value)} is not a finite number`,
        'Report a number.',
      );
  }
  const m: IMeasurement = { metrics: entries.map(([metricId, value]) => ({ metricId, value })) };
  if (at.stepCount !== undefined) {
    if (!Number.isInteger(at.stepCount) || at.stepCount < 0)
      throw new ValidationError(
        'stepCount',
        `${at.stepCount} is not a non-negative integer`,
        'Pass the training step.',
      );
    m.stepCount = at.stepCount;
  }
  if (at.elapsedSeconds !== undefined) {
    if (!(at.elapsedSeconds >= 0))
      throw new ValidationError(
        'elapsedSeconds',
        `${at.elapsedSeconds} is not a non-negative number`,
        'Pass seconds since the trial started.',
      );
    const seconds = Math.floor(at.elapsedSeconds);
    m.elapsedDuration = { seconds, nanos: Math.round((at.elapsedSeconds - seconds) * 1e9) };
  }
  return m;
}

/**
 * One trial of a Vizier {@link Study}: its suggested `parameters` and what the caller reports back —
 * measurements as it trains, then `complete()` (or `completeInfeasible()`); `shouldStop()` asks the
 * study's early-stopping rule. Fields are as of the last call that returned the trial.
 */
export class StudyTrial implements Trial {
  id = '';
  state = 'STATE_UNSPECIFIED';
  parameters: Record<string, number | string> = {};
  measurements: TrialMeasurement[] = [];
  finalMeasurement?: TrialMeasurement;
  clientId?: string;
  infeasibleReason?: string;
  startTime?: string;
  endTime?: string;
  /** `projects/…/locations/…/studies/…/trials/…` */
  readonly name: string;
  private readonly config: ResolvedConfig;

  /** @internal Built by {@link Study}; use `study.suggest()` or `study.trials()`. */
  constructor(resource: ITrial, config: ResolvedConfig) {
    this.name = resource.name ?? '';
    this.config = config;
    this.assign(resource);
  }

  /** Reports an intermediate measurement (e.g. validation accuracy after an epoch). */
  async addMeasurement(metrics: Record<string, number>, at: MeasurementPosition = {}): Promise<this> {
    const measurement = toMeasurement(metrics, at);
    return this.call('Adding a measurement to', (c) =>
      c.addTrialMeasurement({ trialName: this.name, measurement }),
    );
  }

  /**
   * Completes the trial with its final metrics, or, without them, with the measurement the study's
   * selection picks from those added (a trial with none becomes INFEASIBLE).
   */
  async complete(metrics?: Record<string, number>, at: MeasurementPosition = {}): Promise<this> {
    const finalMeasurement = metrics ? toMeasurement(metrics, at) : undefined;
    return this.call('Completing', (c) => c.completeTrial({ name: this.name, finalMeasurement }));
  }

  /** Completes the trial as infeasible (the parameters could not be evaluated), saying why. */
  async completeInfeasible(reason: string): Promise<this> {
    return this.call('Completing', (c) =>
      c.completeTrial({ name: this.name, trialInfeasible: true, infeasibleReason: reason }),
    );
  }

  /** Whether the study's early-stopping rule says this trial should stop now. */
  async shouldStop(): Promise<boolean> {
    const client = await vizierServiceClient(this.config);
    try {
      const [op] = await client.checkTrialEarlyStoppingState({ trialName: this.name });
      const [response] = await op.promise();
      return Boolean(response.shouldStop);
    } catch (err) {
      throw toApiError(err, `Checking early stopping of trial ${this.name}`);
    }
  }

  /** Marks the trial STOPPING (complete it after it has stopped). */
  async stop(): Promise<this> {
    return this.call('Stopping', (c) => c.stopTrial({ name: this.name }));
  }

  /** Reads the trial again from the server. */
  async refresh(): Promise<this> {
    return this.call('Getting', (c) => c.getTrial({ name: this.name }));
  }

  /** Deletes the trial. */
  async delete(): Promise<void> {
    const client = await vizierServiceClient(this.config);
    try {
      await client.deleteTrial({ name: this.name });
    } catch (err) {
      throw toApiError(err, `Deleting trial ${this.name}`);
    }
  }

  /** A plain copy of the trial's fields. */
  toJSON(): Trial & { name: string } {
    const { config: _config, ...fields } = this;
    return { ...fields };
  }

  private async call(
    action: string,
    send: (c: Awaited<ReturnType<typeof vizierServiceClient>>) => Promise<[ITrial, ...unknown[]]>,
  ): Promise<this> {
    const client = await vizierServiceClient(this.config);
    try {
      const [resource] = await send(client);
      this.assign(resource);
    } catch (err) {
      throw toApiError(err, `${action} trial ${this.name}`);
    }
    return this;
  }

  private assign(resource: ITrial): void {
    const plain = toTrial(resource);
    this.finalMeasurement = undefined;
    Object.assign(this, plain);
  }
}
