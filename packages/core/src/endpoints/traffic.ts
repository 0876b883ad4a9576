/**
 * The Python SDK's traffic-split arithmetic for endpoints (`Endpoint._allocate_traffic`,
 * `_unallocate_traffic` and the checks of `deploy` / `undeploy`), as pure functions.
 */
import { ValidationError } from '../errors.ts';

/** Deployed model id → percentage of the endpoint's requests; `"0"` is the model being deployed. */
export type TrafficSplit = Record<string, number>;

/** The key of the model being deployed in a DeployModel request's split. */
export const DEPLOYING_MODEL_KEY = '0';

/**
 * The split after deploying a model that takes `percentage`: every model already there gets
 * `int(old / 100 * (100 - percentage))`, the points lost to rounding go +1 to the models in key order until
 * the total is 100, then `"0"` gets `percentage`. At 100 the other models leave the split.
 *
 * @example allocateTraffic({ model1: 100 }, 70) // { model1: 30, '0': 70 }
 */
export function allocateTraffic(split: TrafficSplit, percentage: number): TrafficSplit {
  const out: TrafficSplit = {};
  const rest = 100 - percentage;
  if (rest) {
    let unallocated = rest;
    for (const [id, current] of Object.entries(split)) {
      const scaled = Math.trunc((current / 100) * rest);
      out[id] = scaled;
      unallocated -= scaled;
    }
    handOut(out, unallocated);
  }
  out[DEPLOYING_MODEL_KEY] = percentage;
  return out;
}

/**
 * The split after `deployedModelId` leaves: the others are rescaled to 100 as `int(old / (100 - its) * 100)`,
 * rounding losses handed out +1 in key order, and the id is removed. A model that had 100% leaves `{}`.
 */
export function unallocateTraffic(split: TrafficSplit, deployedModelId: string): TrafficSplit {
  const out: TrafficSplit = { ...split };
  if (!(deployedModelId in split)) return out;
  delete out[deployedModelId];
  const left = 100 - (split[deployedModelId] ?? 0);
  if (left) {
    let unallocated = 100;
    for (const [id, current] of Object.entries(out)) {
      const scaled = Math.trunc((current / left) * 100);
      out[id] = scaled;
      unallocated -= scaled;
    }
    handOut(out, unallocated);
  }
  return out;
}

/** One pass in key order adding 1 to each entry until no point is left (exactly the SDK's loop). */
function handOut(split: TrafficSplit, points: number): void {
  let left = points;
  for (const id of Object.keys(split)) {
    if (left === 0) break;
    split[id] = (split[id] ?? 0) + 1;
    left -= 1;
  }
}

/** `trafficPercentage` must be a whole number from 0 to 100 (Python: "Traffic percentage cannot be …"). */
export function validateTrafficPercentage(percentage: number, field = 'trafficPercentage'): number {
  if (typeof percentage !== 'number' || !Number.isInteger(percentage))
    throw new ValidationError(
      field,
      `must be a whole number, got ${JSON.stringify(percentage)}`,
      'Pass e.g. 30.',
    );
  if (percentage > 100)
    throw new ValidationError(
      field,
      `traffic percentage cannot be greater than 100 (got ${percentage})`,
      'Give the share of requests for the new model, from 0 to 100.',
    );
  if (percentage < 0)
    throw new ValidationError(
      field,
      `traffic percentage cannot be negative (got ${percentage})`,
      'Give the share of requests for the new model, from 0 to 100.',
    );
  return percentage;
}

/**
 * A split's percentages are whole numbers from 0 to 100 that add up to 100 (Python: "Sum of all traffic within
 * traffic split needs to be 100."). `allowEmpty`: `{}` (no model gets traffic) passes, as in `deploy`.
 */
