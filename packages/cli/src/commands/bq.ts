import { loadBreastCancerTable, plainRow, runQueryJob } from '@terra-vertex/automl-bqml';
import { bigQueryClient, resolveConfig, toBigQueryError, ValidationError } from '@terra-vertex/core';
import type { Command } from 'commander';
import { type GlobalOptions, print, table } from '../output.ts';
import { collect } from './options.ts';

type Globals = () => GlobalOptions;

const PARAM_TYPES = [
  'STRING',
  'INT64',
  'FLOAT64',
  'NUMERIC',
  'BIGNUMERIC',
  'BOOL',
  'DATE',
  'DATETIME',
  'TIME',
  'TIMESTAMP',
  'BYTES',
  'JSON',
];
const ALIASES: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL' };

/** `['n=5:INT64', 's=a:b']` → named query parameters and their types (STRING when no known type follows). */
export function parseParams(list: string[] | undefined): {
  params: Record<string, string | number | boolean>;
  types: Record<string, string>;
} {
  const params: Record<string, string | number | boolean> = {};
  const types: Record<string, string> = {};
  for (const entry of list ?? []) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, Math.max(eq, 0));
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new ValidationError(
        '--param',
        `${JSON.stringify(entry)} is not NAME=VALUE[:TYPE]`,
        'Write it as --param limit=10:INT64 (NAME: letters, digits, underscores).',
      );
    let value = entry.slice(eq + 1);
    let type = 'STRING';
    const colon = value.lastIndexOf(':');
    const suffix = colon >= 0 ? value.slice(colon + 1).toUpperCase() : '';
    if (PARAM_TYPES.includes(suffix) || suffix in ALIASES) {
      type = ALIASES[suffix] ?? suffix;
      value = value.slice(0, colon);
    }
    let typed: string | number | boolean = value;
    if (type === 'INT64' || type === 'FLOAT64') {
      const n = Number(value);
      const bad = value.trim() === '' || !Number.isFinite(n) || (type === 'INT64' && !Number.isInteger(n));
      if (bad)
        throw new ValidationError(
          `--param ${name}`,
          `${JSON.stringify(value)} is not ${type}`,
          `Give a ${type === 'INT64' ? 'whole ' : ''}number.`,
        );
      typed = type === 'INT64' && !Number.isSafeInteger(n) ? value : n;
    } else if (type === 'BOOL') {
      if (!/^(true|false)$/i.test(value))
        throw new ValidationError(
          `--param ${name}`,
          `${JSON.stringify(value)} is not BOOL`,
          'Give true or false.',
        );
      typed = value.toLowerCase() === 'true';
    }
    params[name] = typed;
    types[name] = type;
  }
  return { params, types };
}

/** A cell for text output: strings as they are, NULL, everything else as JSON. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as a text table, CSV or JSON. */
export function formatRows(
  rows: Record<string, unknown>[],
  columns: string[],
  format: 'table' | 'csv' | 'json',
): string {
  const plain = rows.map((r) => plainRow(r));
  const cols = columns.length ? columns : Object.keys(plain[0] ?? {});
  if (format === 'json') return JSON.stringify(plain, null, 2);
  const body = plain.map((r) => cols.map((c) => cellText(r[c])));
  if (format === 'csv') return [cols, ...body].map((line) => line.map(csvCell).join(',')).join('\n');
  return rows.length ? table([cols, ...body]) : '(no rows)';
}

/** `tvx bq query|load-sample`: BigQuery from the command line, on the emulator or in the cloud. */
export function registerBq(program: Command, globals: Globals): void {
  const bq = program.command('bq').description('BigQuery: run queries, load the sample tables');

  bq.command('query')
    .description('run a GoogleSQL query (DDL, DML, BigQuery ML included) and print its rows')
    .argument('<sql>', 'the query, e.g. "SELECT * FROM `project.dataset.table` LIMIT 10"')
    .option(
      '--param <name=value[:TYPE]>',
      'named query parameter @name (repeatable; TYPE default STRING)',
      collect,
    )
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--max-rows <n>', 'print at most n rows', (v) => Number.parseInt(v, 10))
    .option('--dry-run', 'validate the query and report the bytes it would process, without running it')
    .action(
      async (sql: string, o: { param?: string[]; format: string; maxRows?: number; dryRun?: boolean }) => {
        const g = globals();
        const format = g.json ? 'json' : o.format;
        if (!['table', 'json', 'csv'].includes(format))
          throw new ValidationError(
            '--format',
            `${JSON.stringify(o.format)} is not a format`,
            'Use table, json or csv.',
          );
        if (o.maxRows !== undefined && (!Number.isInteger(o.maxRows) || o.maxRows < 0))
          throw new ValidationError(
            '--max-rows',
            `${o.maxRows} is not a row count`,
            'Give a whole number of at least 0.',
          );
        const { params, types } = parseParams(o.param);
        const config = await resolveConfig({ project: g.project });
        const client = await bigQueryClient(config);
        if (o.dryRun) {
          const hasParams = Object.keys(params).length > 0;
          const [job] = await client
            .createQueryJob({ query: sql, dryRun: true, ...(hasParams ? { params, types } : {}) })
            .catch((err: unknown) => {
              throw toBigQueryError(err, 'BigQuery dry run');
            });
          const stats = (job.metadata?.statistics ?? {}) as {
            totalBytesProcessed?: string;
            query?: { statementType?: string };
          };
          const bytes = Number(stats.totalBytesProcessed ?? 0);
          print(
            g,
            { dryRun: true, totalBytesProcessed: bytes, statementType: stats.query?.statementType },
            () =>
              `Query is valid${stats.query?.statementType ? ` (${stats.query.statementType})` : ''}: it would process ${bytes} bytes.`,
          );
          return;
        }
        const result = await runQueryJob(
          client,
          { query: sql, params, types },
          { context: 'BigQuery query', ...(o.maxRows !== undefined ? { maxRows: o.maxRows } : {}) },
        );
        const text = formatRows(result.rows, result.columns, format as 'table' | 'csv' | 'json');
        const statement = result.job.statementType;
        const more =
          result.totalRows !== undefined && result.totalRows > result.rows.length
            ? `\n(${result.rows.length} of ${result.totalRows} rows)`
            : '';
        const ddl = !result.columns.length && statement && statement !== 'SELECT';
        process.stdout.write(
          ddl && format === 'table'
            ? `${statement}${result.job.ddlOperationPerformed ? ` ${result.job.ddlOperationPerformed}` : ''} done (job ${result.job.jobId})\n`
            : `${text}${format === 'table' ? more : ''}\n`,
        );
      },
    );

  bq.command('load-sample')
    .description('load a sample table into BigQuery: breast-cancer (scikit-learn’s, 569 rows, no download)')
    .argument('<name>', 'breast-cancer')
    .requiredOption('--dataset <id>', 'dataset to load into (created when missing)')
    .option('--table <id>', 'table id', 'breast_cancer')
    .action(async (name: string, o: { dataset: string; table: string }) => {
      if (name !== 'breast-cancer')
        throw new ValidationError('sample', `${JSON.stringify(name)} is not a sample`, 'Use breast-cancer.');
      const g = globals();
      const r = await loadBreastCancerTable({
        dataset: o.dataset,
        table: o.table,
        ...(g.project ? { config: { project: g.project } } : {}),
      });
      const ref = `${r.table.projectId}.${r.table.datasetId}.${r.table.tableId}`;
      print(
        g,
        { table: ref, rows: r.rows },
        () => `Loaded ${r.rows} rows into ${ref} (label column: diagnosis).`,
      );
    });
}
