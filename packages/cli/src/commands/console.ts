import { emulatorFromEnv, resolveConfig } from '@terra-vertex/core';
import type { Command } from 'commander';
import { ExitCode, type GlobalOptions, print } from '../output.ts';
import { runningEmulator } from './emulator.ts';

/** Where to look at jobs, studies, experiments, models, endpoints and TensorBoard scalars in a browser. */
export interface ConsoleLocation {
  url: string;
  backend: 'emulator' | 'cloud';
}

/**
 * The local console of the emulator this shell points at (VERTEX_AI_EMULATOR_HOST / STORAGE_EMULATOR_HOST),
 * else of the one `tvx emulator start` runs, else the Google Cloud console for the configured project.
 */
export async function consoleLocation(g: GlobalOptions): Promise<ConsoleLocation> {
  const http = emulatorFromEnv()?.http ?? (await runningEmulator())?.http;
  if (http) return { url: `${http}/console`, backend: 'emulator' };
  const config = await resolveConfig({ project: g.project, location: g.location });
  const query = new URLSearchParams({ project: config.project });
  return {
    url: `https://console.cloud.google.com/vertex-ai/training/custom-jobs?${query}`,
    backend: 'cloud',
  };
}

/** `tvx console`: prints the console's URL. */
export function registerConsole(program: Command, globals: () => GlobalOptions): void {
  program
    .command('console')
    .description('print the URL of the console: the local one of the running emulator, or the Cloud console')
    .action(async () => {
      const g = globals();
      const where = await consoleLocation(g);
      if (where.backend === 'emulator') {
        const res = await fetch(where.url, { signal: AbortSignal.timeout(5000) }).catch((err: Error) => err);
        if (res instanceof Error || !res.ok) {
          const why = res instanceof Error ? res.message : `HTTP ${res.status}`;
          process.stderr.write(
            `error: the emulator's console at ${where.url} does not answer (${why}); start it with \`tvx emulator start\`.\n`,
          );
          process.exit(ExitCode.UNAVAILABLE);
        }
      }
      print(g, where, () => where.url);
    });
}
