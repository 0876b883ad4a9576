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

/** Builds the `tvx` program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('tvx')
    .description('terra-vertex: Vertex AI from Terra notebooks, with a local emulator')
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

if (import.meta.url === `file://${process.argv[1]}`) await main();
