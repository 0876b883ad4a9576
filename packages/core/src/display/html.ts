/**
 * HTML for notebooks: escaping and tables. Pure functions returning strings; show them with
 * `tslab.display.html(…)` or {@link showHtml}.
 */

/** Trusted HTML to place in a table cell as is (everything else is escaped). */
export interface RawHtml {
  readonly html: string;
}

/** Marks `html` as trusted so {@link htmlTable} does not escape it (e.g. a badge or a link). */
export function rawHtml(html: string): RawHtml {
  return { html };
}

function isRawHtml(value: unknown): value is RawHtml {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as RawHtml).html === 'string'
  );
}

/** Escapes `& < > " '` so any text can be placed in HTML content or attributes. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Text of a value for a table cell: integers as is, other numbers with 4 significant digits, dates in ISO
 * form, `null`/`undefined` empty, arrays joined with `, `, objects as JSON.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(4)));
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Options of {@link htmlTable}. */
export interface HtmlTableOptions {
  /** Keys to show, in order (default: every key of every row, in first-seen order). */
  columns?: string[];
  /** Header text per key (default: the key). */
  headers?: Record<string, string>;
  /** Shown above the table. */
  caption?: string;
  /** Rows beyond this are dropped, with a note in the last row (default: all rows). */
  maxRows?: number;
  /** Cell text for a value (default {@link formatValue}); the result is escaped. */
  format?: (value: unknown, column: string) => string;
}

const TABLE_STYLE = 'border-collapse:collapse;font-size:13px';
const CELL_STYLE = 'border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top';

function cell(tag: 'td' | 'th', content: string, style = '', attributes = ''): string {
  return `<${tag}${attributes} style="${CELL_STYLE}${style}">${content}</${tag}>`;
}

function columnsOf(rows: readonly object[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/**
 * An HTML table of `rows` (one object per row, e.g. interfaces or records). Values are escaped, except
 * {@link rawHtml} ones; numbers are right-aligned.
 *
 * @example
 * tslab.display.html(htmlTable([{ replica: 'workerpool0-0', rank: 0 }], { caption: 'Replicas' }));
 */
export function htmlTable(rows: readonly object[], options: HtmlTableOptions = {}): string {
  const columns = options.columns ?? columnsOf(rows);
  const format = options.format ?? formatValue;
  const shown = options.maxRows === undefined ? rows : rows.slice(0, options.maxRows);
  const head = columns.map((c) => cell('th', escapeHtml(options.headers?.[c] ?? c))).join('');
  const body = shown.map((row) => {
    const cells = columns.map((c) => {
      const value = (row as Record<string, unknown>)[c];
      if (isRawHtml(value)) return cell('td', value.html);
      const numeric = typeof value === 'number' ? ';text-align:right' : '';
      return cell('td', escapeHtml(format(value, c)), numeric);
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  if (shown.length < rows.length) {
    const note = `… ${rows.length - shown.length} more row(s)`;
    body.push(`<tr>${cell('td', escapeHtml(note), ';color:#666', ` colspan="${columns.length}"`)}</tr>`);
  }
  const caption = options.caption
    ? `<caption style="text-align:left;font-weight:bold;padding:4px 0">${escapeHtml(options.caption)}</caption>`
    : '';
  return `<table style="${TABLE_STYLE}">${caption}<thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** A two-column table of a record's entries (`undefined` values are left out). */
export function keyValueTable(
  record: Readonly<Record<string, unknown>>,
  options: { caption?: string; headers?: [string, string] } = {},
): string {
  const [key, value] = options.headers ?? ['setting', 'value'];
  const rows = Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({ key: k, value: v }));
  return htmlTable(rows, { columns: ['key', 'value'], headers: { key, value }, caption: options.caption });
}
