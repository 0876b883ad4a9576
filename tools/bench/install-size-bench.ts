/**
 * Install size and import time of @terra-vertex/core beside @google-cloud/aiplatform alone, side by side:
 *   A = a fresh project with @terra-vertex/core installed from its packed tarball;
 *   B = a fresh project with @google-cloud/aiplatform alone, at the version A resolved.
 * Sizes: node_modules bytes (apparent and on disk), packages, files, and the biggest packages A adds.
 * Import time: fresh Node processes, A and B alternating, timing ESM `import()`, CommonJS `require()` and a first
 * usable JobService client (no network: the children refuse sockets). Absolute numbers depend on the machine;
 * the ratios are the point.
 * Usage: node tools/bench/install-size-bench.ts [--no-build] [--runs 9] [--quick] [--json]
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { packPackages, tarballInstallSpec } from '../release/packages.ts';
import { ms, percentile } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    runs: { type: 'string' },
  },
});
const runs = Number(args.runs ?? (args.quick ? 3 : 9));
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs ${args.runs}: give a whole number ≥ 1, e.g. --runs 9`);
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
if (major < 22 || (major === 22 && minor < 12))
  throw new Error(`Node ${process.versions.node}: run it with Node ≥ 22.12, e.g. npm run bench:install`);

const CORE = '@terra-vertex/core';
const AIP = '@google-cloud/aiplatform';
const log = (line: string) => process.stderr.write(`[${(performance.now() / 1000).toFixed(0)} s] ${line}\n`);
/** npm's `#!/usr/bin/env node` must find this Node 22, not the system's. */
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
for (const k of ['NODE_OPTIONS', 'VERTEX_AI_EMULATOR_HOST', 'STORAGE_EMULATOR_HOST']) delete env[k];
process.env.PATH = env.PATH;

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
type PackageSize = { key: string; path: string; bytes: number; disk: number; files: number };
type TreeSize = { bytes: number; disk: number; files: number; packages: PackageSize[] };

/** Walks a node_modules tree like `du`: hard links once; each file belongs to its nearest package. */
function measureTree(nodeModules: string): TreeSize {
  const seen = new Set<string>();
  const total: TreeSize = { bytes: 0, disk: lstatSync(nodeModules).blocks * 512, files: 0, packages: [] };
  const walk = (dir: string, owner: PackageSize | undefined, inNodeModules: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const st = lstatSync(path);
      if (seen.has(`${st.dev}:${st.ino}`)) continue;
      seen.add(`${st.dev}:${st.ino}`);
      for (const into of owner ? [total, owner] : [total]) {
        into.disk += st.blocks * 512;
        if (st.isFile()) {
          into.bytes += st.size;
          into.files++;
        }
      }
      if (!entry.isDirectory()) continue;
      if (inNodeModules && entry.name.startsWith('@')) walk(path, owner, true);
      else if (inNodeModules && !entry.name.startsWith('.')) {
        const manifest = readJson<Record<string, string>>(join(path, 'package.json'));
        const pkg = { key: `${manifest.name}@${manifest.version}`, path, bytes: 0, disk: 0, files: 0 };
        total.packages.push(pkg);
        walk(path, pkg, false);
      } else walk(path, owner, entry.name === 'node_modules');
    }
  };
  walk(nodeModules, undefined, true);
  return total;
}

/** Which of `roots` (paths in node_modules) reach each package, resolving like Node through npm's lockfile. */
function reachedFrom(project: string, roots: string[]): Map<string, string[]> {
  type Entry = { dependencies?: object; optionalDependencies?: object; peerDependencies?: object };
  const lock = readJson<{ packages: Record<string, Entry> }>(
    join(project, 'node_modules/.package-lock.json'),
  );
  const resolve = (from: string, dep: string): string | undefined => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${dep}`;
      if (lock.packages[candidate]) return candidate;
      if (!base) return undefined;
    }
  };
  const via = new Map<string, string[]>();
  for (const root of roots) {
    const todo = [root];
    const seen = new Set(todo);
    for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
      via.set(path, [...(via.get(path) ?? []), root.replace(/^node_modules\//, '')]);
      const entry = lock.packages[path]!;
      const deps = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
      for (const dep of Object.keys(deps)) {
        const to = resolve(path, dep);
        if (to && !seen.has(to)) {
          seen.add(to);
          todo.push(to);
        }
      }
    }
  }
  return via;
}

function npmInstall(project: string, manifest: object): number {
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench', private: true, ...manifest }));
  const started = performance.now();
  const r = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: project,
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm install in ${project} failed (${r.status}):\n${r.stderr}`);
  return performance.now() - started;
}

