/**
 * tabledata.insertAll (per-row errors, skipInvalidRows, ignoreUnknownValues, insertId de-duplication) and
 * tabledata.list (paging, startIndex, selectedFields, int64 timestamps) on a real DuckDB warehouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../deps.ts';
import { type CatalogHarness, rowsOf, startCatalogHarness } from './test-support.ts';

let h: CatalogHarness;
const call = (method: string, url: string, body?: unknown) => h.call(method, url, body);

beforeAll(async () => {
  h = await startCatalogHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('tabledata', () => {
  beforeAll(async () => {
    await call('POST', 'datasets', { datasetReference: { datasetId: 'td' } });
    await call('POST', 'datasets/td/tables', {
      tableReference: { tableId: 'rows' },
      schema: {
        fields: [
          { name: 'id', type: 'INT64', mode: 'REQUIRED' },
          { name: 'score', type: 'FLOAT' },
          { name: 'amount', type: 'NUMERIC' },
          { name: 'ok', type: 'BOOL' },
          { name: 'ts', type: 'TIMESTAMP' },
          { name: 'tags', type: 'STRING', mode: 'REPEATED' },
          { name: 'r', type: 'RECORD', fields: [{ name: 'x', type: 'INT64' }] },
        ],
      },
    });
  });

  it('inserts rows, refusing a batch with a bad row unless skipInvalidRows', async () => {
    const rows = [
      {
        insertId: 'a',
        json: {
          id: '1',
          score: 1.5,
          amount: '12.5',
          ok: true,
          ts: '2024-01-02 03:04:05 UTC',
          tags: ['x', 'y'],
          r: { x: 7 },
        },
      },
      { insertId: 'b', json: { id: 'not-a-number', score: 2 } },
      { json: { id: 3, nope: 1 } },
      { json: { score: 4 } },
    ];
    const refused = await call('POST', 'datasets/td/tables/rows/insertAll', { rows });
    expect(refused.json.insertErrors).toEqual([
      { index: 0, errors: [{ reason: 'stopped', location: '', debugInfo: '', message: '' }] },
      {
        index: 1,
        errors: [
          {
            reason: 'invalid',
            location: 'id',
            debugInfo: '',
            message: 'Cannot convert value to integer (bad value): not-a-number',
          },
        ],
      },
      {
        index: 2,
        errors: [{ reason: 'invalid', location: 'nope', debugInfo: '', message: 'no such field: nope.' }],
      },
      {
        index: 3,
        errors: [
          { reason: 'invalid', location: 'id', debugInfo: '', message: 'Missing required field: id.' },
        ],
      },
    ]);
    expect((await call('GET', 'datasets/td/tables/rows/data')).json.totalRows).toBe('0');
    const skipped = await call('POST', 'datasets/td/tables/rows/insertAll', {
      rows,
      skipInvalidRows: true,
      ignoreUnknownValues: true,
    });
    expect((skipped.json.insertErrors as JsonObject[]).map((e) => e.index)).toEqual([1, 3]);
    // insertId 'a' was inserted: sending it again is de-duplicated.
    await call('POST', 'datasets/td/tables/rows/insertAll', { rows: [rows[0]] });
    const data = await call('GET', 'datasets/td/tables/rows/data?formatOptions.useInt64Timestamp=true');
    expect(data.json.totalRows).toBe('2');
    const [first] = rowsOf(data.json);
    // NUMERIC as a decimal string (BigQuery drops trailing zeros; compare the value).
    expect(Number(first?.[2])).toBe(12.5);
    expect(rowsOf(data.json).map((r) => [r[0], r[1], ...r.slice(3)])).toEqual([
      ['1', '1.5', 'true', '1704164645000000', [{ v: 'x' }, { v: 'y' }], { f: [{ v: '7' }] }],
      ['3', null, null, null, [], null],
    ]);
  });

  it('pages with maxResults, pageToken, startIndex and selectedFields', async () => {
    await call('POST', 'datasets/td/tables', {
      tableReference: { tableId: 'many' },
      schema: {
        fields: [
          { name: 'n', type: 'INTEGER' },
          { name: 's', type: 'STRING' },
        ],
      },
    });
    const rows = Array.from({ length: 25 }, (_, i) => ({ json: { n: i, s: `r${i}` } }));
    expect(
      (await call('POST', 'datasets/td/tables/many/insertAll', { rows })).json.insertErrors,
    ).toBeUndefined();
    const seen: unknown[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await call(
        'GET',
        `datasets/td/tables/many/data?maxResults=10${token ? `&pageToken=${token}` : ''}`,
      );
      expect(page.json.totalRows).toBe('25');
      seen.push(...rowsOf(page.json).map((r) => r[0]));
      token = page.json.pageToken as string | undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    const from = await call('GET', 'datasets/td/tables/many/data?startIndex=20&selectedFields=s');
    expect(rowsOf(from.json)).toEqual([['r20'], ['r21'], ['r22'], ['r23'], ['r24']]);
    expect((await call('GET', 'datasets/td/tables/many/data?selectedFields=zz')).status).toBe(400);
    const table = await call('GET', 'datasets/td/tables/many');
    expect(table.json.numRows).toBe('25');
    expect(Number(table.json.numBytes)).toBeGreaterThan(25 * 8);
  });
});
