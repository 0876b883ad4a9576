/**
 * `npm run release:dry [-- --no-build]`: what the next release would publish, without publishing anything or
 * changing the repository — the pending changesets, each public package's current → next version, its tarball
 * (files, packed and unpacked size, top-level contents) and the changelog entries `changeset version` would
 * write, found by running it in a throwaway copy of the workspace manifests.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type PackedTarball, packPackages, publicPackages, ROOT } from './packages.ts';

const CHANGESET_BIN = join(ROOT, 'node_modules/@changesets/cli/bin.js');

/** The part of `changeset status --output` used here. */
interface ReleasePlan {
  changesets: { id: string; summary: string; releases: { name: string; type: string }[] }[];
  releases: { name: string; type: string; oldVersion: string; newVersion: string }[];
}

/** Runs the Changesets CLI; returns its exit code and what it printed. */
function changeset(args: string[], cwd: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [CHANGESET_BIN, ...args], { cwd, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** The release plan of the pending changesets, or why there is none. */
function releasePlan(work: string): { plan?: ReleasePlan; note?: string } {
  const file = join(work, 'status.json');
  const run = changeset(['status', '--output', file], ROOT);
  if (run.status !== 0) return { note: `changeset status failed:\n${run.output}` };
  return { plan: JSON.parse(readFileSync(file, 'utf8')) as ReleasePlan };
}

/** The workspace directories npm sees (the root's `workspaces`, `dir/*` expanded). */
function workspaceDirs(): string[] {
  const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return workspaces.flatMap((w) =>
    w.endsWith('/*')
      ? readdirSync(join(ROOT, w.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory() && existsSync(join(ROOT, w.slice(0, -2), e.name, 'package.json')))
          .map((e) => join(w.slice(0, -2), e.name))
      : [w],
  );
}

/**
 * Runs `changeset version` in a copy of the manifests, changesets and changelogs (node_modules linked so the
 * changelog generator resolves) and returns the CHANGELOG.md each public package would have, by package name.
 */
function versionInCopy(work: string): { changelogs: Map<string, string>; note?: string } {
  const copy = join(work, 'repo');
  for (const file of ['package.json', 'package-lock.json', '.changeset'])
    cpSync(join(ROOT, file), join(copy, file), { recursive: true });
  for (const dir of workspaceDirs()) {
    mkdirSync(join(copy, dir), { recursive: true });
    for (const file of ['package.json', 'CHANGELOG.md'])
      if (existsSync(join(ROOT, dir, file))) cpSync(join(ROOT, dir, file), join(copy, dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const run = changeset(['version'], copy);
  const changelogs = new Map<string, string>();
  if (run.status !== 0)
    return { changelogs, note: `changeset version (in a copy) wrote nothing:\n${run.output}` };
  for (const pkg of publicPackages()) {
    const file = join(copy, relative(ROOT, pkg.dir), 'CHANGELOG.md');
    if (existsSync(file)) changelogs.set(pkg.name, readFileSync(file, 'utf8'));
  }
  return { changelogs };
}

/** The `## version` section of a changelog, without its heading. */
function section(changelog: string, version: string): string {
  const start = changelog.indexOf(`\n## ${version}\n`);
  if (start < 0) return '';
  const body = changelog.slice(start + version.length + 5);
  const end = body.search(/\n## /);
  return (end < 0 ? body : body.slice(0, end)).trim();
}

/** `dist/ (412), README.md, package.json` — the tarball's top-level entries with file counts of folders. */
function topLevel(tarball: PackedTarball): string {
  const counts = new Map<string, number>();
  for (const { path } of tarball.files) {
    const top = path.includes('/') ? `${path.split('/')[0]}/` : path;
    counts.set(top, (counts.get(top) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([top, n]) => (top.endsWith('/') ? `${top} (${n})` : top))
    .join(', ');
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
const indent = (text: string, by: string) => text.replace(/^/gm, by);

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'tvx-release-dry-'));
  try {
    console.log('Release dry run: nothing is published and nothing in the repository changes.\n');
    const { plan, note } = releasePlan(work);
    if (note) console.log(`${note}\n`);
    const changesets = plan?.changesets ?? [];
    console.log(`Pending changesets (${changesets.length}) in .changeset/:`);
    if (changesets.length === 0)
      console.log('  none: `changeset version` would change nothing (add one: npm run changeset)');
    for (const c of changesets) {
      const byType = new Map<string, string[]>();
      for (const r of c.releases)
        byType.set(r.type, [...(byType.get(r.type) ?? []), r.name.replace(/^@terra-vertex\//, '')]);
      const bumps = [...byType].map(([type, names]) => `${type}: ${names.join(', ')}`).join('; ');
      console.log(`  ${c.id}.md (${bumps})\n${indent(c.summary.split('\n')[0] ?? '', '      ')}`);
    }

    const tarballs = packPackages(join(work, 'tarballs'), { build: !process.argv.includes('--no-build') });
    const next = new Map(plan?.releases.map((r) => [r.name, r]) ?? []);
    console.log('\nPackages `changeset publish` would publish (one fixed group, released together):');
    let packed = 0;
    for (const pkg of publicPackages()) {
      const t = tarballs.get(pkg.name);
      if (!t) throw new Error(`npm pack produced no tarball for ${pkg.name}`);
      const r = next.get(pkg.name);
      const version =
        r && r.type !== 'none'
          ? `${pkg.version} → ${r.newVersion} (${r.type})`
          : `${pkg.version} (unchanged)`;
      packed += t.size;
      console.log(`  ${pkg.name.padEnd(26)} ${version}`);
      console.log(
        `      ${t.files.length} files, ${kB(t.size)} packed, ${kB(t.unpackedSize)} unpacked: ${topLevel(t)}`,
      );
    }

    const newVersions = new Set(plan?.releases.filter((r) => r.type !== 'none').map((r) => r.newVersion));
    if (changesets.length > 0) {
      const { changelogs, note: versionNote } = versionInCopy(work);
      console.log('\nChangelog entries `changeset version` would write (commit hashes left out here):');
      if (versionNote) console.log(indent(versionNote, '  '));
      for (const pkg of publicPackages()) {
        const r = next.get(pkg.name);
        const changelog = changelogs.get(pkg.name);
        if (!r || r.type === 'none' || changelog === undefined) continue;
        console.log(`  ${relative(ROOT, pkg.dir)}/CHANGELOG.md, ## ${r.newVersion}`);
        console.log(indent(section(changelog, r.newVersion) || '(no entry)', '      '));
      }
    }
    const versions = [...newVersions].join(', ') || 'their current versions';
    console.log(
      `\nSummary: ${tarballs.size} packages at ${versions}, ${changesets.length} changeset(s), ${kB(packed)} packed in total; nothing was published.`,
    );
  } catch (err) {
    console.error(`release:dry stopped; its temporary files are kept in ${work}`);
    throw err;
  }
  rmSync(work, { recursive: true, force: true });
}

main();
