/**
 * The catalog through the official `@google-cloud/bigquery` client (never mocked), on the local BigQuery's
 * real routes and job service: datasets and tables, streaming inserts with a bad row, paged reads, loads
 * from the local Cloud Storage and from a local file (the client's upload), extract.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery, type GetRowsOptions, type RowsResponse } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import Fastify, { type FastifyInstance } from 'fastify';
import { PassThroughClient } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore, registerStorageRoutes } from '../../storage/index.ts';
import type { BqmlService } from '../bqml/bqml-service.ts';
import { JobService } from '../jobs/job-service.ts';
import { JobStore } from '../jobs/job-store.ts';
import { registerBigQueryRoutes } from '../routes.ts';
import { Warehouse } from '../warehouse.ts';

const projectId = 'cat-e2e';
let app: FastifyInstance;
let dataDir: string;
let warehouse: Warehouse;
let bq: BigQuery;
let storage: Storage;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tvx-bq-client-'));
  warehouse = await Warehouse.open(dataDir);
  const objects = new ObjectStore(join(dataDir, 'gcs'));
  const root = join(dataDir, 'bigquery');
  // BigQuery ML is another module; the catalog asks it only whether a model has a name and to drop models.
  const bqml = {
    hasModel: () => false,
    dropDatasetModels: async () => {},
    routes: () => {},
  } as unknown as BqmlService;
  const jobStore = new JobStore(root);
  const jobService = new JobService(jobStore);
  const deps = { warehouse, objects, root, bqml };
  jobService.attach(deps);
  app = Fastify();
  registerStorageRoutes(app, objects, { publicUrls: false });
  registerBigQueryRoutes(app, { ...deps, jobs: jobService, jobStore, jobService });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // As packages/core builds it for the emulator. Without an auth client that sets headers, the client's
  // local-file upload (teeny-request multipart) throws before sending when no credentials exist.
  bq = new BigQuery({
    apiEndpoint: endpoint,
    projectId,
    authClient: new PassThroughClient(),
    retryOptions: { autoRetry: false },
  });
  storage = new Storage({ apiEndpoint: endpoint, projectId });
  await storage.createBucket('lake');
}, 60_000);

afterAll(async () => {
  await app?.close();
  warehouse?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the catalog through @google-cloud/bigquery', () => {
  it('creates and reads datasets and tables', async () => {
    const [dataset] = await bq.createDataset('shop', { description: 'shop data' });
    expect(dataset.id).toBe('shop');
    const [meta] = await dataset.getMetadata();
    expect(meta).toMatchObject({
      description: 'shop data',
      location: 'US',
      datasetReference: { projectId, datasetId: 'shop' },
    });
    const [datasets] = await bq.getDatasets();
    expect(datasets.map((d) => d.id)).toContain('shop');
    const [table] = await dataset.createTable('items', {
      schema: {
        fields: [
          { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
          { name: 'name', type: 'STRING' },
          { name: 'price', type: 'NUMERIC' },
        ],
      },
      description: 'items',
    });
    const [tmeta] = await table.getMetadata();
    expect(tmeta).toMatchObject({
      type: 'TABLE',
      numRows: '0',
      description: 'items',
      id: `${projectId}:shop.items`,
    });
    const [tables] = await dataset.getTables();
    expect(tables.map((t) => t.id)).toEqual(['items']);
    expect((await dataset.table('nope').exists())[0]).toBe(false);
    await expect(bq.createDataset('shop')).rejects.toMatchObject({ code: 409 });
  });

  it('streams rows: a bad row fails its batch with per-row errors, then reads back in pages', async () => {
    const table = bq.dataset('shop').table('items');
    const error = await table
      .insert([
        { id: 1, name: 'pen', price: '1.25' },
        { id: 'two', name: 'cup' },
      ])
      .catch((e: unknown) => e);
    expect((error as { name: string }).name).toBe('PartialFailureError');
    const failures = (
      error as {
        errors: { row: unknown; errors: { reason: string; location?: string; message: string }[] }[];
      }
    ).errors;
    expect(failures.find((f) => (f.row as { id: unknown }).id === 'two')?.errors[0]).toMatchObject({
      reason: 'invalid',
      message: 'Cannot convert value to integer (bad value): two',
    });
    expect(failures.find((f) => (f.row as { id: unknown }).id === 1)?.errors[0]).toMatchObject({
      reason: 'stopped',
    });
    await table.insert(
      Array.from({ length: 12 }, (_, i) => ({ id: i, name: `item${i}`, price: String(i / 4) })),
    );
    const [rows] = await table.getRows();
    expect(rows).toHaveLength(12);
    expect(rows[3]).toMatchObject({ id: 3, name: 'item3' });
    expect(Number((rows[3] as { price: unknown }).price)).toBe(0.75);
    const ids: unknown[] = [];
    let query: GetRowsOptions | null | undefined = { maxResults: 5, autoPaginate: false };
    let pages = 0;
    while (query) {
      const [page, next]: RowsResponse = await table.getRows(query);
      ids.push(...page.map((r) => (r as { id: unknown }).id));
      query = next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const [meta] = await table.getMetadata();
    expect(meta.numRows).toBe('12');
  });

  it('loads CSV from the local Cloud Storage and truncates', async () => {
    const file = storage.bucket('lake').file('people.csv');
    await file.save('id,name\n1,ann\n2,bob\n');
    const table = bq.dataset('shop').table('people');
    const [job] = await table.load(file, { autodetect: true });
    expect(job.status?.errorResult).toBeUndefined();
    expect(job.statistics?.load).toMatchObject({ outputRows: '2', inputFiles: '1' });
    const [schema] = await table.getMetadata();
    expect(schema.schema.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
      ['id', 'INTEGER'],
      ['name', 'STRING'],
    ]);
    await table.load(file, { writeDisposition: 'WRITE_TRUNCATE', skipLeadingRows: 1 });
    const [rows] = await table.getRows();
    expect(rows).toEqual([
      { id: 1, name: 'ann' },
      { id: 2, name: 'bob' },
    ]);
  });

  it('loads a local file through the upload endpoint (table.load(path))', async () => {
    const path = join(dataDir, 'local.json');
    await writeFile(path, '{"id": 7, "tags": ["a", "b"]}\n{"id": 8, "tags": []}\n');
    const table = bq.dataset('shop').table('local');
    const [job] = await table.load(path, {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: {
        fields: [
          { name: 'id', type: 'INTEGER' },
          { name: 'tags', type: 'STRING', mode: 'REPEATED' },
        ],
      },
    });
    expect(job.status?.state).toBe('DONE');
    expect(job.statistics?.load?.outputRows).toBe('2');
    const [rows] = await table.getRows();
    expect(rows).toEqual([
      { id: 7, tags: ['a', 'b'] },
      { id: 8, tags: [] },
    ]);
  });

  it('reports too many bad records as a failed load job', async () => {
    const file = storage.bucket('lake').file('bad.csv');
    await file.save('1,ann\nnope,bob\n');
    const error = await bq
      .dataset('shop')
      .table('people')
      .load(file, { skipLeadingRows: 0 })
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/too many errors.*gs:\/\/lake\/bad\.csv line 2/);
  });

  it('extracts a table to the local Cloud Storage', async () => {
    const [job] = await bq
      .dataset('shop')
      .table('people')
      .extract(storage.bucket('lake').file('out/people-*.csv'));
    expect(job.status?.errorResult).toBeUndefined();
    const [bytes] = await storage.bucket('lake').file('out/people-000000000000.csv').download();
    expect(bytes.toString('utf8')).toBe('id,name\n1,ann\n2,bob\n');
  });

  it('deletes a dataset only with force', async () => {
    const dataset = bq.dataset('shop');
    await expect(dataset.delete()).rejects.toMatchObject({
      code: 400,
      message: expect.stringMatching(/still in use/),
    });
    await dataset.delete({ force: true });
    expect((await dataset.exists())[0]).toBe(false);
    expect(
      await readFile(join(dataDir, 'bigquery', 'catalog', projectId, 'shop.json')).catch(() => 'gone'),
    ).toBe('gone');
  });
});
