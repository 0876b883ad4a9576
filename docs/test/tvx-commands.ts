/**
 * Finds the `tvx …` commands a Markdown file names (shell blocks and inline code) and checks each against the
 * real CLI (`buildProgram()`): every subcommand exists, and every `--option` is one the command (or `tvx`
 * itself) accepts. `a|b` in a subcommand's place names alternatives, each checked.
 */
import type { Command } from 'commander';
import { type Found, inlineCode, type MarkdownFile } from './markdown.ts';

/** Fenced block languages read as shell. */
const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', 'zsh']);

/** Every `tvx` command of a file: its words after `tvx`, and the line. */
export function tvxCommands(file: MarkdownFile): Found[] {
  const found: Found[] = [];
  for (const block of file.blocks) {
    if (!SHELL_LANGS.has(block.lang)) continue;
    const lines = block.code.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const start = i;
      let text = lines[i]!;
      while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]}`;
      for (const m of text.matchAll(/(?:^|[\s"'(;&|])tvx(?=\s|$|["')])/g))
        found.push({ text: text.slice(m.index + m[0].length), line: block.line + start });
    }
  }
  for (const code of inlineCode(file))
    if (/^tvx(\s|$)/.test(code.text)) found.push({ text: code.text.slice(3), line: code.line });
  return found;
}

/** Shell-like words up to the end of the command (`|`, `;`, `&`, `)`, a comment, or a bare `--`). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (';&)'.includes(c) || (c === '|' && !inWord) || (c === '#' && !inWord)) break;
    else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  const end = words.indexOf('--');
  return end === -1 ? words : words.slice(0, end);
}

/** Problems with one command's words (after `tvx`), checked against `program`; empty when it exists. */
export function commandProblems(program: Command, words: string[]): string[] {
  return walk(program, [program], words, 'tvx');
}

function walk(cmd: Command, path: Command[], words: string[], shown: string): string[] {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-')) {
      const option = findOption(path, word.split('=')[0]!);
      if (!option) return [`${shown}: no option ${word.split('=')[0]} (see \`${shown} --help\`)`];
      if ((option.required || option.optional) && !word.includes('=') && !word.startsWith('--no-')) i++;
      continue;
    }
    if (cmd.commands.length === 0) continue; // a positional argument of a leaf command
    const problems: string[] = [];
    for (const name of word.split('|')) {
      const sub = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (!sub) {
        const names = cmd.commands.map((c) => c.name()).join(', ');
        problems.push(`${shown}: no subcommand "${name}" (it has: ${names})`);
      } else problems.push(...walk(sub, [...path, sub], words.slice(i + 1), `${shown} ${name}`));
    }
    return problems;
  }
  return [];
}

/** The option a flag names on this command or one of its parents (`--help` is always there). */
function findOption(path: Command[], flag: string): { required?: boolean; optional?: boolean } | undefined {
  if (flag === '--help' || flag === '-h') return {};
  for (const cmd of path) {
    const option = cmd.options.find((o) => o.long === flag || o.short === flag);
    if (option) return option;
  }
  return undefined;
}