/** The child scripts: a connection attempt ends the process (a library cannot swallow it), then `body` is timed. */
const GUARD = `net.Socket.prototype.connect = () => {
  console.error(new Error('a network connection was attempted: the benchmark must make none').stack);
  process.exit(3);
};`;
const child = (esm: boolean, body: string) =>
  `${esm ? "import net from 'node:net';" : "const net = require('node:net');"}\n${GUARD}\n` +
  `const t0 = performance.now();\n${body}\nprocess.stdout.write(String(performance.now() - t0));\nprocess.exit(0);\n`;
const KINDS = ['esm', 'cjs', 'client'] as const;
type Kind = (typeof KINDS)[number];
const FILES: Record<Kind, string> = { esm: 'esm.mjs', cjs: 'cjs.cjs', client: 'client.mjs' };
/** A user's first client: core's lazy JobService client vs the official one (neither connects). */
const CLIENT = {
  A: `const core = await import('${CORE}');
core.init({ project: 'bench-project', location: 'us-central1', emulator: false });
await core.jobServiceClient(await core.resolveConfig());`,
  B: `const { v1 } = await import('${AIP}');
new v1.JobServiceClient({ apiEndpoint: 'localhost:1' });`,
};
const script = (p: 'A' | 'B', k: Kind) => {
  const pkg = p === 'A' ? CORE : AIP;
  return k === 'client'
    ? child(true, CLIENT[p])
    : child(k === 'esm', k === 'esm' ? `await import('${pkg}');` : `require('${pkg}');`);
};

