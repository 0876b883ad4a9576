/**
 * The named imports from `@terra-vertex/*` packages in a TypeScript example. Type-only names (`import type`,
 * `type X`) are left out: they do not exist at run time, and the typecheck of the examples covers them.
 */

/** One `import { … } from '@terra-vertex/x'` statement. */
export interface PackageImport {
  from: string;
  /** The imported value names (before any `as`). */
  values: string[];
  /** Line of the statement within the example, from 0. */
  line: number;
}

const IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](@terra-vertex\/[^'"]+)['"]/gm;

/** Every named import from a `@terra-vertex/*` package in `code`. */
export function packageImports(code: string): PackageImport[] {
  return [...code.matchAll(IMPORT)].map((m) => ({
    from: m[3]!,
    values: m[1]
      ? []
      : m[2]!
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '' && !s.startsWith('type '))
          .map((s) => s.split(/\s+as\s+/)[0]!.trim()),
    line: code.slice(0, m.index).split('\n').length - 1,
  }));
}
