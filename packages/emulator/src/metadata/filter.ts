/**
 * The subset of AIP-160 list filters that Vertex ML Metadata documents (metadata_service.proto,
 * `ListContextsRequest.filter` …) and the Python SDK sends: comparisons (`= != < <= > >=`), the has
 * operator `:`, `AND`, `OR`, `NOT` / `-`, parentheses (nested at most 5 deep), field paths with quoted
 * segments (`metadata."field:1".number_value`) and function calls (`in_context("…")`).
 *
 * Hand-written because no maintained AIP-160 parser exists on npm, and a parser generator would add a
 * dependency for a grammar this small.
 */
import { invalidArgument } from '../vertex/rpc-error.ts';

/** A literal on the right of a comparison or in a call. */
export type FilterValue =
  | { type: 'string'; text: string }
  | { type: 'number'; value: number; text: string }
  | { type: 'bool'; value: boolean; text: string }
  | { type: 'text'; text: string };

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':';

/** A parsed filter. */
export type FilterNode =
  | { kind: 'and'; items: FilterNode[] }
  | { kind: 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode }
  | { kind: 'compare'; path: string[]; op: ComparisonOp; value: FilterValue }
  | { kind: 'call'; name: string; args: FilterValue[] };

type Token =
  | { t: 'string'; v: string; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; v: ''; at: number };

const MAX_DEPTH = 5;
const OPS = ['!=', '<=', '>=', '=', '<', '>', ':', '(', ')', ',', '.', '-'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        v += text[j];
        j++;
      }
      if (j >= text.length) throw bad(text, i, 'this string is not closed');
      tokens.push({ t: 'string', v, at: i });
      i = j + 1;
      continue;
    }
    // A bare value starting with a digit runs to the next space or parenthesis, so that unquoted
    // RFC-3339 times (`update_time <= 2020-11-19T11:30:00-04:00`, as the proto documents) stay whole.
    const bare = /^(\d[\w.:+-]*|[A-Za-z_][\w]*)/.exec(text.slice(i));
    if (bare) {
      tokens.push({ t: 'word', v: bare[0], at: i });
      i += bare[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw bad(text, i, `unexpected character ${JSON.stringify(c)}`);
    tokens.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  tokens.push({ t: 'end', v: '', at: text.length });
  return tokens;
}

function bad(text: string, at: number, why: string) {
  return invalidArgument(
    `filter ${JSON.stringify(text)} is not valid at character ${at + 1}: ${why}. ` +
      'Write it as AIP-160, e.g. schema_title="system.ExperimentRun" AND parent_contexts:"projects/…/contexts/my-experiment".',
  );
}

/** Parses a filter; throws INVALID_ARGUMENT (naming the position) when it is not in the supported subset. */
export function parseFilter(text: string): FilterNode | undefined {
  if (!text.trim()) return undefined;
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  const isKeyword = (v: string) => peek().t === 'word' && peek().v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw bad(text, peek().at, `expected "${v}"`);
    next();
  };

  const parseOr = (depth: number): FilterNode => {
    const items = [parseAnd(depth)];
    while (isKeyword('OR')) {
      next();
      items.push(parseAnd(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const startsTerm = () => {
    const tok = peek();
    if (tok.t === 'end' || (tok.t === 'op' && tok.v === ')') || (tok.t === 'word' && tok.v === 'OR'))
      return false;
    return true;
  };
  const parseAnd = (depth: number): FilterNode => {
    const items = [parseUnary(depth)];
    // AIP-160: terms separated by whitespace alone are joined by AND.
    while (isKeyword('AND') || startsTerm()) {
      if (isKeyword('AND')) next();
      items.push(parseUnary(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseUnary = (depth: number): FilterNode => {
    if (isKeyword('NOT') || isOp('-')) {
      next();
      return { kind: 'not', item: parseUnary(depth) };
    }
    if (isOp('(')) {
      if (depth >= MAX_DEPTH)
        throw bad(text, peek().at, `expressions may be nested at most ${MAX_DEPTH} deep`);
      next();
      const inner = parseOr(depth + 1);
      expect(')');
      return inner;
    }
    return parseTerm();
  };
  const parseSegment = (): string => {
    const tok = next();
    if (tok.t === 'word' || tok.t === 'string') return tok.v;
    throw bad(text, tok.at, 'expected a field name');
  };
  const parseValue = (): FilterValue => {
    const tok = next();
    if (tok.t === 'string') return { type: 'string', text: tok.v };
    if (tok.t === 'op' && tok.v === '-' && peek().t === 'word') return literal(`-${next().v}`);
    if (tok.t === 'word') return literal(tok.v);
    throw bad(text, tok.at, 'expected a value (quote text values: "…")');
  };
  const parseTerm = (): FilterNode => {
    const start = peek();
    const path = [parseSegment()];
    if (isOp('(') && start.t === 'word') {
      next();
      const args: FilterValue[] = [];
      while (!isOp(')')) {
        args.push(parseValue());
        if (!isOp(')')) expect(',');
      }
      next();
      return { kind: 'call', name: path[0]!, args };
    }
    while (isOp('.')) {
      next();
      path.push(parseSegment());
    }
    const op = peek();
    if (op.t !== 'op' || !['=', '!=', '<', '<=', '>', '>=', ':'].includes(op.v))
      throw bad(text, op.at, `expected an operator (= != < <= > >= :) after ${path.join('.')}`);
    next();
    return { kind: 'compare', path, op: op.v as ComparisonOp, value: parseValue() };
  };

  const tree = parseOr(0);
  if (peek().t !== 'end') throw bad(text, peek().at, 'unexpected text after the end of the expression');
  return tree;
}

function literal(word: string): FilterValue {
  if (word === 'true' || word === 'false') return { type: 'bool', value: word === 'true', text: word };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(word)) return { type: 'number', value: Number(word), text: word };
  return { type: 'text', text: word };
}

/** The text of a literal (strings unquoted). */
export function valueText(v: FilterValue): string {
  return v.text;
}
