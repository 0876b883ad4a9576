/**
 * Consumer check (`npm run check:consumer [-- --no-build]`): what another repository gets from `npm install`.
 *
 * 1. Packs every public package (`npm pack`, after building unless `--no-build`).
 * 2. A fresh project outside the repository installs the tarballs (checked to come from them, not the
 *    registry), loads every package with `import()` and `require()`, typechecks a consumer's file with
 *    TypeScript 5.9 (`nodenext`, `strict`), and runs packages/core's README example: the emulator, a real
 *    custom job, its logs.
 * 3. A fresh Nx workspace installs the templates, runs `nx g @terra-vertex/templates:trainer` and `:notebook`,
 *    builds the trainer (`nx build`: its sdist), trains it once (`nx run …:smoke`) and compiles the notebook's
 *    cells as tslab does.
 *
 * Each step prints its duration. On failure the temporary folder is kept and its path printed.
 */
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { type PackedTarball, packPackages, publicPackages, ROOT, tarballInstallSpec } from './packages.ts';

const FILES = join(ROOT, 'tools/release/consumer');
const EXAMPLE = 'core-example.ts';
const LIBRARIES = ['core', 'emulator', 'templates', 'xai', 'automl-bqml', 'notebooks', 'tfevents'].map(
  (p) => `@terra-vertex/${p}`,
);
const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];
/** Install scripts the root package.json does not approve either; npm 11 would warn about them. */
const ALLOW_SCRIPTS = { nx: false, protobufjs: false, zeromq: false };

const build = !process.argv.includes('--no-build');
const work = mkdtempSync(join(tmpdir(), 'tvx-consumer-'));
/** Children run on this Node 22 (npm, npx, nx), with none of the repository's npm or Nx context. */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) =>
      !/^(npm_(package|lifecycle)_|npm_config_(local_prefix|call|workspaces?)$|npm_command$|INIT_CWD$|NX_)/.test(
        k,
      ),
  ),
);
env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH}`;
Object.assign(env, { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true' });
process.env.PATH = env.PATH; // packPackages() runs npm and nx too

/** Runs a command and returns its stdout; throws with the command and the end of its output if it fails. */
function run(cmd: string, args: string[], cwd: string, options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 600_000,
    ...options,
  });
  const out = `${r.stdout ?? ''}`;
  if (r.status !== 0) {
    const tail = `${out}\n${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    throw new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} failed (${why}):\n${tail}`);
  }
  return out;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

const timings: [string, number][] = [];
let current = '';
function step(name: string, body: () => string | undefined): void {
  current = name;
  const start = performance.now();
  process.stdout.write(`▶ ${name}\n`);
  const detail = body();
  const seconds = (performance.now() - start) / 1000;
  timings.push([name, seconds]);
  process.stdout.write(`✓ ${name} (${seconds.toFixed(1)} s)${detail ? `: ${detail}` : ''}\n`);
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Every `@terra-vertex/*` in the lockfile must be its tarball: `file:` to the path `npm pack` wrote. */
function checkFromTarballs(dir: string, tarballs: Map<string, PackedTarball>, expected: string[]): string {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string; version?: string }>;
  };
  const found = new Set<string>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = /node_modules\/(@terra-vertex\/[^/]+)$/.exec(path)?.[1];
    if (!name) continue;
    const tarball = tarballs.get(name);
    const from = entry.resolved?.startsWith('file:') ? resolve(dir, entry.resolved.slice(5)) : entry.resolved;
    check(
      tarball !== undefined && from === tarball.path,
      `${path} was installed from ${entry.resolved ?? 'the registry'}, not from its tarball ${tarball?.path ?? '(none packed)'}: ` +
        'the consumer package.json needs dependencies and overrides from tarballInstallSpec()',
    );
    found.add(name);
  }
  const missing = expected.filter((n) => !found.has(n));
  check(missing.length === 0, `not installed: ${missing.join(', ')}`);
  const ls = JSON.parse(run('npm', ['ls', '--all', '--json'], dir)) as { problems?: string[] };
  check(!ls.problems?.length, `npm ls reports problems:\n${ls.problems?.join('\n')}`);
  return `${found.size} @terra-vertex packages, all from their tarballs`;
}

