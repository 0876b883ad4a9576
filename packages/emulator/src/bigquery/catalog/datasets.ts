/**
 * datasets.insert/get/list/patch/update/delete: the DuckDB schema `"p.d"` is the dataset, its metadata
 * lives in the catalog store.
 */
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BigQueryDeps, JsonObject } from '../deps.ts';
import { BigQueryError, duplicate, invalid, notFound } from '../errors.ts';
import { quoteIdent } from '../warehouse.ts';
import { type CatalogContext, type DatasetMeta, defaultDatasetMeta } from './meta-store.ts';
import { datasetName, validateDatasetId } from './names.ts';

const DEFAULT_ACCESS: JsonObject[] = [
  { role: 'WRITER', specialGroup: 'projectWriters' },
  { role: 'OWNER', specialGroup: 'projectOwners' },
  { role: 'READER', specialGroup: 'projectReaders' },
];

/** A short etag over a JSON value. */
export function etagOf(value: unknown): string {
  return createHash('md5').update(JSON.stringify(value)).digest('base64');
}

/** 404 `Not found: Dataset p:d` unless the DuckDB schema exists. */
export async function requireDataset(
  deps: BigQueryDeps,
  conn: DuckDBConnection,
  projectId: string,
  datasetId: string,
): Promise<void> {
  if (!(await deps.warehouse.hasDataset(conn, projectId, datasetId)))
    throw notFound('Dataset', datasetName(projectId, datasetId));
}

/** The Dataset resource. */
export function datasetResource(projectId: string, datasetId: string, meta: DatasetMeta): JsonObject {
  const { tables: _tables, ...fields } = meta;
  return {
    kind: 'bigquery#dataset',
    etag: etagOf(fields),
    id: datasetName(projectId, datasetId),
    datasetReference: { datasetId, projectId },
    ...(meta.friendlyName !== undefined ? { friendlyName: meta.friendlyName } : {}),
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    ...(meta.labels && Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {}),
    ...(meta.defaultTableExpirationMs ? { defaultTableExpirationMs: meta.defaultTableExpirationMs } : {}),
    access: meta.access ?? DEFAULT_ACCESS,
    creationTime: meta.creationTime,
    lastModifiedTime: meta.lastModifiedTime,
    location: meta.location,
    type: 'DEFAULT',
  };
}

function labelsOf(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid(`${field} must be an object of string labels.`);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(k))
      throw invalid(
        `Label key ${JSON.stringify(k)} in ${field} is invalid: use 1-63 lowercase letters, digits, _ or -, starting with a letter.`,
      );
    if (v === null) continue;
    if (typeof v !== 'string' || v.length > 63)
      throw invalid(`Label ${k} in ${field} must have a string value of at most 63 characters.`);
    labels[k] = v;
  }
  return labels;
}

/** Applies the settable fields of a Dataset body; `replace` (update) clears those the body omits. */
function applyDatasetBody(meta: DatasetMeta, body: JsonObject, replace: boolean): DatasetMeta {
  const next: DatasetMeta = { ...meta };
  if (typeof body.location === 'string' && body.location.toUpperCase() !== meta.location.toUpperCase())
    throw invalid(
      `Cannot change the location of a dataset (it is ${meta.location}). Create a new dataset in ${body.location}.`,
    );
  for (const key of ['description', 'friendlyName'] as const) {
    if (typeof body[key] === 'string') next[key] = body[key] as string;
    else if (body[key] === null || (replace && body[key] === undefined)) delete next[key];
  }
  if (body.labels !== undefined || replace) {
    const labels = labelsOf(body.labels, 'labels');
    if (replace || body.labels === null) next.labels = labels;
    else {
      const merged = { ...(meta.labels ?? {}), ...labels };
      for (const [k, v] of Object.entries(body.labels as Record<string, unknown>))
        if (v === null) delete merged[k];
      next.labels = merged;
    }
  }
  if (Array.isArray(body.access)) next.access = body.access as JsonObject[];
  else if (replace) delete next.access;
  if (body.defaultTableExpirationMs !== undefined) {
    if (body.defaultTableExpirationMs === null) delete next.defaultTableExpirationMs;
    else next.defaultTableExpirationMs = String(body.defaultTableExpirationMs);
  }
  next.lastModifiedTime = String(Date.now());
  return next;
}

