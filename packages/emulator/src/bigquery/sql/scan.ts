/**
 * Just enough lexing of BigQuery SQL to find statement boundaries and matching parentheses outside strings,
 * quoted identifiers and comments (the translator does the real parsing; CREATE MODEL needs its head cut).
 */

/** Index just past the string, identifier or comment starting at `i`, or `i` when none starts there. */
function skipToken(sql: string, i: number): number {
  const c = sql[i];
  const next = sql[i + 1];
  if (c === '-' && next === '-') return lineEnd(sql, i);
  if (c === '#') return lineEnd(sql, i);
  if (c === '/' && next === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  if (c === '`') return closing(sql, i, '`');
  if (c === "'" || c === '"') {
    const triple = sql.startsWith(c.repeat(3), i);
    if (triple) {
      const end = sql.indexOf(c.repeat(3), i + 3);
      return end < 0 ? sql.length : end + 3;
    }
    return closing(sql, i, c);
  }
  return i;
}

function lineEnd(sql: string, i: number): number {
  const end = sql.indexOf('\n', i);
  return end < 0 ? sql.length : end + 1;
}

function closing(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === '\\') j += 2;
    else if (sql[j] === quote) return j + 1;
    else j++;
  }
  return sql.length;
}

/** The index of the `)` that closes the `(` at `open`, or -1. */
export function matchParen(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    const skipped = skipToken(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** The statements of a script, split at `;` outside strings and comments, blank ones dropped. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const skipped = skipToken(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (sql[i] === ';') {
      out.push(sql.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  out.push(sql.slice(start));
  return out.filter((s) => stripComments(s).trim() !== '');
}

/** The SQL with comments replaced by spaces (strings and identifiers kept). */
export function stripComments(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const skipped = skipToken(sql, i);
    if (skipped === i) {
      out += sql[i];
      i++;
      continue;
    }
    const c = sql[i];
    const isComment = c === '#' || (c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*');
    out += isComment ? ' ' : sql.slice(i, skipped);
    i = skipped;
  }
  return out;
}
