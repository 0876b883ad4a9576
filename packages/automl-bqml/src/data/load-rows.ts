import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigQueryLocation, toBigQueryError } from '@terra-vertex/core';
import { parseTableRef, type TableRef, validateDatasetId, validateTableId } from '../bqml/identifiers.ts';
import { type BigQueryTarget, resolveTarget } from '../bqml/jobs.ts';

/**
 * Where a table loader ({@link loadBreastCancerTable}, {@link loadDigitsTable}) loads: a dataset (created when
 * missing) and a table (rows replaced).
 */
export interface RowsTableTarget extends BigQueryTarget {
  /** Dataset id, created (in `BIGQUERY_LOCATION`, default US) when missing. */
  dataset: string;
  /** Table id; its rows are replaced when it exists. */
  table?: string;
  /** Project of the dataset (default the client's). */
  project?: string;
}

/**
 * Loads `rows` into `project.dataset.table` with a load job from a local NDJSON file (the client's multipart
 * upload), creating the dataset and the table as needed and replacing earlier rows. `what` names the data in
 * errors; `defaultTable` is the table id when `target.table` is not given.
 */
export async function loadRowsTable(
  target: RowsTableTarget,
  defaultTable: string,
  schema: { name: string; type: string; mode: string }[],
  rows: () => Promise<readonly object[]>,
  what: string,
): Promise<{ table: TableRef; rows: number }> {
  const resolved = await resolveTarget(target);
  const ref = parseTableRef({
    projectId: target.project ?? resolved.project,
    datasetId: validateDatasetId(target.dataset, 'dataset'),
    tableId: validateTableId(target.table ?? defaultTable, 'table'),
  });
  const fields = { fields: schema };
  const dataset = resolved.bigquery.dataset(ref.datasetId, { projectId: ref.projectId });
  const dir = await mkdtemp(join(tmpdir(), 'tvx-load-rows-'));
  try {
    const data = await rows();
    const [exists] = await dataset.exists();
    if (!exists)
      await dataset
        .create({ location: resolved.location ?? bigQueryLocation() })
        .catch((err: { code?: number }) => {
          if (err.code !== 409) throw err; // created meanwhile
        });
    const table = dataset.table(ref.tableId);
    const [tableExists] = await table.exists();
    if (!tableExists) await dataset.createTable(ref.tableId, { schema: fields });
    const file = join(dir, `${ref.tableId}.json`);
    await writeFile(file, `${data.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const [job] = await table.load(file, {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: fields,
      writeDisposition: 'WRITE_TRUNCATE',
    });
    if (job.status?.errorResult) throw job.status.errorResult;
    const [meta] = await table.getMetadata();
    return { table: ref, rows: Number(meta.numRows ?? job.statistics?.load?.outputRows ?? Number.NaN) };
  } catch (err) {
    throw toBigQueryError(err, `loading the ${what} table ${ref.projectId}.${ref.datasetId}.${ref.tableId}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