/** The first ```ts block of the `## Example` section of packages/core/README.md. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'packages/core/README.md'), 'utf8').replace(/\r\n/g, '\n');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Example\n')) ?? '';
  return /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
}

function main(): void {
  const tarballs = new Map<string, PackedTarball>();
  const packs = join(work, 'tarballs');
  step(`pack every public package${build ? ' (after nx run-many -t build)' : ''}`, () => {
    if (!build) {
      const unbuilt = publicPackages().filter((p) => !existsSync(join(p.dir, 'dist/index.js')));
      check(
        unbuilt.length === 0,
        `--no-build, but ${unbuilt.map((p) => p.name).join(', ')} has no dist/: build first (npx nx run-many -t build) or drop --no-build`,
      );
    }
    for (const [name, t] of packPackages(packs, { build })) tarballs.set(name, t);
    return [...tarballs.values()].map((t) => `${t.name} ${(t.size / 1024).toFixed(0)} kB`).join(', ');
  });
  const all = [...tarballs.keys()];

  const project = join(work, 'project');
  mkdirSync(project);
  step('fresh project: npm install the tarballs, typescript@5.9, @types/node@22', () => {
    const spec = tarballInstallSpec(tarballs, all);
    const dependencies = { ...spec.dependencies, typescript: '~5.9.0', '@types/node': '^22' };
    const manifest = {
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies,
      overrides: spec.overrides,
    };
    writeJson(join(project, 'package.json'), { ...manifest, allowScripts: ALLOW_SCRIPTS });
    for (const f of ['load.cjs', 'types.ts', 'tsconfig.json', EXAMPLE])
      cpSync(join(FILES, f), join(project, f));
    run('npm', NPM_INSTALL, project);
    return checkFromTarballs(project, tarballs, all);
  });
  step('load every package with import() and require()', () => {
    const out = run(process.execPath, ['load.cjs', ...all], project);
    const help = run(join(project, 'node_modules/.bin/tvx'), ['--help'], project);
    check(/Usage: tvx/.test(help), `tvx --help printed no usage:\n${help}`);
    return `${out.trim().split('\n').length} packages; the tvx bin runs`;
  });
  step('typecheck a consumer file with TypeScript 5.9 (nodenext, strict)', () => {
    const version = run(join(project, 'node_modules/.bin/tsc'), ['--version'], project).trim();
    let listed: string;
    try {
      listed = run(join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--listFiles'], project);
    } catch (err) {
      throw new Error(
        `${version} cannot use our declarations as a consumer would:\n${(err as Error).message}`,
      );
    }
    // skipLibCheck hides a declaration that does not resolve (its types become any): each library's .d.ts must
    // have pulled in the files it imports, not just its index.d.ts.
    const loaded = LIBRARIES.map((name) => {
      const dist = `/node_modules/${name}/dist/`;
      return [
        name,
        listed.split('\n').filter((f) => f.includes(dist) && f.endsWith('.d.ts')).length,
      ] as const;
    });
    const thin = loaded.filter(([, n]) => n < 2).map(([name, n]) => `${name} (${n} .d.ts)`);
    check(thin.length === 0, `${version} did not load the declarations of ${thin.join(', ')}:\n${listed}`);
    const count = loaded.reduce((sum, [, n]) => sum + n, 0);
    return `${version}: types.ts and ${EXAMPLE}, ${count} of our .d.ts files read`;
  });
  step(`run core's README example (${EXAMPLE}): emulator + a real custom job`, () => {
    const scratch = join(work, 'tmp'); // the example's and the emulator's temporary folders
    mkdirSync(scratch);
    const out = run(process.execPath, [EXAMPLE], project, {
      env: { ...env, TMPDIR: scratch },
      timeout: 300_000,
    });
    const printed = /accuracy=\d\.\d{3}, model dir gs:\/\/\S+\/model\//;
    check(/^JOB_STATE_SUCCEEDED$/m.test(out), `the job did not succeed:\n${out}`);
    check(/^\[workerpool0-0\] accuracy=/m.test(out), `no live log line from the trainer:\n${out}`);
    check(
      new RegExp(`^JOB_STATE_SUCCEEDED \\[[\\s\\S]*'${printed.source}`, 'm').test(out),
      `logs() lack the trainer's line:\n${out}`,
    );
    return out.match(printed)?.[0];
  });

  const nx = join(work, 'nx-workspace');
  mkdirSync(nx);
  step('fresh Nx workspace: npm install nx, tslab and the tarballs', () => {
    const direct = [
      '@terra-vertex/templates',
      '@terra-vertex/core',
      '@terra-vertex/emulator',
      '@terra-vertex/notebooks',
    ];
    const spec = tarballInstallSpec(tarballs, direct);
    const nxVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/nx/package.json'), 'utf8')).version;
    const tslab = publicPackages().find((p) => p.name === '@terra-vertex/notebooks')?.manifest
      .peerDependencies?.tslab;
    check(tslab !== undefined, '@terra-vertex/notebooks declares no tslab peer dependency');
    // @nx/devkit is the templates' optional peer: an Nx workspace that runs generators has it (or adds it).
    const devkitVersion = JSON.parse(
      readFileSync(join(ROOT, 'node_modules/@nx/devkit/package.json'), 'utf8'),
    ).version;
    const devDependencies = { ...spec.dependencies, nx: nxVersion, '@nx/devkit': devkitVersion, tslab };
    const manifest = {
      name: 'workspace',
      private: true,
      type: 'module',
      devDependencies,
      overrides: spec.overrides,
    };
    writeJson(join(nx, 'package.json'), { ...manifest, allowScripts: ALLOW_SCRIPTS });
    writeJson(join(nx, 'nx.json'), {
      $schema: './node_modules/nx/schemas/nx-schema.json',
      useDaemonProcess: false,
    });
    cpSync(join(FILES, 'compile-notebook.cjs'), join(nx, 'compile-notebook.cjs'));
    run('npm', NPM_INSTALL, nx);
    return `nx ${nxVersion}, tslab ${tslab}; ${checkFromTarballs(nx, tarballs, direct)}`;
  });
  step('nx g @terra-vertex/templates:trainer and :notebook', () => {
    const trainer = ['nx', 'g', '@terra-vertex/templates:trainer', 'iris-trainer', '--framework=sklearn'];
    run('npx', [...trainer, '--no-interactive'], nx);
    const notebook = [
      'nx',
      'g',
      '@terra-vertex/templates:notebook',
      '03-my-experiment',
      '--title=My experiment',
    ];
    run('npx', [...notebook, '--framework=sklearn', '--no-interactive'], nx);
    const project = JSON.parse(run('npx', ['nx', 'show', 'project', 'iris-trainer', '--json'], nx));
    check(
      project.targets?.build && project.targets?.smoke,
      `iris-trainer has no build/smoke targets: ${JSON.stringify(project)}`,
    );
    check(existsSync(join(nx, 'notebooks/03-my-experiment.ipynb')), 'no notebooks/03-my-experiment.ipynb');
    return `trainers/iris-trainer (Nx project, tags ${(project.tags ?? []).join(', ')}), notebooks/03-my-experiment.ipynb`;
  });
  step('nx build iris-trainer (the sdist Vertex AI installs)', () => {
    run('npx', ['nx', 'build', 'iris-trainer', '--outputStyle=static'], nx);
    const sdist = join(nx, 'trainers/iris-trainer/dist/iris-trainer-0.1.tar.gz');
    check(existsSync(sdist), `nx build made no ${sdist}`);
    const files = run('tar', ['tzf', sdist], nx).split('\n');
    check(
      files.includes('iris-trainer-0.1/trainer/task.py'),
      `${sdist} lacks trainer/task.py:\n${files.join('\n')}`,
    );
    return `${sdist.slice(nx.length + 1)}, ${files.filter((f) => f.endsWith('.py')).length} .py files`;
  });
  step('nx run iris-trainer:smoke (trains on its demo data)', () => {
    run('npx', ['nx', 'run', 'iris-trainer:smoke', '--outputStyle=static'], nx);
    const metrics = join(nx, 'trainers/iris-trainer/trainer-output/model/metrics.json');
    check(existsSync(metrics), `the smoke run wrote no ${metrics}`);
    return `accuracy ${JSON.parse(readFileSync(metrics, 'utf8')).accuracy}`;
  });
  step("compile the notebook's cells as tslab does (its TypeScript 5.0.4, CommonJS)", () =>
    run(
      process.execPath,
      ['../compile-notebook.cjs', '03-my-experiment.ipynb'],
      join(nx, 'notebooks'),
    ).trim(),
  );

  step(`packages/core/README.md's example is ${EXAMPLE}`, () => {
    const script = readFileSync(join(FILES, EXAMPLE), 'utf8');
    check(
      readmeExample().trim() === script.trim(),
      `the \`\`\`ts block under "## Example" in packages/core/README.md differs from tools/release/consumer/${EXAMPLE}, ` +
        'the script this check runs: copy the script into the README (or change both)',
    );
    return 'identical';
  });
}

const started = performance.now();
try {
  main();
  rmSync(work, { recursive: true, force: true });
  const total = (performance.now() - started) / 1000;
  console.log(`\nconsumer check passed in ${total.toFixed(0)} s:`);
  for (const [name, seconds] of timings) console.log(`${seconds.toFixed(1).padStart(7)} s  ${name}`);
} catch (err) {
  console.error(`\n✗ consumer check failed at "${current}":\n${(err as Error).message}`);
  console.error(`\nThe temporary projects are kept in ${work}`);
  process.exit(1);
}
