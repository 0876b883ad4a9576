import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerAutoml } from './commands/automl.ts';
import { registerBq } from './commands/bq.ts';
import { registerBqml } from './commands/bqml.ts';
import { registerCleanup } from './commands/cleanup.ts';
import { registerCompare } from './commands/compare.ts';
import { registerConsole } from './commands/console.ts';
import { registerEmulator } from './commands/emulator.ts';
import { registerEndpoints } from './commands/endpoints.ts';
import { registerExperiments } from './commands/experiments.ts';
import { registerExplain } from './commands/explain.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerHptune } from './commands/hptune.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerModels } from './commands/models.ts';
import { registerNotebooks } from './commands/notebooks.ts';
import { registerTensorboard } from './commands/tensorboard.ts';
import { registerTrain } from './commands/train.ts';
import { ExitCode, failWith, type GlobalOptions } from './output.ts';

/**
 * The version of this package, read from its package.json at run time (`../package.json` from both `src/` and
 * `dist/`), so `tvx --version` always matches what was installed.
 */
export function cliVersion(): string {
  const manifest = createRequire(import.meta.url)('../package.json') as { version?: unknown };
  if (typeof manifest.version !== 'string')
    throw new Error('@terra-vertex/cli: package.json has no "version"');
  return manifest.version;
}

/** Builds the `tvx` program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('tvx')
    .description('terra-vertex: Vertex AI from Terra notebooks, with a local emulator')
    .version(cliVersion(), '-V, --version', 'print the version of tvx')
    .option('--json', 'print machine-readable JSON')
    .option('--project <id>', 'Google Cloud project (default: GOOGLE_CLOUD_PROJECT / ADC)')
    .option('--location <region>', 'Vertex AI region (default: us-central1)')
    .showHelpAfterError()
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  registerEmulator(program, globals);
  registerJobs(program, globals);
  registerTrain(program, globals);
  registerHptune(program, globals);
  registerModels(program, globals);
  registerEndpoints(program, globals);
  registerExplain(program, globals);
  registerAutoml(program, globals);
  registerBq(program, globals);
  registerBqml(program, globals);
  registerGenerate(program, globals);
  registerNotebooks(program, globals);
  registerConsole(program, globals);
  registerTensorboard(program, globals);
  registerExperiments(program, globals);
  registerCompare(program, globals);
  registerCleanup(program, globals);
  return program;
}

/** Runs `tvx` with these arguments (`process.argv` style). */
export async function main(argv = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
    }
    failWith(err, program.opts<GlobalOptions>().json);
  }
}

/**
 * Whether this module is the process's entry point: `node dist/main.js …` is how `tvx emulator start` runs the
 * emulator in the background. Importing it (bin/tvx.js, tests, a notebook's `require`) runs nothing.
 */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false; // argv[1] is not a file (e.g. a host program's own argument), so this module is not the entry
  }
}

if (isEntryPoint()) void main();
