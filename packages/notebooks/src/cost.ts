/**
 * What a run would cost on Vertex AI: the one price table of terra-vertex (public list prices of custom
 * training, us-central1) and an estimate from machine types, replica counts and minutes. Compute only:
 * boot disks, Cloud Storage, network and logging are extra (small for the notebooks' runs). The local
 * emulator costs nothing.
 */
import { htmlTable } from '@terra-vertex/core';

/** Where and when the prices below were read. Check the page before relying on them. */
export const PRICE_SOURCE = {
  url: 'https://cloud.google.com/vertex-ai/pricing',
  region: 'us-central1',
  asOf: '2026-11',
  currency: 'USD',
} as const;

/** Vertex AI custom training, USD per hour per replica, us-central1 list prices. */
export const MACHINE_PRICES_PER_HOUR: Readonly<Record<string, number>> = {
  'e2-standard-4': 0.1541,
  'e2-standard-8': 0.3082,
  'n1-standard-4': 0.2185,
  'n1-standard-8': 0.437,
  'n1-standard-16': 0.874,
  'n1-highmem-8': 0.5442,
  'n1-highmem-16': 1.0885,
};

/** Vertex AI custom training accelerators, USD per hour per GPU, us-central1 list prices. */
export const ACCELERATOR_PRICES_PER_HOUR: Readonly<Record<string, number>> = {
  NVIDIA_TESLA_T4: 0.4025,
  NVIDIA_TESLA_V100: 2.9762,
};

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

/** `$0.0912` under a dollar, `$12.34` above. */
export function formatUsd(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
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
