/** The estimators: worker pools (training), deployments, AutoML image training, BigQuery, TensorBoard storage. */

import { DEFAULT_DEPLOY_MACHINE_TYPE } from '../endpoints/deploy-request.ts';
import { ValidationError } from '../errors.ts';
import { DEFAULT_MACHINE_TYPE } from '../jobs/worker-pool.ts';
import { type CostEstimate, type CostLine, costLine, formatQuantity, rateNotes } from './estimate.ts';
import { PRICE_TABLE } from './price-table.ts';
import {
  itemRate,
  predictionAcceleratorRate,
  predictionMachineRate,
  trainingAcceleratorRate,
  trainingMachineRate,
} from './rates.ts';

const EXTRA_TRAINING = 'Boot disks, Cloud Storage, network egress and logging are billed separately.';
const EXTRA_SERVING = 'Prediction requests are not billed separately; logging and network egress are extra.';

/** Hours per month in Google's price calculations. */
export const HOURS_PER_MONTH = 730;
const TIB = 2 ** 40;
const GIB = 2 ** 30;
const MIB = 2 ** 20;

/** A JSON object (a request or one of its parts). @inline */
type Json = Record<string, unknown>;

/** A field in camelCase (wire JSON) or snake_case (training pipeline structs). */
function pick(o: Json | undefined, camel: string): unknown {
  if (!o) return undefined;
  if (o[camel] !== undefined && o[camel] !== null) return o[camel];
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return o[snake] ?? undefined;
}

/**
 * Prices worker pools (`WorkerPoolSpec` JSON as sent: camelCase as in CustomJob/tuning requests, or the
 * snake_case of training pipeline task inputs) running `hours` each. One line per pool for the machines and
 * one for its accelerators; empty pools (`{}`) are skipped.
 */
export function estimateWorkerPoolsCost(
  pools: readonly Json[],
  hours: number,
  what: string,
  basis: string,
): CostEstimate {
  validateHours(hours, 'hours');
  const lines: CostLine[] = [];
  pools.forEach((pool, i) => {
    if (!pool || Object.keys(pool).length === 0) return;
    const field = `workerPoolSpecs[${i}]`;
    const spec = pick(pool, 'machineSpec') as Json | undefined;
    const machine = String(pick(spec, 'machineType') ?? DEFAULT_MACHINE_TYPE);
    const replicas = Number(pick(pool, 'replicaCount') ?? 1);
    const rate = trainingMachineRate(machine, `${field}.machineSpec.machineType`);
    lines.push(costLine(`${field}: ${replicas} × ${machine}`, rate, replicas, hours, 'hours', 'replica'));
    const type = pick(spec, 'acceleratorType') as string | undefined;
    const count = Number(pick(spec, 'acceleratorCount') ?? 0);
    if (type && type !== 'ACCELERATOR_TYPE_UNSPECIFIED' && count > 0) {
      const acc = trainingAcceleratorRate(type, `${field}.machineSpec.acceleratorType`);
      lines.push(
        costLine(
          `${field}: ${replicas} × ${count} × ${type}`,
          acc,
          replicas * count,
          hours,
          'hours',
          'accelerator',
        ),
      );
    }
  });
  return finish(what, lines, basis, [EXTRA_TRAINING]);
}

/** Options of {@link estimateDeploymentCost}. */
export interface DeploymentCostOptions {
  /** Default `n1-standard-2` (the deploy default). Ignored for AutoML models. */
  machineType?: string;
  acceleratorType?: string;
  acceleratorCount?: number;
  /** Default 1. */
  minReplicaCount?: number;
  /** Default `minReplicaCount`. */
  maxReplicaCount?: number;
  /** An AutoML image model: priced per deployed node hour, whatever the machine. */
  automl?: boolean;
  /** How long it stays deployed (default 24). */
  hours?: number;
  what?: string;
}

