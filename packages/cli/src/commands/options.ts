import {
  assertWithinMaxCost,
  type CostEstimate,
  CostLimitError,
  costEstimateText,
  ValidationError,
} from '@terra-vertex/core';
import type { Command } from 'commander';
import type { GlobalOptions } from '../output.ts';

/** Commander helper for repeatable options. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `['A=1', 'B=x=y']` → `{ A: '1', B: 'x=y' }`, naming the flag when an entry is malformed. */
export function keyValues(list: string[] | undefined, flag: string): Record<string, string> {
  return Object.fromEntries(
    (list ?? []).map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0)
        throw new ValidationError(
          flag,
          `${JSON.stringify(kv)} is not KEY=VALUE`,
          `Write it as ${flag} NAME=value.`,
        );
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

/** The values of {@link runResourceOptions}. */
export interface RunResourceFlags {
  env?: string[];
  label?: string[];
  replicaCount: number;
  machineType?: string;
  acceleratorType?: string;
  acceleratorCount?: number;
  baseOutputDir?: string;
  timeout?: number;
  serviceAccount?: string;
  tensorboard?: string;
  wait: boolean;
  logs: boolean;
  maxCost?: number;
  expectedDuration?: number;
}

/**
 * Options every training command shares: where and how long the replicas run, their environment and
 * labels, and whether to wait.
 */
export function runResourceOptions(cmd: Command, what: string): Command {
  const int = (v: string) => Number.parseInt(v, 10);
  return cmd
    .option('--env <KEY=VALUE>', 'environment variable for the trainer (repeatable)', collect)
    .option('--label <key=value>', `${what} label (repeatable)`, collect)
    .option('--replica-count <n>', 'replicas in total: 1 chief plus n-1 workers', int, 1)
    .option('--machine-type <type>', 'machine type (default n1-standard-4)')
    .option('--accelerator-type <type>', 'e.g. NVIDIA_TESLA_T4')
    .option('--accelerator-count <n>', 'accelerators per replica', int)
    .option('--base-output-dir <gs-uri>', 'where AIP_MODEL_DIR and friends point')
    .option('--timeout <seconds>', `stop the ${what} after this long`, int)
    .option('--service-account <email>', `service account the ${what} runs as`)
    .option(
      '--tensorboard <name|id>',
      'stream AIP_TENSORBOARD_LOG_DIR to this TensorBoard (needs --service-account, as Vertex does)',
    )
    .option('--no-wait', `return once the ${what} is created`)
    .option('--no-logs', 'do not print log lines while waiting')
    .option(
      '--max-cost <usd>',
      `refuse to submit when the ${what} is estimated to cost more (USD)`,
      (v: string) => usd(v),
    )
    .option(
      '--expected-duration <duration>',
      `how long the ${what} is expected to run (e.g. 90s, 30m, 2h), for the estimate; default: the timeout`,
      (v: string) => duration(v),
    );
}

/** The cost flags of deploy commands: `--max-cost`, `--expected-duration` (how long it stays deployed). */
export function deployCostOptions(cmd: Command): Command {
  return cmd
    .option('--max-cost <usd>', 'refuse to deploy when the estimate is above this (USD)', (v: string) =>
      usd(v),
    )
    .option(
      '--expected-duration <duration>',
      'how long the model is expected to stay deployed (e.g. 8h, 3d), for the estimate; default 24h',
      (v: string) => duration(v),
    );
}

/** `--max-cost 2.50` → 2.5, naming the flag when it is not a positive amount. */
export function usd(text: string): number {
  const n = Number(text.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new ValidationError(
      '--max-cost',
      `${JSON.stringify(text)} is not a positive amount of USD`,
      'Write e.g. --max-cost 2.50.',
    );
  return n;
}

const UNITS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86400 };

/**
 * `90s`, `30m`, `2h`, `1h30m`, `3d` or plain seconds → seconds, naming `flag` when it is none of those.
 * Zero is refused unless `allowZero` (a threshold such as `--idle-after 0s`).
 */
export function duration(
  text: string,
  flag = '--expected-duration',
  options: { allowZero?: boolean } = {},
): number {
  const t = text.trim();
  const positive = (n: number) => n > 0 || (options.allowZero === true && n === 0);
  if (/^\d+(\.\d+)?$/.test(t) && positive(Number(t))) return Number(t);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(min|[smhd])/g)];
  const seconds = parts.reduce((s, [, n, u]) => s + Number(n) * UNITS[u!]!, 0);
  if (!parts.length || parts.map((p) => p[0]).join('') !== t || !positive(seconds))
    throw new ValidationError(
      flag,
      `${JSON.stringify(text)} is not a duration`,
      'Write e.g. 90s, 30m, 2h, 1h30m or 3d.',
    );
  return seconds;
}

/** Writes an estimate to stderr: its explanation, or one JSON line `{"cost": …}` with `--json`. */
export function printEstimate(estimate: CostEstimate, g: GlobalOptions): void {
  process.stderr.write(
    g.json ? `${JSON.stringify({ cost: estimate })}\n` : `${costEstimateText(estimate)}\n`,
  );
}

/**
 * The estimate of a dry run: printed to stderr, and refused (exit 2) when above `--max-cost`, as the real
 * run would be.
 */
export function dryRunEstimate(estimate: CostEstimate, f: { maxCost?: number }, g: GlobalOptions): void {
  printEstimate(estimate, g);
  assertWithinMaxCost(estimate, f.maxCost, '--max-cost');
}

/** A refusal from core names the option `maxCost`; on the command line it is `--max-cost`. */
export function asFlagError(err: unknown): unknown {
  return err instanceof CostLimitError && err.field === 'maxCost'
    ? new CostLimitError(err.estimate, err.maxCost, '--max-cost')
    : err;
}
