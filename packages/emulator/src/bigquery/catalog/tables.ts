/**
 * tables.insert/get/list/patch/update/delete on DuckDB tables `"p.d"."t"`, with descriptions, labels and
 * times in the catalog store. Models share the table namespace: a table may not take a model's name.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { JsonObject } from '../deps.ts';
import { BigQueryError, duplicate, invalid, notFound } from '../errors.ts';
import type { TableFieldSchema, TableRef } from '../types.ts';
import { etagOf, requireDataset } from './datasets.ts';
import { type CatalogContext, defaultTableMeta, type TableMeta } from './meta-store.ts';
import { columnsSql, normalizeSchema, tableName, validateTableId } from './names.ts';
import { alterSchema, reportedSchema, tableStats } from './schema.ts';

/** `TABLE` for base tables, `VIEW` for views. */
export type TableType = 'TABLE' | 'VIEW';

/** The type of `p.d.t`, or `undefined` when it does not exist. */
export async function tableType(conn: DuckDBConnection, ref: TableRef): Promise<TableType | undefined> {
  const r = await conn.runAndReadAll(
    'SELECT table_type FROM information_schema.tables WHERE table_schema = $s AND table_name = $t',
    { s: `${ref.projectId}.${ref.datasetId}`, t: ref.tableId },
  );
  const type = r.getRowsJS()[0]?.[0];
  if (type === undefined) return undefined;
  return type === 'VIEW' ? 'VIEW' : 'TABLE';
}

/** The table's type; 404 `Not found: Dataset …` or `Not found: Table p:d.t` otherwise. */
export async function requireTable(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  ref: TableRef,
): Promise<TableType> {
  const type = await tableType(conn, ref);
  if (type) return type;
  await requireDataset(ctx.deps, conn, ref.projectId, ref.datasetId);
  throw notFound('Table', tableName(ref));
}

/** 409 when a BigQuery ML model already has the name `ref.tableId`. */
export function refuseModelName(ctx: CatalogContext, ref: TableRef): void {
  if (ctx.deps.bqml.hasModel({ projectId: ref.projectId, datasetId: ref.datasetId, modelId: ref.tableId })) {
    throw new BigQueryError(
      409,
      'duplicate',
      `Already Exists: Model ${tableName(ref)}. Tables and models share names within a dataset; choose another table name or drop the model.`,
    );
  }
}

/** Creates `p.d.t` with the (validated) fields and records its metadata. The dataset must exist. */
export async function createTable(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  ref: TableRef,
  fields: TableFieldSchema[],
  meta: Partial<TableMeta> = {},
): Promise<void> {
  refuseModelName(ctx, ref);
  try {
    await conn.run(`CREATE TABLE ${ctx.deps.warehouse.tableSql(ref)} (${columnsSql(fields)})`);
  } catch (err) {
    if (/already exists/i.test((err as Error).message)) {
      throw new BigQueryError(
        409,
        'duplicate',
        `Already Exists: Table ${tableName(ref)} (the local BigQuery compares table IDs case-insensitively).`,
      );
    }
    throw err;
  }
  await ctx.store.updateTable(ref, () => ({ ...defaultTableMeta(), ...meta, schema: fields }));
}

/** The table's metadata, created with defaults for tables made by SQL. */
async function tableMeta(ctx: CatalogContext, ref: TableRef): Promise<TableMeta> {
  const dataset = await ctx.store.readDataset(ref.projectId, ref.datasetId);
  const meta = dataset?.tables[ref.tableId];
  if (meta) return meta;
  return (await ctx.store.updateTable(ref, (m) => m ?? defaultTableMeta())) as TableMeta;
}

async function viewQuery(conn: DuckDBConnection, ref: TableRef): Promise<string> {
  const r = await conn.runAndReadAll(
    'SELECT sql FROM duckdb_views() WHERE schema_name = $s AND view_name = $t',
    {
      s: `${ref.projectId}.${ref.datasetId}`,
      t: ref.tableId,
    },
  );
  const sql = String(r.getRowsJS()[0]?.[0] ?? '');
  return sql.replace(/^CREATE VIEW .*? AS /is, '').replace(/;\s*$/, '');
}

