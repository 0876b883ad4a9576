/**
 * Prints the whole suite's total from each project's Vitest JSON report (`test-results/vitest.json` in every
 * package and in docs), as one
 * `tests: N passed, N failed` line, and exits non-zero if any test failed or none ran.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const root = fileURLToPath(new URL('../', import.meta.url));
const projects = [...readdirSync(join(root, 'packages')).map((name) => join('packages', name)), 'docs'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const project of projects) {
  const name = project.replace(/^packages\//, '');
  const file = join(root, project, 'test-results/vitest.json');
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8')) as Report;
  console.log(`${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed > 0 || passed === 0) process.exit(1);