/** One fresh process: the time measured inside it, and the wall-clock of the whole process. */
function timeChild(project: string, file: string): { inside: number; wall: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [file], { cwd: project, env, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (r.status !== 0) throw new Error(`${file} in ${project} exited ${r.status}:\n${r.stderr}`);
  return { inside: Number(r.stdout), wall };
}

type Spread = { median: number; q1: number; q3: number };
function spread(samples: number[]): Spread {
  const s = [...samples].sort((a, b) => a - b);
  return { median: percentile(s, 50), q1: percentile(s, 25), q3: percentile(s, 75) };
}

/** What A has and B has not: the biggest packages, and the bytes each of core's dependencies alone brings. */
function coreAdds(projectA: string, a: TreeSize, b: TreeSize) {
  const inB = new Set(b.packages.map((p) => p.key));
  const manifest = readJson<{ dependencies: object }>(join(projectA, 'node_modules', CORE, 'package.json'));
  const roots = Object.keys(manifest.dependencies).map((d) => `node_modules/${d}`);
  const via = reachedFrom(projectA, roots);
  const added = a.packages
    .filter((p) => !inB.has(p.key))
    .map((p) => {
      const path = p.path.slice(projectA.length + 1);
      return { ...p, path, via: via.get(path) ?? [] };
    })
    .sort((x, y) => y.bytes - x.bytes);
  const byDependency: Record<string, number> = {};
  for (const p of added) {
    const by = p.key.startsWith(`${CORE}@`) ? '(core itself)' : p.via.length === 1 ? p.via[0]! : '(shared)';
    byDependency[by] = (byDependency[by] ?? 0) + p.bytes;
  }
  const bytes = added.reduce((n, p) => n + p.bytes, 0);
  return { packages: added.length, bytes, byDependency, top: added.slice(0, 10) };
}

/** Runs the import measurements in fresh processes, A and B alternating (order flipped every run). */
function importTimes(projects: Record<'A' | 'B', string>) {
  for (const p of ['A', 'B'] as const)
    for (const k of KINDS) writeFileSync(join(projects[p], FILES[k]), script(p, k));
  const samples = new Map<string, { inside: number[]; wall: number[] }>();
  for (let i = 0; i < runs; i++)
    for (const k of KINDS)
      for (const p of i % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
        const t = timeChild(projects[p], FILES[k]);
        const into = samples.get(`${p}${k}`) ?? { inside: [], wall: [] };
        into.inside.push(t.inside);
        into.wall.push(t.wall);
        samples.set(`${p}${k}`, into);
      }
  const of = (p: string, k: Kind, w: 'inside' | 'wall') => spread(samples.get(`${p}${k}`)![w]);
  return Object.fromEntries(
    KINDS.map((k) => [
      k,
      {
        inside: { core: of('A', k, 'inside'), aiplatform: of('B', k, 'inside') },
        wall: { core: of('A', k, 'wall'), aiplatform: of('B', k, 'wall') },
      },
    ]),
  ) as Record<Kind, Record<'inside' | 'wall', { core: Spread; aiplatform: Spread }>>;
}

type Result = {
  machine: string;
  aiplatformVersion: string;
  install: Record<'A' | 'B', { bytes: number; disk: number; files: number; packages: number; ms: number }>;
  adds: ReturnType<typeof coreAdds>;
  times: ReturnType<typeof importTimes>;
  seconds: number;
};

function printMarkdown(r: Result) {
  const { machine, aiplatformVersion, install, adds, times, seconds } = r;
  const [a, b] = [install.A, install.B];
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
  const row = (cells: (string | number)[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log(
    `\n${CORE} beside ${AIP}@${aiplatformVersion} alone — ${machine}; ${runs} runs each, alternating\n`,
  );
  row(['install (npm, warm cache)', CORE, `${AIP} alone`, 'ratio']);
  row(['---', '---:', '---:', '---:']);
  row(['node_modules, file bytes', mb(a.bytes), mb(b.bytes), ratio(a.bytes, b.bytes)]);
  row(['node_modules, disk usage', mb(a.disk), mb(b.disk), ratio(a.disk, b.disk)]);
  row(['packages', a.packages, b.packages, ratio(a.packages, b.packages)]);
  row(['files', a.files, b.files, ratio(a.files, b.files)]);
  row(['`npm install` time (one run)', ms(a.ms), ms(b.ms), ratio(a.ms, b.ms)]);
  const by = Object.entries(adds.byDependency)
    .sort(([, x], [, y]) => y - x)
    .map(([dep, n]) => `${dep} ${mb(n)}`);
  console.log(
    `\nWhat core adds: ${adds.packages} packages, ${mb(adds.bytes)}. Brought by one dependency of core alone: ${by.join(', ')}.\n`,
  );
  row(['biggest packages in A, not in B', 'file bytes', 'files', "through core's dependency"]);
  row(['---', '---:', '---:', '---']);
  for (const p of adds.top) row([`\`${p.key}\``, mb(p.bytes), p.files, p.via.join(', ') || '(core itself)']);
  const label = {
    esm: 'ESM `await import()`',
    cjs: 'CommonJS `require()`',
    client: 'first JobService client',
  };
  const fmt = (s: Spread) => `${ms(s.median)} (${ms(s.q1)}–${ms(s.q3)})`;
  console.log(`\nImport time, median (interquartile range) of ${runs} fresh processes each:\n`);
  row(['measurement', CORE, `${AIP} alone`, 'ratio of medians']);
  row(['---', '---:', '---:', '---:']);
  for (const k of KINDS)
    for (const w of ['inside', 'wall'] as const) {
      const { core, aiplatform } = times[k][w];
      const what = w === 'inside' ? 'in process' : 'whole process';
      row([`${label[k]}, ${what}`, fmt(core), fmt(aiplatform), ratio(core.median, aiplatform.median)]);
    }
  console.log(`\n(benchmark took ${seconds.toFixed(0)} s)`);
}

const work = mkdtempSync(join(tmpdir(), 'tvx-install-bench-'));
const started = performance.now();
try {
  log(`packing the workspace packages${args['no-build'] ? ' (no build)' : ''}…`);
  const tarballs = packPackages(join(work, 'tarballs'), { build: !args['no-build'] });
  const projects = { A: join(work, 'core'), B: join(work, 'aiplatform') };
  log(`npm install A (${CORE} from its tarball)…`);
  const msA = npmInstall(projects.A, tarballInstallSpec(tarballs, [CORE]));
  const aiplatformVersion = readJson<{ version: string }>(
    join(projects.A, 'node_modules', AIP, 'package.json'),
  ).version;
  log(`npm install B (${AIP}@${aiplatformVersion} alone)…`);
  const msB = npmInstall(projects.B, { dependencies: { [AIP]: aiplatformVersion } });
  const a = measureTree(join(projects.A, 'node_modules'));
  const b = measureTree(join(projects.B, 'node_modules'));
  const adds = coreAdds(projects.A, a, b);
  log(`import times: ${runs} runs × ${KINDS.length} measurements × 2 projects, alternating…`);
  const times = importTimes(projects);
  const result: Result = {
    machine: `Node ${process.version}, ${process.platform}-${process.arch}, ${availableParallelism()} CPUs`,
    aiplatformVersion,
    install: {
      A: { ...a, packages: a.packages.length, ms: msA },
      B: { ...b, packages: b.packages.length, ms: msB },
    },
    adds,
    times,
    seconds: (performance.now() - started) / 1000,
  };
  if (args.json) console.log(JSON.stringify({ runs, ...result }));
  else printMarkdown(result);
  rmSync(work, { recursive: true, force: true });
} catch (err) {
  log(`kept ${work} for inspection`);
  throw err;
}