/**
 * Prices a deployed model. The lines are for the floor (`minReplicaCount` replicas running all the time) and
 * `hourlyUsd` is the floor per hour; `totalUsd` is the ceiling: `maxReplicaCount` replicas for `hours` (what
 * `maxCost` is checked against), equal to the sum of the lines when the two counts are the same.
 */
export function estimateDeploymentCost(o: DeploymentCostOptions): CostEstimate {
  const hours = o.hours ?? 24;
  validateHours(hours, 'expectedDuration');
  const min = o.minReplicaCount ?? 1;
  const max = Math.max(min, o.maxReplicaCount ?? min);
  const lines: CostLine[] = [];
  const perReplica: CostLine[] = [];
  if (o.automl) {
    perReplica.push(costLine('AutoML image model', itemRate('automlImageDeployment'), 1, 1, 'hours', 'node'));
    lines.push(
      costLine(`${min} × AutoML node`, itemRate('automlImageDeployment'), min, hours, 'hours', 'node'),
    );
  } else {
    const machine = o.machineType || DEFAULT_DEPLOY_MACHINE_TYPE;
    const rate = predictionMachineRate(machine);
    perReplica.push(costLine(machine, rate, 1, 1, 'hours'));
    lines.push(costLine(`${min} × ${machine}`, rate, min, hours, 'hours', 'replica'));
    const count = o.acceleratorCount ?? 0;
    if (o.acceleratorType && o.acceleratorType !== 'ACCELERATOR_TYPE_UNSPECIFIED' && count > 0) {
      const acc = predictionAcceleratorRate(o.acceleratorType);
      perReplica.push(costLine(o.acceleratorType, acc, count, 1, 'hours'));
      lines.push(
        costLine(`${min} × ${count} × ${o.acceleratorType}`, acc, min * count, hours, 'hours', 'accelerator'),
      );
    }
  }
  const replicaHourly = perReplica.reduce((s, l) => s + l.usd, 0);
  const notes = [EXTRA_SERVING];
  if (max > min)
    notes.unshift(
      `The lines are the floor (${min} replica${min === 1 ? '' : 's'}); autoscaling up to ${max} costs up to ` +
        `${max} × $${round(replicaHourly)} per hour × ${formatQuantity(hours)} hours: the total is that ceiling.`,
    );
  if (min === 0) notes.unshift('minReplicaCount 0: nothing is billed while no replica runs (scale to zero).');
  const e = finish(
    o.what ?? 'deployment',
    lines,
    `expected to stay deployed ${formatQuantity(hours)} hours`,
    notes,
  );
  return { ...e, totalUsd: max * replicaHourly * hours, hourlyUsd: min * replicaHourly };
}

/**
 * Prices AutoML image training: the budget (1,000 milli node hours = one node hour) is the most Vertex bills,
 * early stopping may bill less.
 */
export function estimateAutoMlImageTrainingCost(
  budgetMilliNodeHours: number,
  what = 'AutoML image training',
): CostEstimate {
  if (!Number.isFinite(budgetMilliNodeHours) || budgetMilliNodeHours <= 0)
    throw new ValidationError(
      'budgetMilliNodeHours',
      `must be a positive number, got ${JSON.stringify(budgetMilliNodeHours)}`,
      'Pass e.g. 8000 (8 node hours).',
    );
  const nodeHours = budgetMilliNodeHours / 1000;
  const line = costLine('training budget', itemRate('automlImageTraining'), 1, nodeHours, 'node hours');
  return finish(what, [line], `budget ${formatQuantity(budgetMilliNodeHours)} milli node hours`, [
    'The budget is the ceiling: with early stopping Vertex may stop and bill less (costMilliNodeHours).',
  ]);
}

/** Options of {@link estimateBigQueryCost}. */
export interface BigQueryCostOptions {
  /** A BigQuery ML CREATE MODEL statement (priced per TiB at the ML rate). */
  createModel?: boolean;
  /** Tables the query references: each is billed at least 10 MiB (default 1). */
  tables?: number;
  what?: string;
}

