import { ValidationError } from '@terra-vertex/core';
import type { Command } from 'commander';

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
    .option('--no-logs', 'do not print log lines while waiting');
}
