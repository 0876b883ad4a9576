/**
 * The catalog of the local BigQuery as REST v2 routes: datasets, tables, tabledata.list and
 * tabledata.insertAll. Paths are relative; the host mounts them under `/bigquery/v2` (what `apiEndpoint`
 * gives the Node client) and at the root (what `BIGQUERY_EMULATOR_HOST` gives).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BigQueryDeps, JsonObject } from '../deps.ts';
import { installJsonApi } from '../http.ts';
import type { TableRef } from '../types.ts';
import { deleteDataset, etagOf, getDataset, insertDataset, listDatasets, patchDataset } from './datasets.ts';
import {
  bodyObject,
  boolParam,
  intParam,
  pageOffset,
  pageToken,
  queryParam,
  withConnection,
} from './http.ts';
import { catalogContext } from './meta-store.ts';
import { validateDatasetId, validateProjectId, validateTableId } from './names.ts';
import { insertAll, listTableData } from './tabledata.ts';
import { deleteTable, getTable, insertTable, listTables, patchTable } from './tables.ts';

interface DatasetParams {
  projectId: string;
  datasetId: string;
}
interface TableParams extends DatasetParams {
  tableId: string;
}

function datasetParams(request: FastifyRequest): DatasetParams {
  const p = request.params as DatasetParams;
  return {
    projectId: validateProjectId(p.projectId, 'the URL'),
    datasetId: validateDatasetId(p.datasetId, 'the URL'),
  };
}

function tableParams(request: FastifyRequest): TableRef {
  const p = request.params as TableParams;
  return { ...datasetParams(request), tableId: validateTableId(p.tableId, 'the URL') };
}

/** One page of `items` by `maxResults`/`pageToken`. */
function page<T>(request: FastifyRequest, items: T[]): { items: T[]; nextPageToken?: string } {
  const offset = pageOffset(queryParam(request, 'pageToken'));
  const max = intParam(request, 'maxResults') ?? 1000;
  const slice = items.slice(offset, offset + max);
  const next = offset + slice.length;
  return { items: slice, ...(next < items.length ? { nextPageToken: pageToken(next) } : {}) };
}

/**
 * Registers the dataset, table and tabledata routes (paths relative to the caller's prefix) in their own
 * encapsulated scope, with JSON bodies and BigQuery-shaped errors.
 */
export function catalogRoutes(scope: FastifyInstance, deps: BigQueryDeps): void {
  const ctx = catalogContext(deps);
  scope.register(async (api) => {
    installJsonApi(api);
    const ds = '/projects/:projectId/datasets/:datasetId';
    const tb = `${ds}/tables/:tableId`;

    api.post('/projects/:projectId/datasets', async (request) => {
      const projectId = validateProjectId((request.params as DatasetParams).projectId, 'the URL');
      return withConnection(deps, (conn) => insertDataset(ctx, conn, projectId, bodyObject(request)));
    });
    api.get('/projects/:projectId/datasets', async (request) => {
      const projectId = validateProjectId((request.params as DatasetParams).projectId, 'the URL');
      const items = await withConnection(deps, (conn) =>
        listDatasets(ctx, conn, projectId, {
          all: boolParam(request, 'all'),
          filter: queryParam(request, 'filter'),
        }),
      );
      const { items: datasets, nextPageToken } = page(request, items);
      const body: JsonObject = { kind: 'bigquery#datasetList', etag: etagOf(datasets), datasets };
      if (nextPageToken) body.nextPageToken = nextPageToken;
      return body;
    });
    api.get(ds, async (request) => {
      const { projectId, datasetId } = datasetParams(request);
      return withConnection(deps, (conn) => getDataset(ctx, conn, projectId, datasetId));
    });
    for (const [method, replace] of [
      ['PATCH', false],
      ['PUT', true],
    ] as const) {
      api.route({
        method,
        url: ds,
        handler: async (request) => {
          const { projectId, datasetId } = datasetParams(request);
          return withConnection(deps, (conn) =>
            patchDataset(ctx, conn, projectId, datasetId, bodyObject(request), replace),
          );
        },
      });
      api.route({
        method,
        url: tb,
        handler: async (request) => {
          const ref = tableParams(request);
          return withConnection(deps, (conn) => patchTable(ctx, conn, ref, bodyObject(request), replace));
        },
      });
    }
    api.delete(ds, async (request, reply) => {
      const { projectId, datasetId } = datasetParams(request);
      const force = boolParam(request, 'deleteContents') ?? false;
      await withConnection(deps, (conn) => deleteDataset(ctx, conn, projectId, datasetId, force));
      return reply.code(204).send();
    });

    api.post(`${ds}/tables`, async (request) => {
      const { projectId, datasetId } = datasetParams(request);
      return withConnection(deps, (conn) =>
        insertTable(ctx, conn, projectId, datasetId, bodyObject(request)),
      );
    });
    api.get(`${ds}/tables`, async (request) => {
      const { projectId, datasetId } = datasetParams(request);
      const all = await withConnection(deps, (conn) => listTables(ctx, conn, projectId, datasetId));
      const { items: tables, nextPageToken } = page(request, all);
      const body: JsonObject = {
        kind: 'bigquery#tableList',
        etag: etagOf(tables),
        tables,
        totalItems: all.length,
      };
      if (nextPageToken) body.nextPageToken = nextPageToken;
      return body;
    });
    api.get(tb, async (request) => {
      const ref = tableParams(request);
      return withConnection(deps, (conn) => getTable(ctx, conn, ref));
    });
    api.delete(tb, async (request, reply) => {
      const ref = tableParams(request);
      await withConnection(deps, (conn) => deleteTable(ctx, conn, ref));
      return reply.code(204).send();
    });

    api.get(`${tb}/data`, async (request) => {
      const ref = tableParams(request);
      const startIndex = intParam(request, 'startIndex');
      const offset = startIndex ?? pageOffset(queryParam(request, 'pageToken'));
      return withConnection(deps, (conn) =>
        listTableData(ctx, conn, ref, {
          offset,
          maxResults: intParam(request, 'maxResults'),
          selectedFields: queryParam(request, 'selectedFields'),
          int64Timestamp: boolParam(request, 'formatOptions.useInt64Timestamp') ?? false,
        }),
      );
    });
    api.post(`${tb}/insertAll`, async (request) => {
      const ref = tableParams(request);
      return withConnection(deps, (conn) => insertAll(ctx, conn, ref, bodyObject(request)));
    });
  });
}
