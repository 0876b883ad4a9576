/** The cost check `run()` and `deploy()` make before anything is uploaded or sent. */
import { ValidationError } from '../errors.ts';
import type { ProgressEvent } from '../jobs/job-state.ts';
import { assertWithinMaxCost, type CostEstimate, validateMaxCost } from './estimate.ts';
import { validateExpectedDuration } from './request-cost.ts';

/**
 * Computes the estimate, emits it as a `cost` event and throws {@link CostLimitError} when it is above
 * `maxCost`. A machine or accelerator missing from the price table only stops the run when `maxCost` is set
 * (the limit cannot be checked); otherwise it is reported as a `notice` and the run goes on.
 */
export function checkCost(
  compute: () => CostEstimate,
  o: { maxCost?: number; expectedDuration?: number },
  emit: (event: ProgressEvent) => void,
  resourceName = '',
): CostEstimate | undefined {
  if (o.maxCost !== undefined) validateMaxCost(o.maxCost);
  validateExpectedDuration(o.expectedDuration);
  let estimate: CostEstimate;
  try {
    estimate = compute();
  } catch (err) {
    const unpriced = err instanceof ValidationError && /machineType|acceleratorType/.test(err.field);
    if (o.maxCost !== undefined || !unpriced) throw err;
    emit({ type: 'notice', resourceName, message: `No cost estimate: ${(err as Error).message}` });
    return undefined;
  }
  emit({ type: 'cost', estimate });
  assertWithinMaxCost(estimate, o.maxCost);
  return estimate;
}