/**
 * Prices a BigQuery job on demand from the bytes it processes (a dry run's `totalBytesProcessed`): rounded
 * up to a whole MiB, at least 10 MiB per table referenced, per TiB at the analysis or the CREATE MODEL rate.
 */
export function estimateBigQueryCost(bytesProcessed: number, o: BigQueryCostOptions = {}): CostEstimate {
  if (!Number.isFinite(bytesProcessed) || bytesProcessed < 0)
    throw new ValidationError(
      'bytesProcessed',
      `must be a non-negative number, got ${JSON.stringify(bytesProcessed)}`,
      "Pass the dry run's totalBytesProcessed.",
    );
  const tables = o.tables ?? 1;
  const billed = Math.max(
    Math.ceil(bytesProcessed / MIB) * MIB,
    tables * PRICE_TABLE.bigQueryMinimumBytesPerTable,
  );
  const rate = itemRate(o.createModel ? 'bigQueryMlCreateModel' : 'bigQueryAnalysis');
  const line = costLine(`${formatQuantity(billed / MIB)} MiB billed`, rate, 1, billed / TIB, 'TiB');
  const notes = [
    `Billed bytes: ${formatQuantity(bytesProcessed)} processed, rounded up to a whole MiB, at least 10 MiB per table (${tables} table${tables === 1 ? '' : 's'}).`,
    'The first 1 TiB of analysis per month is free on demand; this estimate does not subtract it.',
  ];
  if (o.createModel)
    notes.push(
      "Iterative models (e.g. LOGISTIC_REG) may process the data once per iteration; the dry run's bytes count one pass.",
    );
  return finish(
    o.what ?? (o.createModel ? 'BigQuery ML CREATE MODEL' : 'BigQuery query'),
    [line],
    `dry run: ${formatBytes(bytesProcessed)} processed`,
    notes,
  );
}

/** Prices TensorBoard storage of `bytes` kept `days` (a month is 730 hours, as in Google's calculator). */
export function estimateTensorboardStorageCost(
  bytes: number,
  days: number,
  what = 'TensorBoard storage',
): CostEstimate {
  if (!Number.isFinite(bytes) || bytes < 0)
    throw new ValidationError(
      'bytes',
      `must be a non-negative number, got ${bytes}`,
      'Pass the size in bytes.',
    );
  validateHours(days, 'days');
  const gib = bytes / GIB;
  const months = (days * 24) / HOURS_PER_MONTH;
  const rate = itemRate('tensorboardStorage');
  const line = costLine(
    `${formatBytes(bytes)} for ${formatQuantity(days)} days`,
    rate,
    1,
    gib * months,
    'GiB-months',
  );
  const e = finish(what, [line], `${formatBytes(bytes)} stored for ${formatQuantity(days)} days`, [
    `A month is ${HOURS_PER_MONTH} hours.`,
  ]);
  return { ...e, hourlyUsd: (rate.usd * gib) / HOURS_PER_MONTH };
}

function finish(what: string, lines: CostLine[], basis: string, notes: string[]): CostEstimate {
  const totalUsd = lines.reduce((s, l) => s + l.usd, 0);
  const hourly = lines.every((l) => l.quantityUnit === 'hours')
    ? lines.reduce((s, l) => s + l.rate.usd * l.multiplier, 0)
    : undefined;
  return {
    what,
    lines,
    totalUsd,
    basis,
    ...(hourly !== undefined && lines.length ? { hourlyUsd: hourly } : {}),
    notes: rateNotes(lines, notes),
  };
}

function validateHours(n: number, field: string): void {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
    throw new ValidationError(
      field,
      `must be a non-negative number, got ${JSON.stringify(n)}`,
      'Pass e.g. 1.',
    );
}

function round(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** `1.2 MB`-style size (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${formatQuantity(Number(v.toPrecision(3)))} ${units[u]}`;
}