/** tables.get: the Table resource with schema, numRows, numBytes and times. */
export async function getTable(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  ref: TableRef,
): Promise<JsonObject> {
  const type = await requireTable(ctx, conn, ref);
  const meta = await tableMeta(ctx, ref);
  const dataset = await ctx.store.ensureDataset(ref.projectId, ref.datasetId);
  const fields = await reportedSchema(ctx.deps.warehouse, conn, ref, meta.schema);
  const body: JsonObject = {
    kind: 'bigquery#table',
    id: tableName(ref),
    tableReference: { ...ref },
    schema: { fields },
    ...(meta.friendlyName !== undefined ? { friendlyName: meta.friendlyName } : {}),
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    ...(meta.labels && Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {}),
    ...(meta.expirationTime ? { expirationTime: meta.expirationTime } : {}),
    ...(meta.timePartitioning ? { timePartitioning: meta.timePartitioning } : {}),
    ...(meta.rangePartitioning ? { rangePartitioning: meta.rangePartitioning } : {}),
    ...(meta.clustering ? { clustering: meta.clustering } : {}),
    creationTime: meta.creationTime,
    lastModifiedTime: meta.lastModifiedTime,
    type,
    location: dataset.location,
  };
  if (type === 'VIEW') {
    body.view = { query: await viewQuery(conn, ref), useLegacySql: false };
  } else {
    const stats = await tableStats(ctx.deps.warehouse, conn, ref, fields);
    Object.assign(body, {
      numRows: String(stats.numRows),
      numBytes: String(stats.numBytes),
      numLongTermBytes: '0',
      numTotalLogicalBytes: String(stats.numBytes),
      numActiveLogicalBytes: String(stats.numBytes),
      numLongTermLogicalBytes: '0',
    });
  }
  return { ...body, etag: etagOf(body) };
}

function refuseUnsupported(body: JsonObject): void {
  if (body.view !== undefined)
    throw invalid(
      'Creating views through tables.insert is not supported by the local BigQuery. Run a CREATE VIEW query job instead.',
    );
  for (const key of [
    'materializedView',
    'externalDataConfiguration',
    'snapshotDefinition',
    'cloneDefinition',
  ]) {
    if (body[key] !== undefined)
      throw invalid(
        `${key} is not supported by the local BigQuery. Create a regular table with schema.fields.`,
      );
  }
}

/** Applies description, friendlyName, labels, expirationTime, partitioning fields of a Table body. */
function applyTableBody(meta: TableMeta, body: JsonObject, replace: boolean): TableMeta {
  const next: TableMeta = { ...meta };
  for (const key of ['description', 'friendlyName'] as const) {
    if (typeof body[key] === 'string') next[key] = body[key] as string;
    else if (body[key] === null || (replace && body[key] === undefined)) delete next[key];
  }
  if (body.labels !== undefined || replace) {
    const labels = { ...(replace ? {} : (meta.labels ?? {})) };
    for (const [k, v] of Object.entries((body.labels ?? {}) as Record<string, unknown>)) {
      if (v === null) delete labels[k];
      else if (typeof v === 'string') labels[k] = v;
      else throw invalid(`labels.${k} must be a string.`);
    }
    next.labels = labels;
  }
  if (body.expirationTime !== undefined) {
    if (body.expirationTime === null) delete next.expirationTime;
    else next.expirationTime = String(body.expirationTime);
  }
  for (const key of ['timePartitioning', 'rangePartitioning', 'clustering'] as const) {
    if (body[key] && typeof body[key] === 'object') next[key] = body[key] as JsonObject;
  }
  return next;
}

