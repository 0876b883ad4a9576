import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalImage, startEmulator } from '@terra-vertex/emulator';
import type { Command } from 'commander';
import ora from 'ora';
import { ExitCode, type GlobalOptions, print } from '../output.ts';

/** Where `tvx emulator start` records the running emulator, so that status/stop/env can find it. */
export function stateFile(): string {
  return process.env.TVX_EMULATOR_STATE ?? join(homedir(), '.tvx', 'emulator.json');
}

/** What `tvx emulator start` records about the running emulator. */
export interface EmulatorState {
  pid: number;
  vertex: string;
  http: string;
  dataDir: string;
  env: Record<string, string>;
}

interface StartOptions {
  grpcPort: number;
  httpPort: number;
  host: string;
  dataDir: string;
  imageMap?: string;
  python?: string;
  foreground?: boolean;
}

/** The emulator `tvx emulator start` runs, if it answers. */
export async function runningEmulator(): Promise<EmulatorState | undefined> {
  const state = readState();
  return state && (await health(state)) ? state : undefined;
}

function readState(): EmulatorState | undefined {
  const file = stateFile();
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EmulatorState) : undefined;
}

async function health(state: EmulatorState): Promise<boolean> {
  try {
    const res = await fetch(`${state.http}/_emulator/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false; // not answering is exactly what this probe reports
  }
}

function loadImageMap(file: string | undefined): Record<string, LocalImage> {
  if (!file) return {};
  const map = JSON.parse(readFileSync(file, 'utf8')) as Record<string, LocalImage>;
  for (const [uri, img] of Object.entries(map)) {
    if (!Array.isArray(img.command) || img.command.length === 0) {
      throw new Error(
        `--image-map ${file}: "${uri}" needs a "command" array, e.g. {"command": ["/usr/bin/python3", "-m", "trainer.task"]}`,
      );
    }
  }
  return map;
}

async function runForeground(o: StartOptions, g: GlobalOptions): Promise<void> {
  const emu = await startEmulator({
    host: o.host,
    grpcPort: o.grpcPort,
    httpPort: o.httpPort,
    dataDir: resolve(o.dataDir),
    python: o.python,
    localImages: loadImageMap(o.imageMap),
  });
  const state: EmulatorState = {
    pid: process.pid,
    vertex: emu.vertexAddress,
    http: emu.httpAddress,
    dataDir: emu.dataDir,
    env: emu.env,
  };
  mkdirSync(dirname(stateFile()), { recursive: true });
  writeFileSync(stateFile(), JSON.stringify(state, null, 2));
  print(g, state, () => `terra-vertex emulator running (pid ${process.pid})\n${envLines(emu.env)}`);
  const shutdown = async () => {
    await emu.stop();
    if (readState()?.pid === process.pid) rmSync(stateFile(), { force: true });
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // The admin API's shutdown stops the servers; leave the process then too.
  const timer = setInterval(async () => {
    if (!(await health(state))) await shutdown();
  }, 1000);
  timer.unref();
  await new Promise(() => {});
}

function envLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${v}`)
    .join('\n');
}

/** `tvx emulator start|status|stop|env`. */
export function registerEmulator(program: Command, globals: () => GlobalOptions): void {
  const emulator = program.command('emulator').description('the local Vertex AI + Cloud Storage emulator');

  emulator
    .command('start')
    .description('start the emulator in the background (or --foreground)')
    .option('--grpc-port <port>', 'Vertex AI gRPC port', (v) => Number.parseInt(v, 10), 9010)
    .option(
      '--http-port <port>',
      'Cloud Storage / Logging / admin HTTP port',
      (v) => Number.parseInt(v, 10),
      9011,
    )
    .option('--host <host>', 'loopback address to bind', '127.0.0.1')
    .option(
      '--data-dir <dir>',
      'where state is kept across restarts',
      join(homedir(), '.tvx', 'emulator-data'),
    )
    .option('--image-map <file>', 'JSON map of container image URI to {"command": [...]} for local runs')
    .option('--python <path>', 'Python for trainers (default TVX_PYTHON or /usr/bin/python3)')
    .option('--foreground', 'run in this process until interrupted')
    .action(async (o: StartOptions) => {
      const g = globals();
      if (o.foreground) return runForeground(o, g);
      const existing = readState();
      if (existing && (await health(existing))) {
        print(g, existing, () => `Already running (pid ${existing.pid})\n${envLines(existing.env)}`);
        return;
      }
      rmSync(stateFile(), { force: true });
      const main = fileURLToPath(new URL('../main.js', import.meta.url).href.replace('/src/', '/dist/'));
      const argv = process.argv.slice(2).filter((a) => a !== '--json');
      const child = spawn(process.execPath, [...process.execArgv, main, ...argv, '--foreground'], {
        detached: true,
        stdio: 'ignore',
        env: process.env,
      });
      child.unref();
      const spinner = g.json
        ? undefined
        : ora({ text: 'Starting the emulator…', stream: process.stderr }).start();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const state = readState();
        if (state && (await health(state))) {
          spinner?.succeed(`Emulator running (pid ${state.pid}); data in ${state.dataDir}`);
          print(
            g,
            state,
            () => `${envLines(state.env)}\n# eval "$(tvx emulator env)" sets these in your shell`,
          );
          return;
        }
        if (Date.now() > deadline || child.exitCode !== null) {
          spinner?.fail('The emulator did not start');
          process.stderr.write(`Run \`tvx emulator start --foreground\` to see why.\n`);
          process.exit(ExitCode.UNAVAILABLE);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    });

  emulator
    .command('status')
    .description('is the emulator running, and where')
    .action(async () => {
      const g = globals();
      const state = readState();
      const up = state ? await health(state) : false;
      print(g, { running: up, ...(state ?? {}) }, () =>
        up ? `running (pid ${state!.pid})\n${envLines(state!.env)}` : 'not running',
      );
      if (!up) process.exitCode = ExitCode.UNAVAILABLE;
    });

  emulator
    .command('env')
    .description('print export lines for the running emulator: eval "$(tvx emulator env)"')
    .action(async () => {
      const g = globals();
      const state = readState();
      if (!state || !(await health(state))) {
        process.stderr.write('The emulator is not running: start it with `tvx emulator start`.\n');
        process.exit(ExitCode.UNAVAILABLE);
      }
      print(g, state.env, () => envLines(state.env));
    });

  emulator
    .command('stop')
    .description('stop the emulator; running jobs end FAILED saying so')
    .action(async () => {
      const g = globals();
      const state = readState();
      if (!state || !(await health(state))) {
        rmSync(stateFile(), { force: true });
        print(g, { stopped: false, running: false }, () => 'not running');
        return;
      }
      await fetch(`${state.http}/_emulator/v1/shutdown`, { method: 'POST' });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && isAlive(state.pid)) await new Promise((r) => setTimeout(r, 100));
      rmSync(stateFile(), { force: true });
      print(g, { stopped: true }, () => `stopped (pid ${state.pid})`);
    });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: the process is gone, which is what we wait for
  }
}
