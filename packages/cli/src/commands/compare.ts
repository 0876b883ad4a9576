import type { Command } from 'commander';
import type { GlobalOptions } from '../output.ts';

/** Placeholder (issue 10): `tvx compare`. */
export function registerCompare(_program: Command, _globals: () => GlobalOptions): void {}
