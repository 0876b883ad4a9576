/**
 * The workspace's publishable packages and their tarballs, as `npm publish` would upload them.
 * Shared by the consumer check, `npm run release:dry` and the install-size benchmark.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A workspace package that is published (not `private`). */
export interface PublicPackage {
  /** npm name, e.g. `@terra-vertex/core`. */
  name: string;
  version: string;
  /** Absolute path of the package directory. */
  dir: string;
  /** Its package.json, parsed. */
  manifest: Record<string, unknown> & {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
}

/** Every non-private package under `packages/`, in directory order. */
export function publicPackages(): PublicPackage[] {
  const base = join(ROOT, 'packages');
  return readdirSync(base)
    .map((entry) => join(base, entry))
    .filter((dir) => {
      try {
        readFileSync(join(dir, 'package.json'));
        return true;
      } catch {
        return false;
      }
    })
    .map((dir) => {
      const manifest = JSON.parse(
        readFileSync(join(dir, 'package.json'), 'utf8'),
      ) as PublicPackage['manifest'];
      return { name: String(manifest.name), version: String(manifest.version), dir, manifest };
    })
    .filter((p) => p.manifest.private !== true);
}

/** What `npm pack --json` reports for one tarball. */
export interface PackedTarball {
  name: string;
  version: string;
  /** Absolute path of the `.tgz`. */
  path: string;
  /** Compressed size in bytes. */
  size: number;
  /** Unpacked size in bytes. */
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/**
 * Builds the packages (unless `build: false`) and packs every public one into `outDir` with `npm pack`,
 * so the tarballs hold exactly what `files` and `.npmignore` let through.
 */
export function packPackages(outDir: string, options: { build?: boolean } = {}): Map<string, PackedTarball> {
  mkdirSync(outDir, { recursive: true });
  if (options.build !== false) {
    execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const packages = publicPackages();
  const args = ['pack', '--json', '--silent', '--pack-destination', resolve(outDir)];
  for (const p of packages) args.push('-w', p.dir);
  const out = execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const reports = JSON.parse(out) as {
    name: string;
    version: string;
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string; size: number }[];
  }[];
  const tarballs = new Map<string, PackedTarball>();
  for (const r of reports) {
    tarballs.set(r.name, {
      name: r.name,
      version: r.version,
      path: join(resolve(outDir), r.filename),
      size: r.size,
      unpackedSize: r.unpackedSize,
      files: r.files,
    });
  }
  return tarballs;
}

/**
 * `dependencies` and `overrides` for a consumer's package.json that install the given tarballs in place of
 * the registry: each workspace package depended on (directly or through another) resolves to its tarball.
 */
export function tarballInstallSpec(
  tarballs: Map<string, PackedTarball>,
  direct: string[],
): { dependencies: Record<string, string>; overrides: Record<string, string> } {
  const dependencies: Record<string, string> = {};
  const overrides: Record<string, string> = {};
  for (const name of direct) {
    const t = tarballs.get(name);
    if (!t) throw new Error(`no tarball for ${name}: packPackages() packs only public workspace packages`);
    dependencies[name] = `file:${t.path}`;
  }
  for (const t of tarballs.values()) overrides[t.name] = `file:${t.path}`;
  return { dependencies, overrides };
}
