/**
 * Runs the built `tvx` as a user would, each test file against its own emulator started with
 * `tvx emulator start` in a temporary folder (state file, data, outputs), never one from the caller's shell.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
const tvxBin = join(root, 'packages/cli/bin/tvx.js');

/** What a tvx run printed. */
export interface TvxRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A temporary folder, the `tvx` runner and the emulator's variables once started. */
export class CliHarness {
  readonly work: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  /** The started emulator's variables (`tvx emulator start --json`), passed to every run. */
  env: Record<string, string> = {};

  constructor(prefix: string) {
    this.work = mkdtempSync(join(tmpdir(), prefix));
    this.baseEnv = { ...process.env, TVX_EMULATOR_STATE: join(this.work, 'emulator.json') };
    for (const name of ['VERTEX_AI_EMULATOR_HOST', 'STORAGE_EMULATOR_HOST', 'BIGQUERY_EMULATOR_HOST'])
      delete this.baseEnv[name];
  }

  /** Runs `tvx args` with the emulator's variables (or `env`). */
  tvx(args: string[], env: Record<string, string> = this.env): TvxRun {
    const r = spawnSync(process.execPath, [tvxBin, ...args], {
      env: { ...this.baseEnv, ...env },
      encoding: 'utf8',
      timeout: 180_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs `tvx --json args` and parses its output; throws with stderr when it fails. */
  json<T = Record<string, unknown>>(args: string[]): T {
    const r = this.tvx(['--json', ...args]);
    if (r.code !== 0) throw new Error(`tvx ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  /** `tvx emulator start` on free ports with data under the work folder; remembers its variables. */
  startEmulator(extra: string[] = []): Record<string, string> {
    const args = [
      'emulator',
      'start',
      '--data-dir',
      join(this.work, 'data'),
      '--grpc-port',
      '0',
      '--http-port',
      '0',
    ];
    this.env = this.json<{ env: Record<string, string> }>([...args, ...extra]).env;
    return this.env;
  }

  /** Stops the emulator and removes the work folder. */
  close(): void {
    this.tvx(['emulator', 'stop']);
    rmSync(this.work, { recursive: true, force: true });
  }
}