/** tables.insert: creates a table from `schema.fields` (views and external tables are refused). */
export async function insertTable(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  projectId: string,
  datasetId: string,
  body: JsonObject,
): Promise<JsonObject> {
  const given = (body.tableReference ?? {}) as JsonObject;
  const tableId = validateTableId(given.tableId, 'tableReference.tableId');
  if ((given.projectId ?? projectId) !== projectId || (given.datasetId ?? datasetId) !== datasetId)
    throw invalid(
      `tableReference (${given.projectId}:${given.datasetId}) does not match the URL (${projectId}:${datasetId}).`,
    );
  const ref = { projectId, datasetId, tableId };
  refuseUnsupported(body);
  await requireDataset(ctx.deps, conn, projectId, datasetId);
  if (await tableType(conn, ref)) throw duplicate('Table', tableName(ref));
  const schema = body.schema as { fields?: unknown } | undefined;
  if (!schema?.fields) {
    throw invalid(
      `Table ${tableName(ref)} has no schema. The local BigQuery needs schema.fields to create a table; or create it with a load job (schema or autodetect).`,
    );
  }
  const fields = normalizeSchema(schema.fields);
  await createTable(ctx, conn, ref, fields, applyTableBody(defaultTableMeta(), body, false));
  return getTable(ctx, conn, ref);
}

/** tables.patch (`replace` false) / tables.update (`replace` true). */
export async function patchTable(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  ref: TableRef,
  body: JsonObject,
  replace: boolean,
): Promise<JsonObject> {
  const type = await requireTable(ctx, conn, ref);
  if (body.view !== undefined && type === 'VIEW')
    throw invalid(
      'Changing a view query is not supported by the local BigQuery. Run CREATE OR REPLACE VIEW instead.',
    );
  refuseUnsupported({ ...body, view: undefined });
  const meta = await tableMeta(ctx, ref);
  let schema = meta.schema;
  const given = body.schema as { fields?: unknown } | undefined;
  if (given?.fields !== undefined) {
    if (type === 'VIEW') throw invalid('A view has no schema to patch. Change the view query instead.');
    const fields = normalizeSchema(given.fields);
    const current = await reportedSchema(ctx.deps.warehouse, conn, ref, meta.schema);
    await alterSchema(ctx.deps.warehouse, conn, ref, current, fields);
    schema = fields;
  }
  await ctx.store.updateTable(ref, (m) => ({
    ...applyTableBody(m ?? meta, body, replace),
    ...(schema ? { schema } : {}),
    lastModifiedTime: String(Date.now()),
  }));
  return getTable(ctx, conn, ref);
}

/** tables.list: the dataset's tables and views, sorted by id. */
export async function listTables(
  ctx: CatalogContext,
  conn: DuckDBConnection,
  projectId: string,
  datasetId: string,
): Promise<JsonObject[]> {
  await requireDataset(ctx.deps, conn, projectId, datasetId);
  const r = await conn.runAndReadAll(
    'SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = $s ORDER BY table_name',
    { s: `${projectId}.${datasetId}` },
  );
  const metas = (await ctx.store.readDataset(projectId, datasetId))?.tables ?? {};
  return r.getRowsJS().map(([name, kind]) => {
    const tableId = String(name);
    const meta = metas[tableId];
    const ref = { projectId, datasetId, tableId };
    return {
      kind: 'bigquery#table',
      id: tableName(ref),
      tableReference: ref,
      type: kind === 'VIEW' ? 'VIEW' : 'TABLE',
      ...(meta?.friendlyName !== undefined ? { friendlyName: meta.friendlyName } : {}),
      ...(meta?.labels && Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {}),
      ...(meta?.expirationTime ? { expirationTime: meta.expirationTime } : {}),
      ...(meta ? { creationTime: meta.creationTime } : {}),
    };
  });
}

/** tables.delete. */
export async function deleteTable(ctx: CatalogContext, conn: DuckDBConnection, ref: TableRef): Promise<void> {
  const type = await requireTable(ctx, conn, ref);
  await conn.run(`DROP ${type === 'VIEW' ? 'VIEW' : 'TABLE'} ${ctx.deps.warehouse.tableSql(ref)}`);
  await ctx.store.updateTable(ref, () => undefined);
}
