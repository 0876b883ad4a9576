/**
 * Keeps docs/ true: every relative link resolves, every guide shows a notebook that exists, its TypeScript
 * examples import only what the packages export and typecheck against their sources, and every `tvx` command
 * it names exists in the CLI with the options it uses. The packages' README examples must typecheck too.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '@terra-vertex/cli';
import { describe, expect, it } from 'vitest';
import {
  type CodeBlock,
  headingAnchors,
  linkTargets,
  type MarkdownFile,
  markdownFiles,
  parseMarkdown,
  where,
} from './markdown.ts';
import { packageImports } from './package-imports.ts';
import { commandProblems, shellWords, tvxCommands } from './tvx-commands.ts';
import { TS_LANGS, typecheckExamples } from './typecheck-examples.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docs = join(root, 'docs');
const guidesDir = join(docs, 'guides');
const notebooksDir = join(root, 'packages/notebooks/notebooks');
const apiIndex = join(docs, 'api/index.html');

const files = markdownFiles(docs).map(parseMarkdown);
const guides = files.filter((f) => dirname(f.path) === guidesDir);
const index = files.find((f) => f.path === join(docs, 'README.md'));
const isApiLink = (file: string, target: string) => {
  const path = relative(docs, resolve(dirname(file), target.split('#')[0]!));
  return path === 'api' || path.startsWith(`api${sep}`);
};

/** The first TypeScript block under each of a README's `## Example…` headings: the runnable example it promises. */
function exampleBlocks(file: MarkdownFile): CodeBlock[] {
  const headings = file.prose.flatMap((text, i) => (/^## /.test(text) ? [{ text, line: i + 1 }] : []));
  const firstUnder = new Map<number, CodeBlock>();
  for (const block of file.blocks.filter((b) => TS_LANGS.has(b.lang))) {
    const heading = headings.filter((h) => h.line < block.line).at(-1);
    if (heading && /^## Example/.test(heading.text) && !firstUnder.has(heading.line))
      firstUnder.set(heading.line, block);
  }
  return [...firstUnder.values()];
}

/** A relative link's problem (missing file or heading), or undefined when it resolves. */
function linkProblem(file: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const absolute = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(absolute)) return `${relative(root, absolute)} does not exist`;
  if (anchor && absolute.endsWith('.md') && statSync(absolute).isFile()) {
    const anchors = headingAnchors(parseMarkdown(absolute));
    if (!anchors.has(anchor)) return `${relative(root, absolute)} has no heading #${anchor}`;
  }
  return undefined;
}

/** Every relative link of every docs file, except into the generated API reference. */
function relativeLinks(api: boolean) {
  return files.flatMap((file) =>
    linkTargets(file)
      .filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.text))
      .filter((l) => isApiLink(file.path, l.text) === api)
      .map((l) => ({ file: file.path, ...l })),
  );
}

describe('docs', () => {
  it('has an index and guides', () => {
    expect(index, 'docs/README.md').toBeDefined();
    expect(guides.length).toBeGreaterThanOrEqual(10);
  });

  it('has no broken relative link', () => {
    const broken = relativeLinks(false).flatMap((l) => {
      const problem = linkProblem(l.file, l.text);
      return problem ? [`${where(root, l.file, l.line)} (${l.text}): ${problem}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it.skipIf(!existsSync(apiIndex))(
    'links only to pages of the API reference that exist (npm run docs)',
    () => {
      const broken = relativeLinks(true).flatMap((l) => {
        const problem = linkProblem(l.file, l.text);
        return problem
          ? [`${where(root, l.file, l.line)} (${l.text}): ${problem}; run \`npm run docs\``]
          : [];
      });
      expect(broken).toEqual([]);
    },
  );

  it('lists every guide in the index', () => {
    const listed = new Set(
      linkTargets(index!).map((l) => relative(docs, resolve(docs, l.text.split('#')[0]!))),
    );
    const missing = guides.map((g) => relative(docs, g.path)).filter((g) => !listed.has(g));
    expect(missing, 'guides missing from docs/README.md').toEqual([]);
  });

  it('gives every guide an example, the emulator / Vertex AI differences and its references', () => {
    const missing = guides.flatMap((g) =>
      ['## Example', '## Runs on the emulator / on Vertex AI', '## See also']
        .filter((heading) => !g.prose.includes(heading))
        .map((heading) => `${relative(root, g.path)}: no "${heading}" section`),
    );
    expect(missing).toEqual([]);
  });

  it('links every guide to a notebook, and shows every notebook in some guide', () => {
    const shown = new Set<string>();
    const without: string[] = [];
    for (const guide of guides) {
      const notebooks = linkTargets(guide)
        .map((l) => resolve(dirname(guide.path), l.text.split('#')[0]!))
        .filter((p) => dirname(p) === notebooksDir && p.endsWith('.ipynb') && existsSync(p));
      if (notebooks.length === 0) without.push(relative(root, guide.path));
      for (const n of notebooks) shown.add(basename(n));
    }
    expect(without, 'guides without a link to an existing notebook').toEqual([]);
    const notebooks = readdirSync(notebooksDir).filter((n) => n.endsWith('.ipynb'));
    expect(
      notebooks.filter((n) => !shown.has(n)),
      'notebooks no guide links',
    ).toEqual([]);
  });

  it('imports only names the packages export', async () => {
    const problems: string[] = [];
    for (const file of files)
      for (const block of file.blocks.filter((b) => TS_LANGS.has(b.lang)))
        for (const imp of packageImports(block.code)) {
          const exported = new Set(Object.keys(await import(/* @vite-ignore */ imp.from)));
          for (const name of imp.values.filter((n) => !exported.has(n)))
            problems.push(`${where(root, file.path, block.line + imp.line)}: ${imp.from} exports no ${name}`);
        }
    expect(problems).toEqual([]);
  });

  it('has TypeScript examples that typecheck against the packages', () => {
    const examples = files.flatMap((file) =>
      file.blocks.filter((b) => TS_LANGS.has(b.lang)).map((block) => ({ guide: file.path, block })),
    );
    expect(examples.length).toBeGreaterThan(0);
    const result = typecheckExamples(root, examples);
    if (result.workDir) console.error(`the examples as compiled are in ${result.workDir}`);
    expect(result.errors).toEqual([]);
  });

  it("keeps every package README's runnable examples typechecking", () => {
    const examples = readdirSync(join(root, 'packages')).flatMap((name) => {
      const readme = parseMarkdown(join(root, 'packages', name, 'README.md'));
      return exampleBlocks(readme).map((block) => ({ guide: readme.path, block }));
    });
    const withExample = new Set(examples.map((e) => e.guide));
    expect(withExample.size, 'package READMEs with a TypeScript "## Example"').toBeGreaterThanOrEqual(6);
    const result = typecheckExamples(root, examples);
    if (result.workDir) console.error(`the examples as compiled are in ${result.workDir}`);
    expect(result.errors).toEqual([]);
  });

  it('names only tvx commands and options that exist', () => {
    const program = buildProgram();
    const problems = files.flatMap((file) =>
      tvxCommands(file).flatMap((c) =>
        commandProblems(program, shellWords(c.text)).map((p) => `${where(root, file.path, c.line)}: ${p}`),
      ),
    );
    expect(problems).toEqual([]);
  });
});
