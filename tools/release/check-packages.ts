/**
 * `npm run check:packages [-- --no-build]`: packs every public package as `npm publish` would, then checks each
 * tarball — publint (errors and warnings fail, suggestions are printed), every `exports` target and
 * `main`/`types`/`bin` is in it, every `files` entry packs something, the source and declaration maps point at
 * sources that are packed too, nothing test-only is packed, and the fields a registry page needs are set — and
 * runs knip's dependency check over the workspaces (see `knip.json`). Exits 1 naming what to fix.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, matchesGlob, posix, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { type PackedTarball, type PublicPackage, packPackages, publicPackages, ROOT } from './packages.ts';

/** What the tarball of one package got wrong (`problems` fail the check, `suggestions` do not). */
interface Report {
  problems: string[];
  suggestions: string[];
}

/** Paths that only tests, builds or caches need: none may be published. */
const UNWANTED = [
  /(^|\/)(test|tests|__tests__|__fixtures__|test-results|__pycache__|node_modules|\.nx)\//,
  /\.(test|spec)\.[cm]?[jt]s(\.map)?$/,
  /(^|\/)test-support\./,
  /(^|\/)vitest\.config\./,
  /(^|\/)tsconfig[^/]*\.json$/,
  /\.tsbuildinfo$/,
];

