import type { Command } from 'commander';
import type { GlobalOptions } from '../output.ts';

/** Placeholder (issue 10): `tvx cleanup`. */
export function registerCleanup(_program: Command, _globals: () => GlobalOptions): void {}
