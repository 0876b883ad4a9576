/**
 * @packageDocumentation
 * @terra-vertex/cli: the `tvx` command. Its program is exported for embedding and tests: {@link buildProgram}
 * builds the commander program, {@link main} runs it on an argument list (`process.argv` style), and
 * {@link ExitCode} lists the exit codes scripts can rely on.
 */
export { buildProgram, main } from './main.ts';
export { ExitCode } from './output.ts';
