/**
 * What a notebook's runs would cost on Vertex AI, priced from core's one price table (`PRICE_TABLE`: public
 * list prices of custom training, us-central1): an estimate from machine types, replica counts and minutes.
 * Compute only: boot disks, Cloud Storage, network and logging are extra (small for the notebooks' runs). The
 * local emulator costs nothing. New code can use core's estimators (`CustomJob.estimateCost()`,
 * `costEstimateHtml()` …) directly; these helpers stay for the notebook templates.
 */
import { formatUsd, htmlTable, PRICE_TABLE } from '@terra-vertex/core';

export { formatUsd };

/** Where and when the prices below were read (core's table). Check the page before relying on them. */
export const PRICE_SOURCE = {
  url: PRICE_TABLE.trainingMachines.source,
  region: PRICE_TABLE.region,
  asOf: PRICE_TABLE.trainingMachines.checked,
  currency: PRICE_TABLE.currency,
} as const;

/** Vertex AI custom training, USD per hour per replica (core's `PRICE_TABLE.trainingMachines`). */
export const MACHINE_PRICES_PER_HOUR: Readonly<Record<string, number>> = PRICE_TABLE.trainingMachines.prices;

/** Vertex AI custom training accelerators, USD per hour per GPU (core's `PRICE_TABLE.trainingAccelerators`). */
export const ACCELERATOR_PRICES_PER_HOUR: Readonly<Record<string, number>> =
  PRICE_TABLE.trainingAccelerators.prices;

/** One run to price. */
export interface CostItem {
  /** What runs, e.g. `script job`. */
  label: string;
  machineType: string;
  /** Replicas (default 1). */
  replicaCount?: number;
  acceleratorType?: string;
  acceleratorCount?: number;
  /** Billed minutes per replica, provisioning included (small jobs: about 5 to 10). */
  minutes: number;
  /** Price per replica-hour to use instead of the table (a machine type it does not list). */
  hourlyUsd?: number;
}

/** A priced {@link CostItem}. */
export interface CostLine
  extends Required<Pick<CostItem, 'label' | 'machineType' | 'replicaCount' | 'minutes'>> {
  accelerators: string;
  /** USD per hour for all replicas. */
  hourlyUsd: number;
  usd: number;
}

/** Result of {@link estimateTrainingCost}. */
export interface CostEstimate {
  lines: CostLine[];
  totalUsd: number;
  source: typeof PRICE_SOURCE;
}

function price(table: Readonly<Record<string, number>>, key: string, option: string): number {
  const value = table[key];
  if (value !== undefined) return value;
  throw new Error(
    `${option}: no list price for ${JSON.stringify(key)}. Use one of ${Object.keys(table).join(', ')}, ` +
      'or pass hourlyUsd for the item (see https://cloud.google.com/vertex-ai/pricing).',
  );
}

/**
 * Prices runs from the list prices: replicas × (machine + accelerators) × minutes / 60.
 *
 * @throws Error naming the item and option when a machine or accelerator type has no price and no
 * `hourlyUsd` is given, or minutes are not a positive number.
 */
export function estimateTrainingCost(items: readonly CostItem[]): CostEstimate {
  const lines = items.map((item, i) => {
    const where = `items[${i}]`;
    if (!(item.minutes > 0)) {
      throw new Error(`${where}.minutes: ${item.minutes} is not a positive number of minutes. Pass e.g. 10`);
    }
    const replicaCount = item.replicaCount ?? 1;
    const count = item.acceleratorType ? (item.acceleratorCount ?? 1) : 0;
    const perReplica =
      item.hourlyUsd ??
      price(MACHINE_PRICES_PER_HOUR, item.machineType, `${where}.machineType`) +
        (count
          ? count * price(ACCELERATOR_PRICES_PER_HOUR, item.acceleratorType!, `${where}.acceleratorType`)
          : 0);
    const hourlyUsd = perReplica * replicaCount;
    return {
      label: item.label,
      machineType: item.machineType,
      replicaCount,
      accelerators: count ? `${count} × ${item.acceleratorType}` : '',
      minutes: item.minutes,
      hourlyUsd,
      usd: (hourlyUsd * item.minutes) / 60,
    };
  });
  return { lines, totalUsd: lines.reduce((sum, l) => sum + l.usd, 0), source: PRICE_SOURCE };
}

/** The estimate as an HTML table with a clearly labelled caption and a total row. */
export function costTableHtml(estimate: CostEstimate): string {
  const rows: Record<string, unknown>[] = estimate.lines.map((l) => ({
    run: l.label,
    machine: l.machineType,
    replicas: l.replicaCount,
    accelerators: l.accelerators,
    minutes: l.minutes,
    'USD / hour': formatUsd(l.hourlyUsd),
    estimate: formatUsd(l.usd),
  }));
  rows.push({ run: 'total', estimate: formatUsd(estimate.totalUsd) });
  const s = estimate.source;
  return htmlTable(rows, {
    caption:
      `Estimated Vertex AI cost of this notebook in the cloud — list prices, ${s.region}, ${s.currency}, as of ${s.asOf} ` +
      `(${s.url}); compute only (disks, storage and network extra); the local emulator is free`,
  });
}
