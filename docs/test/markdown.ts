/**
 * Just enough Markdown for the guides' checks: fenced code blocks, inline code, links and heading anchors,
 * each with the line it is on. Code (fenced or inline) is never read as links.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A fenced code block: its info string's first word, its text, and the file line of its first code line. */
export interface CodeBlock {
  lang: string;
  info: string;
  code: string;
  line: number;
}

/** Something found on a line of a Markdown file (a link target or an inline code span). */
export interface Found {
  text: string;
  line: number;
}

/** A Markdown file split into fenced code blocks and prose lines (blank where a line belongs to a block). */
export interface MarkdownFile {
  path: string;
  blocks: CodeBlock[];
  prose: string[];
}

/** Folders under docs/ that hold no hand-written Markdown. */
const SKIPPED_DIRS = new Set(['node_modules', 'api', 'test-results', 'test']);

/** Every `.md` file under `dir` (recursively), skipping generated and dependency folders. */
export function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...markdownFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith('.md')) out.push(join(dir, entry.name));
  }
  return out.sort();
}

/** Reads a Markdown file and separates its fenced code blocks (``` or ~~~) from its prose. */
export function parseMarkdown(path: string): MarkdownFile {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { fence: string; info: string; start: number; code: string[] } | undefined;
  lines.forEach((text, i) => {
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(text);
    if (open) {
      prose.push('');
      if (fence && fence[1]!.startsWith(open.fence) && fence[2]!.trim() === '') {
        const info = open.info.trim();
        blocks.push({ lang: info.split(/\s+/)[0] ?? '', info, code: open.code.join('\n'), line: open.start });
        open = undefined;
      } else open.code.push(text);
    } else if (fence) {
      prose.push('');
      open = { fence: fence[1]!, info: fence[2]!, start: i + 2, code: [] };
    } else prose.push(text);
  });
  if (open) throw new Error(`${path}:${open.start - 1}: a code fence is never closed`);
  return { path, blocks, prose };
}

/** Inline code spans (`…`) of the prose, in order. */
export function inlineCode(file: MarkdownFile): Found[] {
  return file.prose.flatMap((text, i) =>
    [...text.matchAll(/(`+)(.+?)\1/g)].map((m) => ({ text: m[2]!.trim(), line: i + 1 })),
  );
}

/** Link and image targets of the prose (`[text](target)`), inline code removed first. */
export function linkTargets(file: MarkdownFile): Found[] {
  return file.prose.flatMap((text, i) =>
    [...text.replace(/(`+).+?\1/g, '').matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
      (m) => ({ text: m[1]!, line: i + 1 }),
    ),
  );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings (`#`…`######`), numbered like GitHub's when repeated. */
export function headingAnchors(file: MarkdownFile): Set<string> {
  const anchors = new Set<string>();
  for (const text of file.prose) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!m) continue;
    const slug = headingSlug(m[1]!);
    let unique = slug;
    for (let n = 1; anchors.has(unique); n++) unique = `${slug}-${n}`;
    anchors.add(unique);
  }
  return anchors;
}

/** `file:line` relative to `root`, for messages. */
export function where(root: string, path: string, line: number): string {
  return `${relative(root, path)}:${line}`;
}
