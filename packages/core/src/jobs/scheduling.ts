import { ValidationError } from '../errors.ts';

/** Scheduling options shared by custom jobs and tuning jobs. */
export interface SchedulingOptions {
  /** Maximum run time in seconds (Vertex's default is 7 days). */
  timeout?: number;
  restartJobOnWorkerRestart?: boolean;
  disableRetries?: boolean;
  /** `ON_DEMAND`, `LOW_COST`, `STANDARD`, `SPOT` or `FLEX_START`. */
  schedulingStrategy?: 'ON_DEMAND' | 'LOW_COST' | 'STANDARD' | 'SPOT' | 'FLEX_START';
  /** Seconds to wait for resources; 0 is sent as "0s", as the Python SDK does for CustomJob. */
  maxWaitDuration?: number;
}

/** `CustomJobSpec.scheduling`, or undefined when nothing was asked (Python SDK `jobs.py` rules). */
export function buildScheduling(o: SchedulingOptions): Record<string, unknown> | undefined {
  if (
    !(
      o.timeout ||
      o.restartJobOnWorkerRestart ||
      o.disableRetries ||
      o.schedulingStrategy ||
      o.maxWaitDuration !== undefined
    )
  ) {
    return undefined;
  }
  const s: Record<string, unknown> = {};
  if (o.timeout) s.timeout = duration(o.timeout, 'timeout');
  if (o.restartJobOnWorkerRestart) s.restartJobOnWorkerRestart = true;
  if (o.disableRetries) s.disableRetries = true;
  if (o.schedulingStrategy) s.strategy = o.schedulingStrategy;
  if (o.maxWaitDuration !== undefined) s.maxWaitDuration = duration(o.maxWaitDuration, 'maxWaitDuration');
  return s;
}

function duration(seconds: number, field: string): { seconds: string } {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new ValidationError(
      field,
      `must be a whole number of seconds, got ${JSON.stringify(seconds)}`,
      'Pass e.g. 3600 for one hour.',
    );
  }
  return { seconds: String(seconds) };
}
