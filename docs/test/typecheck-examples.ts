/**
 * Typechecks the guides' TypeScript examples against the packages' sources, as a user's strict ESM project
 * would see them: each ```ts block is its own module (`.mts`), compiled by the workspace's `tsc` with the root
 * `tsconfig.base.json` and the `@terra-vertex/source` condition, so no build is needed. Errors come back
 * pointing at the guide's line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { CodeBlock } from './markdown.ts';

/** A TypeScript example and the guide it comes from. */
export interface Example {
  guide: string;
  block: CodeBlock;
}

/** The outcome: one message per compiler error, as `docs/guides/x.md:12:5 TS2345 …`. */
export interface TypecheckResult {
  errors: string[];
  /** The temporary folder, kept when there were errors (so the generated files can be read). */
  workDir?: string;
}

/** The TypeScript languages a fenced block may be tagged with. */
export const TS_LANGS = new Set(['ts', 'typescript']);

/** Compiles every example with the workspace's `tsc`; throws when the compiler itself cannot run. */
export function typecheckExamples(root: string, examples: Example[]): TypecheckResult {
  const dir = mkdtempSync(join(tmpdir(), 'tvx-guides-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const files = new Map<string, Example>();
  examples.forEach((example, i) => {
    const name = `example-${i}.mts`;
    files.set(name, example);
    writeFileSync(join(dir, name), `${example.block.code}\nexport {};\n`);
  });
  const tsconfig = {
    extends: join(root, 'tsconfig.base.json'),
    compilerOptions: {
      noEmit: true,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      typeRoots: [join(root, 'node_modules/@types')],
    },
    files: [...files.keys()],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'],
    { cwd: dir, encoding: 'utf8', timeout: 300_000 },
  );
  if (run.error) throw new Error(`tsc could not run: ${run.error.message} (files kept in ${dir})`);
  const output = `${run.stdout}${run.stderr}`.trim();
  if (run.status === 0) {
    rmSync(dir, { recursive: true, force: true });
    return { errors: [] };
  }
  const errors = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => locate(root, files, line));
  if (errors.length === 0) errors.push(`tsc exited with ${run.status} and printed nothing`);
  return { errors, workDir: dir };
}

/** Rewrites `example-3.mts(4,7): error …` as `docs/guides/x.md:15:7 error …`; other lines stay as they are. */
function locate(root: string, files: Map<string, Example>, line: string): string {
  const m = /^(.*?\.mts)\((\d+),(\d+)\): (.*)$/.exec(line);
  const example = m ? files.get(m[1]!) : undefined;
  if (!m || !example) return line;
  const guideLine = example.block.line + Number(m[2]) - 1;
  return `${relative(root, example.guide)}:${guideLine}:${m[3]} ${m[4]}`;
}
