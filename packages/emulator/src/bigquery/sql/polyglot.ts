/**
 * The SQL translator (polyglot, a port of sqlglot compiled to WebAssembly), loaded through its CommonJS build.
 * Its ESM build instantiates the WebAssembly with a top-level await, and a module graph with one cannot be
 * loaded with require() — which is how tslab notebooks load the emulator. The CommonJS build instantiates on
 * {@link initTranslator} instead.
 */
import { createRequire } from 'node:module';
import type * as Polyglot from '@polyglot-sql/sdk';

const polyglot = createRequire(import.meta.url)('@polyglot-sql/sdk') as typeof Polyglot;
let ready: Promise<void> | undefined;

/** Loads the translator's WebAssembly (about 150 ms, once per process). */
export function initTranslator(): Promise<void> {
  ready ??= polyglot.init();
  return ready;
}

function loaded(): typeof Polyglot {
  if (!polyglot.isInitialized())
    throw new Error('The SQL translator is not loaded: await initTranslator() first.');
  return polyglot;
}

export const BIGQUERY = 'bigquery' as Polyglot.Dialect;
export const DUCKDB = 'duckdb' as Polyglot.Dialect;

/** `parse` of polyglot. */
export const parse: typeof Polyglot.parse = (sql, dialect) => loaded().parse(sql, dialect);
/** `generate` of polyglot. */
export const generate: typeof Polyglot.generate = (ast, dialect) => loaded().generate(ast, dialect);
/** `transpile` of polyglot. */
export const transpile: typeof Polyglot.transpile = (sql, read, write, options) =>
  loaded().transpile(sql, read, write, options);