/** `./dist/x.js` → `dist/x.js`, as `npm pack` lists it. */
function packedPath(target: string): string {
  return posix.normalize(target.replace(/^\.\//, '')).replace(/\/$/, '');
}

/** `s` matched literally inside a regular expression. */
function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Whether `target` (a path or a `*` pattern from `exports`) names a packed file. */
function isPacked(target: string, files: Set<string>): boolean {
  const path = packedPath(target);
  if (!path.includes('*')) return files.has(path);
  const pattern = new RegExp(`^${path.split('*').map(escapeRegExp).join('.+')}$`);
  return [...files].some((f) => pattern.test(f));
}

/** Every file path an `exports` value can resolve to, with where it is in package.json. */
function exportTargets(value: unknown, at: string): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => exportTargets(v, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => exportTargets(v, `${at}["${k}"]`));
  return [];
}

/** Our own checks of one tarball's file list against its package.json. */
function contentProblems(pkg: PublicPackage, tarball: PackedTarball): string[] {
  const m = pkg.manifest as Record<string, unknown>;
  const files = new Set(tarball.files.map((f) => f.path));
  const dir = relative(ROOT, pkg.dir);
  const problems: string[] = [];
  const targets = exportTargets(m.exports, 'exports');
  if (typeof m.main === 'string') targets.push(['main', m.main]);
  if (typeof m.types === 'string') targets.push(['types', m.types]);
  if (typeof m.bin === 'string') targets.push(['bin', m.bin]);
  else targets.push(...exportTargets(m.bin, 'bin'));
  for (const [at, target] of targets)
    if (!isPacked(target, files))
      problems.push(`${at} → ${target} is not in the tarball: build the package or add it to "files"`);
  for (const entry of (m.files as string[] | undefined) ?? []) {
    if (entry.startsWith('!')) continue;
    const path = packedPath(entry);
    const hit = [...files].some((f) => f === path || f.startsWith(`${path}/`) || matchesGlob(f, path));
    if (!hit) problems.push(`files entry "${entry}" packs nothing: remove it, or build what it names`);
  }
  for (const f of files) {
    if (UNWANTED.some((re) => re.test(f)))
      problems.push(`${f} is packed but only tests or builds need it: exclude it in "files" (a "!" entry)`);
    if (!f.endsWith('.map')) continue;
    const map = JSON.parse(readFileSync(join(pkg.dir, f), 'utf8')) as {
      sources?: string[];
      sourceRoot?: string;
    };
    for (const source of map.sources ?? []) {
      const resolved = posix.normalize(posix.join(posix.dirname(f), map.sourceRoot ?? '', source));
      if (!files.has(resolved))
        problems.push(`${f} maps to ${resolved}, which is not packed: add its folder to "files"`);
    }
  }
  const repository = m.repository as { directory?: string } | undefined;
  if (repository?.directory !== dir) problems.push(`repository.directory must be "${dir}"`);
  for (const field of ['license', 'description', 'homepage'])
    if (typeof m[field] !== 'string') problems.push(`"${field}" is missing from package.json`);
  if (!(m.engines as { node?: string } | undefined)?.node)
    problems.push('engines.node is missing (">=22.12")');
  if (!(m.exports as Record<string, unknown> | undefined)?.['./package.json'])
    problems.push('exports["./package.json"] is missing: add "./package.json": "./package.json"');
  if (!files.has('README.md')) problems.push('README.md is not packed: add it to "files"');
  if (!files.has('LICENSE'))
    problems.push('LICENSE is not packed: its "prepack" script copies the root LICENSE into the package');
  return problems;
}

/** publint on the tarball itself, so it sees exactly what would be published. */
async function lint(tarball: PackedTarball): Promise<Report> {
  const bytes = readFileSync(tarball.path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { messages, pkg } = await publint({ pack: { tarball: buffer }, level: 'suggestion' });
  const report: Report = { problems: [], suggestions: [] };
  for (const message of messages) {
    const text = `publint ${message.code}: ${formatMessage(message, pkg, { color: false }) ?? ''}`;
    (message.type === 'suggestion' ? report.suggestions : report.problems).push(text);
  }
  return report;
}

/** The Changesets fixed group must hold exactly the public packages, so they always release together. */
function fixedGroupProblems(names: string[]): string[] {
  const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8')) as {
    fixed?: string[][];
  };
  const group = new Set(config.fixed?.[0] ?? []);
  const missing = names.filter((n) => !group.has(n));
  const extra = [...group].filter((n) => !names.includes(n));
  if (missing.length === 0 && extra.length === 0) return [];
  return [
    `.changeset/config.json "fixed"[0] must list exactly the public packages` +
      (missing.length ? `; add ${missing.join(', ')}` : '') +
      (extra.length ? `; remove ${extra.join(', ')}` : ''),
  ];
}

/**
 * knip over every workspace (whatever code or tests import is listed), then over the public packages in
 * production + strict mode (their own `dependencies` are exactly what their published code imports).
 * `knip.json` ignores only what knip cannot see: `@resvg/resvg-js` (core) and `@polyglot-sql/sdk` (emulator)
 * are loaded with `createRequire(import.meta.url)(name)`, `autocannon` (root) likewise by tools/bench; the
 * notebooks package needs the packages its `.ipynb` cells import, and its test reaches tslab's own TypeScript
 * through tslab; core's tests import `@terra-vertex/xai`, which cannot be listed (xai depends on core: an Nx cycle);
 * templates' `@nx/devkit` is an optional peer dependency (only its Nx generators load it), which strict mode
 * does not count.
 */
function knipProblems(names: string[]): string[] {
  const runs: [string, string[]][] = [
    ['every workspace, tests included', ['--dependencies', '--no-config-hints']],
    [
      'published code, own dependencies only',
      ['--dependencies', '--production', '--strict', ...names.flatMap((n) => ['-W', n])],
    ],
  ];
  const problems: string[] = [];
  for (const [what, args] of runs) {
    console.log(`\nknip (${what}): npx knip ${args.join(' ')}`);
    const run = spawnSync('npx', ['knip', '--no-progress', ...args], { cwd: ROOT, stdio: 'inherit' });
    if (run.error) throw run.error;
    if (run.status !== 0)
      problems.push(
        `knip (${what}) found dependency issues above: add what is unlisted to that workspace's package.json ` +
          '(devDependencies when only tests use it), remove or move what is unused, or — when a dependency is ' +
          'loaded in a way knip cannot see — add it to that workspace\'s "ignoreDependencies" in knip.json',
      );
    else console.log('  ✓ no dependency issues');
  }
  return problems;
}

async function main(): Promise<void> {
  const build = !process.argv.includes('--no-build');
  const out = mkdtempSync(join(tmpdir(), 'tvx-check-packages-'));
  const failures: string[] = [];
  try {
    const tarballs = packPackages(out, { build });
    for (const pkg of publicPackages()) {
      const tarball = tarballs.get(pkg.name);
      if (!tarball) throw new Error(`npm pack produced no tarball for ${pkg.name}`);
      const { problems, suggestions } = await lint(tarball);
      problems.push(...contentProblems(pkg, tarball));
      const size = `${tarball.files.length} files, ${(tarball.size / 1024).toFixed(0)} kB packed`;
      console.log(`${problems.length ? '✗' : '✓'} ${pkg.name}@${pkg.version} (${size})`);
      for (const p of problems) console.log(`    ✗ ${p}`);
      for (const s of suggestions) console.log(`    · ${s}`);
      if (problems.length) failures.push(`${pkg.name}: ${problems.length} problem(s)`);
    }
    for (const p of fixedGroupProblems(publicPackages().map((p) => p.name))) {
      console.log(`✗ ${p}`);
      failures.push(p);
    }
    failures.push(...knipProblems(publicPackages().map((p) => p.name)));
  } catch (err) {
    console.error(`check:packages stopped; the tarballs are kept in ${out}`);
    throw err;
  }
  rmSync(out, { recursive: true, force: true });
  if (failures.length) {
    console.error(`\ncheck:packages failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log('\ncheck:packages: every package is ready to publish');
}

await main();
