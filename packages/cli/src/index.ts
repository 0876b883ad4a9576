export { buildProgram, main } from './main.ts';
export { ExitCode } from './output.ts';