export function validateTrafficSplit(
  split: TrafficSplit,
  { field = 'trafficSplit', allowEmpty = false }: { field?: string; allowEmpty?: boolean } = {},
): TrafficSplit {
  if (split === null || typeof split !== 'object' || Array.isArray(split))
    throw new ValidationError(
      field,
      'must map deployed model ids to percentages',
      "Pass e.g. { '0': 30, '123': 70 }.",
    );
  const entries = Object.entries(split);
  if (entries.length === 0 && allowEmpty) return split;
  for (const [id, pct] of entries) {
    if (typeof pct !== 'number' || !Number.isInteger(pct) || pct < 0 || pct > 100)
      throw new ValidationError(
        `${field}.${id}`,
        `must be a whole number from 0 to 100, got ${JSON.stringify(pct)}`,
        'Percentages are whole numbers.',
      );
  }
  const sum = entries.reduce((s, [, pct]) => s + pct, 0);
  if (sum !== 100)
    throw new ValidationError(
      field,
      `sum of all traffic within traffic split needs to be 100, got ${sum} (${JSON.stringify(split)})`,
      'Adjust the percentages so they add up to 100.',
    );
  return split;
}

/** What decides the split sent with DeployModel. */
export interface DeployTrafficInput {
  /** The endpoint's current split. */
  current: TrafficSplit;
  trafficPercentage?: number;
  trafficSplit?: TrafficSplit;
  /** The endpoint's VPC network: private (PSA) endpoints take no split. */
  network?: string | null;
}

/**
 * The `trafficSplit` of a DeployModel request, as `Endpoint._deploy_call` computes it: a given split as is;
 * none for a private endpoint; else on an empty endpoint 0% becomes 100% (1–99% is an error) and the
 * current split is rescaled by {@link allocateTraffic}.
 */
export function deployTrafficSplit(input: DeployTrafficInput): TrafficSplit | undefined {
  if (input.trafficSplit !== undefined) {
    if (input.network)
      throw new ValidationError(
        'trafficSplit',
        'private endpoints (with a network) do not take a traffic split',
        'Leave trafficSplit unset: a private endpoint serves one deployed model.',
      );
    return validateTrafficSplit(input.trafficSplit, { allowEmpty: true });
  }
  let percentage = validateTrafficPercentage(input.trafficPercentage ?? 0);
  if (input.network) return undefined;
  if (Object.keys(input.current).length === 0) {
    if (percentage === 0) percentage = 100;
    else if (percentage < 100)
      throw new ValidationError(
        'trafficPercentage',
        `there are currently no deployed models so the traffic percentage for this deployed model needs to be 100 (got ${percentage})`,
        'Leave trafficPercentage unset (or 100) for the first model of an endpoint.',
      );
  }
  return allocateTraffic(input.current, percentage);
}

/**
 * The `trafficSplit` of an UndeployModel request, as `Endpoint.undeploy` computes it. A given split must give
 * the model 0% and add up to 100; without one, the current split is rescaled ({@link unallocateTraffic}),
 * which is refused when the model has all the traffic and others are deployed. The id is always removed.
 */
export function undeployTrafficSplit(
  current: TrafficSplit,
  deployedModelId: string,
  given?: TrafficSplit,
): TrafficSplit {
  if (given !== undefined) {
    if (given[deployedModelId])
      throw new ValidationError(
        `trafficSplit.${deployedModelId}`,
        `model being undeployed should have 0 traffic, got ${given[deployedModelId]}`,
        'Give its share to the models that stay.',
      );
    validateTrafficSplit(given);
  } else if (Object.keys(current).length > 1 && current[deployedModelId] === 100) {
    throw new ValidationError(
      'trafficSplit',
      `undeploying deployed model '${deployedModelId}' would leave the remaining traffic split at 0%; traffic split must add up to 100% when models are deployed`,
      'Undeploy the other models first, or pass a trafficSplit giving the remaining models 100%.',
    );
  }
  const split = given && Object.keys(given).length ? given : current;
  return unallocateTraffic(split, deployedModelId);
}
