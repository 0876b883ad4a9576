/**
 * The shapes of a cost estimate and the `maxCost` guard. An estimate is a list of priced lines, each one
 * `rate × multiplier × quantity`, so that it can be explained line by line and checked by hand.
 */
import { ValidationError } from '../errors.ts';
import type { Rate } from './rates.ts';

/** One priced line: `rate` × `multiplier` × `quantity` `quantityUnit`. */
export interface CostLine {
  /** What is priced, e.g. `workerPoolSpecs[0]: 2 × n1-standard-4`. */
  item: string;
  /** The table entry used (per replica/accelerator/node hour, per TiB, per GiB-month). */
  rate: Rate;
  /** Replicas × accelerators per replica etc. (1 when none). */
  multiplier: number;
  /** Hours, TiB, GiB-months … */
  quantity: number;
  /** `hours`, `TiB`, `GiB-months`, `node hours`. */
  quantityUnit: string;
  /** `rate.usd × multiplier × quantity`. */
  usd: number;
  /** E.g. `2 replicas × $0.218499 per hour per replica (n1-standard-4 for training) × 0.5 hours = $0.2185`. */
  explanation: string;
}

/** What something is expected to cost, line by line. */
export interface CostEstimate {
  /** `custom job "x"`, `deployment of model m to endpoint e` … */
  what: string;
  lines: CostLine[];
  totalUsd: number;
  /**
   * What the quantity is based on: `expectedDuration 30 min`, `timeout 2 h`, `Vertex's default timeout
   * (7 days)`, `budget 2,000 milli node hours`, `dry run: 1.2 MB processed` …
   */
  basis: string;
  /** USD per hour while it runs or stays deployed, when the cost is time-based. */
  hourlyUsd?: number;
  /** E.g. `disks, storage and network are extra`, and the assumption texts of the rates used. */
  notes: string[];
}

/** The estimate is above the `maxCost` the caller set: nothing was created or sent. */
export class CostLimitError extends ValidationError {
  override name = 'CostLimitError';
  readonly estimate: CostEstimate;
  readonly maxCost: number;

  constructor(estimate: CostEstimate, maxCost: number, field = 'maxCost') {
    const lines = estimate.lines.map((l) => l.explanation).join('; ');
    super(
      field,
      `the estimate ${formatUsd(estimate.totalUsd)} for ${estimate.what} (${lines}; based on ${estimate.basis}) is above ${formatUsd(maxCost)}`,
      `${fixFor(estimate)}, or raise ${field}`,
    );
    this.estimate = estimate;
    this.maxCost = maxCost;
  }
}

function fixFor(e: CostEstimate): string {
  const units = new Set(e.lines.map((l) => l.quantityUnit));
  if (units.has('TiB')) return 'Process less data (fewer columns or rows, a partition filter)';
  if (units.has('GiB-months')) return 'Keep less data or keep it for a shorter time';
  if (e.what.startsWith('AutoML')) return 'Lower budgetMilliNodeHours';
  if (e.what.startsWith('deployment'))
    return 'Deploy fewer replicas (minReplicaCount/maxReplicaCount), a smaller machine type or no accelerator, or set a shorter expectedDuration';
  return 'Set a shorter expectedDuration or timeout, fewer replicas or trials, a smaller machine type or fewer accelerators';
}

/**
 * Throws {@link CostLimitError} when `estimate.totalUsd` is above `maxCost` (nothing to do when `maxCost` is
 * undefined). `maxCost` must be a positive finite number of USD; `field` names the option in errors.
 */
export function assertWithinMaxCost(
  estimate: CostEstimate,
  maxCost: number | undefined,
  field = 'maxCost',
): void {
  if (maxCost === undefined) return;
  validateMaxCost(maxCost, field);
  if (estimate.totalUsd > maxCost) throw new CostLimitError(estimate, maxCost, field);
}

/** Checks that `maxCost` is a positive finite number of USD. */
export function validateMaxCost(maxCost: number, field = 'maxCost'): number {
  if (typeof maxCost !== 'number' || !Number.isFinite(maxCost) || maxCost <= 0)
    throw new ValidationError(
      field,
      `must be a positive number of US dollars, got ${JSON.stringify(maxCost)}`,
      'Pass e.g. 5 for $5.00.',
    );
  return maxCost;
}

/** USD per day of a time-based estimate (`hourlyUsd × 24`), 0 when it is not time-based. */
export function costPerDay(estimate: CostEstimate): number {
  return (estimate.hourlyUsd ?? 0) * 24;
}

/** `$0.0912` under a dollar (4 decimals, or 2 significant digits when smaller), `$12.34` / `$1,234.50` above. */
export function formatUsd(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a === 0) return '$0.00';
  if (a >= 1)
    return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (a >= 0.0001) return `${sign}$${a.toFixed(4)}`;
  return `${sign}$${a.toPrecision(2)}`;
}

/** A number for explanations: up to 4 decimals, no trailing zeros, thousands separated. */
export function formatQuantity(n: number): string {
  // A small TensorBoard is a few millionths of a GiB-month: keep two significant digits rather than show 0.
  if (n !== 0 && Math.abs(n) < 0.0001) return n.toPrecision(2);
  return n.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

/**
 * One {@link CostLine}, with its explanation. `counted` names what the multiplier counts (`replica`,
 * `accelerator`, `node`); it is left out of the explanation when the multiplier is 1 and `counted` is empty.
 */
export function costLine(
  item: string,
  rate: Rate,
  multiplier: number,
  quantity: number,
  quantityUnit: string,
  counted = '',
): CostLine {
  const usd = rate.usd * multiplier * quantity;
  const count = counted ? `${formatQuantity(multiplier)} ${counted}${multiplier === 1 ? '' : 's'} × ` : '';
  const explanation =
    `${count}$${rate.usd} per ${rate.unit} (${rate.what}) × ` +
    `${formatQuantity(quantity)} ${quantityUnit} = ${formatUsd(usd)}`;
  return { item, rate, multiplier, quantity, quantityUnit, usd, explanation };
}

/** Notes every estimate carries: the assumptions of the rates used (once each) and `extra`. */
export function rateNotes(lines: CostLine[], extra: string[] = []): string[] {
  const notes = [...extra];
  for (const l of lines) {
    const a = l.rate.assumption;
    if (a && !notes.some((n) => n.includes(a))) notes.push(`${l.rate.what}: ${a}`);
  }
  return notes;
}

/**
 * Several estimates as one (a notebook's or a pipeline's whole cost): the lines of each, prefixed with what they
 * price, the total of the totals and, when every part is time-based, the sum of the hourly rates.
 *
 * @example
 * showCostEstimate(combineEstimates('this notebook', [await job.estimateCost(), await model.estimateDeployCost()]));
 */
export function combineEstimates(what: string, estimates: readonly CostEstimate[]): CostEstimate {
  const lines = estimates.flatMap((e) => e.lines.map((l) => ({ ...l, item: `${e.what}: ${l.item}` })));
  const timed = estimates.every((e) => e.hourlyUsd !== undefined);
  const notes: string[] = [];
  for (const n of estimates.flatMap((e) => e.notes)) if (!notes.includes(n)) notes.push(n);
  return {
    what,
    lines,
    totalUsd: estimates.reduce((sum, e) => sum + e.totalUsd, 0),
    basis: estimates.map((e) => `${e.what}: ${e.basis}`).join('; '),
    ...(timed && estimates.length ? { hourlyUsd: estimates.reduce((sum, e) => sum + e.hourlyUsd!, 0) } : {}),
    notes,
  };
}