/** datasets.insert. */
export async function insertDataset(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  projectId: string,
  body: JsonObject,
) {
  const ref = (body.datasetReference ?? {}) as JsonObject;
  const datasetId = validateDatasetId(ref.datasetId, 'datasetReference.datasetId');
  if (ref.projectId !== undefined && ref.projectId !== projectId)
    throw invalid(
      `datasetReference.projectId ${JSON.stringify(ref.projectId)} does not match the project in the URL (${projectId}).`,
    );
  if (await ctx.deps.warehouse.hasDataset(conn, projectId, datasetId))
    throw duplicate('Dataset', datasetName(projectId, datasetId));
  const created = defaultDatasetMeta();
  if (typeof body.location === 'string' && body.location !== '') created.location = body.location;
  const meta = applyDatasetBody(created, { ...body, location: undefined }, false);
  meta.lastModifiedTime = meta.creationTime;
  try {
    await conn.run(`CREATE SCHEMA ${ctx.deps.warehouse.schemaSql(projectId, datasetId)}`);
  } catch (err) {
    if (/already exists/i.test((err as Error).message))
      throw new BigQueryError(
        409,
        'duplicate',
        `Already Exists: Dataset ${datasetName(projectId, datasetId)} (the local BigQuery compares dataset IDs case-insensitively).`,
      );
    throw err;
  }
  await ctx.store.updateDataset(projectId, datasetId, () => meta);
  return datasetResource(projectId, datasetId, meta);
}

/** datasets.get. */
export async function getDataset(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  projectId: string,
  datasetId: string,
) {
  await requireDataset(ctx.deps, conn, projectId, datasetId);
  return datasetResource(projectId, datasetId, await ctx.store.ensureDataset(projectId, datasetId));
}

/** datasets.patch (`replace` false) and datasets.update (`replace` true). */
export async function patchDataset(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  projectId: string,
  datasetId: string,
  body: JsonObject,
  replace: boolean,
) {
  await requireDataset(ctx.deps, conn, projectId, datasetId);
  const meta = await ctx.store.updateDataset(projectId, datasetId, (m) =>
    applyDatasetBody(m ?? defaultDatasetMeta(), body, replace),
  );
  return datasetResource(projectId, datasetId, meta as DatasetMeta);
}

/** The dataset ids of a project, sorted. */
export async function datasetIds(conn: DuckDBConnection, projectId: string): Promise<string[]> {
  const r = await conn.runAndReadAll(
    'SELECT schema_name FROM information_schema.schemata WHERE starts_with(schema_name, $p) ORDER BY schema_name',
    { p: `${projectId}.` },
  );
  return r
    .getRowsJS()
    .map((row) => String(row[0]).slice(projectId.length + 1))
    .filter((d) => d !== '' && !d.includes('.'));
}

function matchesFilter(meta: DatasetMeta, filter: string | undefined): boolean {
  if (!filter) return true;
  return filter
    .split(/\s+(?:AND\s+)?/i)
    .filter(Boolean)
    .every((term) => {
      const m = /^labels\.([^:]+)(?::(.*))?$/.exec(term);
      if (!m)
        throw invalid(
          `Unsupported dataset filter ${JSON.stringify(term)}. Use labels.KEY or labels.KEY:VALUE.`,
        );
      const value = meta.labels?.[m[1] as string];
      return value !== undefined && (m[2] === undefined || value === m[2]);
    });
}

/** datasets.list items (unpaged): `all` includes hidden (`_`-prefixed) datasets, `filter` on labels. */
export async function listDatasets(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  projectId: string,
  opts: { all?: boolean; filter?: string },
) {
  const items: JsonObject[] = [];
  for (const datasetId of await datasetIds(conn, projectId)) {
    if (!opts.all && datasetId.startsWith('_')) continue;
    const meta = (await ctx.store.readDataset(projectId, datasetId)) ?? defaultDatasetMeta();
    if (!matchesFilter(meta, opts.filter)) continue;
    items.push({
      kind: 'bigquery#dataset',
      id: datasetName(projectId, datasetId),
      datasetReference: { datasetId, projectId },
      ...(meta.labels && Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {}),
      ...(meta.friendlyName !== undefined ? { friendlyName: meta.friendlyName } : {}),
      location: meta.location,
    });
  }
  return items;
}

/** datasets.delete; a non-empty dataset needs `deleteContents`. Also drops the dataset's BQML models. */
export async function deleteDataset(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  projectId: string,
  datasetId: string,
  deleteContents: boolean,
): Promise<void> {
  await requireDataset(ctx.deps, conn, projectId, datasetId);
  const r = await conn.runAndReadAll(
    'SELECT count(*) FROM information_schema.tables WHERE table_schema = $s',
    {
      s: `${projectId}.${datasetId}`,
    },
  );
  if (!deleteContents && Number(r.getRowsJS()[0]?.[0] ?? 0) > 0) {
    throw new BigQueryError(
      400,
      'resourceInUse',
      `Dataset ${datasetName(projectId, datasetId)} is still in use: it has tables. Delete them first, or pass deleteContents=true (force: true in the Node client).`,
    );
  }
  await conn.run(`DROP SCHEMA ${quoteIdent(`${projectId}.${datasetId}`)} CASCADE`);
  await ctx.deps.bqml.dropDatasetModels(projectId, datasetId);
  await ctx.store.updateDataset(projectId, datasetId, () => undefined);
}
