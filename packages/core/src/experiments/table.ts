import { formatValue, htmlTable, rawHtml } from '../display/html.ts';
import { showHtml } from '../display/notebook.ts';

/** One row of a table: column name to value. @inline */
type Row = Record<string, unknown>;

const FIXED: Record<string, number> = { experiment_name: -1, run_name: 1, run_type: 2, state: 3 };

/** Column order of the Python SDK's experiment data frame: names and state, then `param.*`, `metric.*`, the rest. */
export function sortColumns(rows: readonly Row[]): string[] {
  const seen: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!seen.includes(key)) seen.push(key);
  const rank = (key: string) =>
    FIXED[key] ?? (key.startsWith('param') ? 5 : key.startsWith('metric') ? 6 : 7);
  // Array.prototype.sort is stable: within a rank, columns keep first-seen order (as pandas' sorted()).
  return seen.sort((a, b) => rank(a) - rank(b));
}

/** Options of {@link experimentTableHtml}. */
export interface ExperimentTableOptions {
  /** Bold the best run per metric column: `{ 'metric.accuracy': 'max', 'metric.loss': 'min' }`. */
  best?: Record<string, 'max' | 'min'>;
  /** Leave out `experiment_name` and `run_type` (default true: the table has one experiment). */
  compact?: boolean;
  caption?: string;
}

/**
 * An HTML table comparing runs side by side: one row per run, one column per parameter and metric, the
 * best value of each `best` column in bold.
 *
 * @example
 * const rows = await getExperimentDf();
 * showHtml(experimentTableHtml(rows, { best: { 'metric.accuracy': 'max' } }));
 */
export function experimentTableHtml(rows: readonly Row[], options: ExperimentTableOptions = {}): string {
  const hidden = options.compact === false ? [] : ['experiment_name', 'run_type'];
  const columns = sortColumns(rows).filter((c) => !hidden.includes(c));
  const best = new Map<string, number>();
  for (const [column, dir] of Object.entries(options.best ?? {})) {
    const values = rows.map((r) => r[column]).filter((v): v is number => typeof v === 'number');
    if (values.length) best.set(column, dir === 'max' ? Math.max(...values) : Math.min(...values));
  }
  const cells = rows.map((row) =>
    Object.fromEntries(
      columns.map((c) => {
        const v = row[c];
        return [c, best.get(c) === v && v !== undefined ? rawHtml(`<b>${formatValue(v)}</b>`) : v];
      }),
    ),
  );
  const caption =
    options.caption ??
    (typeof rows[0]?.experiment_name === 'string'
      ? `Experiment ${rows[0].experiment_name}: ${rows.length} runs`
      : undefined);
  return htmlTable(cells, { columns, ...(caption ? { caption } : {}) });
}

/** Shows {@link experimentTableHtml} in a tslab notebook; returns false (and shows nothing) elsewhere. */
export function showExperimentTable(rows: readonly Row[], options: ExperimentTableOptions = {}): boolean {
  return showHtml(experimentTableHtml(rows, options));
}
