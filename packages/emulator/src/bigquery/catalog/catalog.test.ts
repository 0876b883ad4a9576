/**
 * The catalog routes on a real Fastify app and a real DuckDB warehouse: datasets and tables, through
 * `app.inject`, under both URL prefixes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../deps.ts';
import { type CatalogHarness, PROJECT as P, startCatalogHarness } from './test-support.ts';

let h: CatalogHarness;
const call = (method: string, url: string, body?: unknown) => h.call(method, url, body);

beforeAll(async () => {
  h = await startCatalogHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('datasets', () => {
  it('creates, gets, lists, patches and deletes', async () => {
    const created = await call('POST', 'datasets', {
      datasetReference: { datasetId: 'ds1' },
      labels: { team: 'a' },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      kind: 'bigquery#dataset',
      id: `${P}:ds1`,
      location: 'US',
      labels: { team: 'a' },
    });
    expect(Number(created.json.creationTime)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call('POST', 'datasets', { datasetReference: { datasetId: 'ds1' } })).json).toMatchObject({
      error: { code: 409, errors: [{ reason: 'duplicate' }] },
    });
    const bad = await call('POST', 'datasets', { datasetReference: { datasetId: 'bad-name' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({
      message: expect.stringMatching(/datasetReference.datasetId.*alphanumeric/),
    });
    await call('POST', 'datasets', { datasetReference: { datasetId: 'ds2' }, location: 'EU' });
    const list = await call('GET', 'datasets');
    expect((list.json.datasets as JsonObject[]).map((d) => d.id)).toEqual([`${P}:ds1`, `${P}:ds2`]);
    const filtered = await call('GET', 'datasets?filter=labels.team:a');
    expect((filtered.json.datasets as JsonObject[]).map((d) => d.id)).toEqual([`${P}:ds1`]);
    const paged = await call('GET', 'datasets?maxResults=1');
    expect(paged.json.nextPageToken).toBeTruthy();
    const page2 = await call('GET', `datasets?maxResults=1&pageToken=${paged.json.nextPageToken}`);
    expect((page2.json.datasets as JsonObject[])[0]?.id).toBe(`${P}:ds2`);
    const patched = await call('PATCH', 'datasets/ds1', {
      description: 'hello',
      labels: { team: null, x: 'y' },
    });
    expect(patched.json).toMatchObject({ description: 'hello', labels: { x: 'y' } });
    expect((await call('GET', `/projects/${P}/datasets/ds2`)).json.location).toBe('EU');
    expect((await call('PATCH', 'datasets/ds2', { location: 'US' })).json.error).toMatchObject({ code: 400 });
    expect((await call('GET', 'datasets/nope')).json.error).toMatchObject({
      code: 404,
      message: `Not found: Dataset ${P}:nope`,
    });
  });

  it('refuses to delete a dataset with tables unless deleteContents', async () => {
    await call('POST', 'datasets', { datasetReference: { datasetId: 'full' } });
    await call('POST', 'datasets/full/tables', {
      tableReference: { tableId: 't' },
      schema: { fields: [{ name: 'a', type: 'INT64' }] },
    });
    const refused = await call('DELETE', 'datasets/full');
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ errors: [{ reason: 'resourceInUse' }] });
    expect((refused.json.error as JsonObject).message).toMatch(/deleteContents/);
    expect((await call('DELETE', 'datasets/full?deleteContents=true')).status).toBe(204);
    expect(h.dropped).toContain(`${P}.full`);
    expect((await call('GET', 'datasets/full')).status).toBe(404);
  });
});

describe('tables', () => {
  beforeAll(async () => {
    await call('POST', 'datasets', { datasetReference: { datasetId: 'tb' } });
  });

  it('creates a nested table and reports its resource', async () => {
    const fields = [
      { name: 'id', type: 'INTEGER', mode: 'REQUIRED', description: 'the key' },
      { name: 'name', type: 'STRING' },
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      {
        name: 'addr',
        type: 'RECORD',
        fields: [
          { name: 'city', type: 'STRING' },
          { name: 'zip', type: 'INT64' },
        ],
      },
      { name: 'ts', type: 'TIMESTAMP' },
    ];
    const created = await call('POST', 'datasets/tb/tables', {
      tableReference: { projectId: P, datasetId: 'tb', tableId: 'people' },
      schema: { fields },
      description: 'people',
      labels: { env: 'test' },
    });
    expect(created.json.error).toBeUndefined();
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      kind: 'bigquery#table',
      id: `${P}:tb.people`,
      tableReference: { projectId: P, datasetId: 'tb', tableId: 'people' },
      type: 'TABLE',
      numRows: '0',
      location: 'US',
      description: 'people',
      labels: { env: 'test' },
    });
    expect((created.json.schema as { fields: unknown }).fields).toEqual([
      { name: 'id', type: 'INTEGER', mode: 'REQUIRED', description: 'the key' },
      { name: 'name', type: 'STRING', mode: 'NULLABLE' },
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      {
        name: 'addr',
        type: 'RECORD',
        mode: 'NULLABLE',
        fields: [
          { name: 'city', type: 'STRING', mode: 'NULLABLE' },
          { name: 'zip', type: 'INTEGER', mode: 'NULLABLE' },
        ],
      },
      { name: 'ts', type: 'TIMESTAMP', mode: 'NULLABLE' },
    ]);
    expect(typeof created.json.etag).toBe('string');
    expect(
      (
        await call('POST', 'datasets/tb/tables', {
          tableReference: { tableId: 'people' },
          schema: { fields },
        })
      ).status,
    ).toBe(409);
  });

  it('validates ids, schemas and the model namespace', async () => {
    const badId = await call('POST', 'datasets/tb/tables', {
      tableReference: { tableId: 'a.b' },
      schema: { fields: [{ name: 'a', type: 'STRING' }] },
    });
    expect((badId.json.error as JsonObject).message).toMatch(/tableReference.tableId/);
    const badType = await call('POST', 'datasets/tb/tables', {
      tableReference: { tableId: 'x' },
      schema: { fields: [{ name: 'a', type: 'WHAT' }] },
    });
    expect((badType.json.error as JsonObject).message).toMatch(/Field a has type WHAT/);
    const dup = await call('POST', 'datasets/tb/tables', {
      tableReference: { tableId: 'x' },
      schema: {
        fields: [
          { name: 'a', type: 'STRING' },
          { name: 'A', type: 'STRING' },
        ],
      },
    });
    expect((dup.json.error as JsonObject).message).toMatch(/Duplicate field name "A"/);
    const noSchema = await call('POST', 'datasets/tb/tables', { tableReference: { tableId: 'x' } });
    expect((noSchema.json.error as JsonObject).message).toMatch(/schema.fields/);
    const model = await call('POST', 'datasets/tb/tables', {
      tableReference: { tableId: 'taken_model' },
      schema: { fields: [{ name: 'a', type: 'STRING' }] },
    });
    expect(model.status).toBe(409);
    expect((model.json.error as JsonObject).message).toMatch(/Model/);
    expect((await call('GET', 'datasets/tb/tables/missing')).json.error).toMatchObject({
      code: 404,
      message: `Not found: Table ${P}:tb.missing`,
    });
  });

  it('patches, lists and deletes', async () => {
    const fields = [{ name: 'a', type: 'INTEGER', mode: 'REQUIRED' }];
    await call('POST', 'datasets/tb/tables', { tableReference: { tableId: 'p1' }, schema: { fields } });
    const patched = await call('PATCH', 'datasets/tb/tables/p1', {
      description: 'd',
      schema: {
        fields: [
          { name: 'a', type: 'INTEGER', mode: 'NULLABLE', description: 'A' },
          { name: 'b', type: 'STRING' },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      description: 'd',
      schema: {
        fields: [
          { name: 'a', mode: 'NULLABLE', description: 'A' },
          { name: 'b', type: 'STRING' },
        ],
      },
    });
    const retype = await call('PATCH', 'datasets/tb/tables/p1', {
      schema: {
        fields: [
          { name: 'a', type: 'STRING' },
          { name: 'b', type: 'STRING' },
        ],
      },
    });
    expect((retype.json.error as JsonObject).message).toMatch(
      /Field a has changed type from INTEGER to STRING/,
    );
    const dropField = await call('PUT', 'datasets/tb/tables/p1', {
      schema: { fields: [{ name: 'a', type: 'INTEGER' }] },
    });
    expect((dropField.json.error as JsonObject).message).toMatch(/Field b is missing in new schema/);
    const list = await call('GET', 'datasets/tb/tables');
    expect((list.json.tables as JsonObject[]).map((t) => t.id)).toEqual(
      expect.arrayContaining([`${P}:tb.p1`, `${P}:tb.people`]),
    );
    expect(list.json).toMatchObject({ kind: 'bigquery#tableList' });
    expect((await call('DELETE', 'datasets/tb/tables/p1')).status).toBe(204);
    expect((await call('GET', 'datasets/tb/tables/p1')).status).toBe(404);
  });
});
