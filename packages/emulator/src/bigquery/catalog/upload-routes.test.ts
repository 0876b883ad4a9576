/**
 * Local-file load jobs through the upload routes: multipart/related and resumable (chunked) uploads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogHarness, PROJECT as P, rowsOf, startCatalogHarness } from './test-support.ts';

let h: CatalogHarness;
const dest = (tableId: string) => ({ projectId: P, datasetId: 'up', tableId });
const data = async (tableId: string) =>
  rowsOf((await h.call('GET', `datasets/up/tables/${tableId}/data`)).json);
const PEOPLE = [
  { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
  { name: 'name', type: 'STRING' },
  { name: 'score', type: 'FLOAT' },
];

beforeAll(async () => {
  h = await startCatalogHarness();
  await h.call('POST', 'datasets', { datasetReference: { datasetId: 'up' } });
});

afterAll(async () => {
  await h?.close();
});

describe('upload loads', () => {
  const loadJob = (tableId: string) => ({
    configuration: {
      load: { destinationTable: dest(tableId), sourceFormat: 'CSV', schema: { fields: PEOPLE } },
    },
    jobReference: { projectId: P, jobId: `up_${tableId}` },
  });

  it('accepts multipart/related uploads', async () => {
    const boundary = 'b0undary';
    const body = `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(loadJob('up_multi'))}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n1,a,1\n2,b,2\n\r\n--${boundary}--`;
    const res = await h.app.inject({
      method: 'POST',
      url: `/upload/bigquery/v2/projects/${P}/jobs?uploadType=multipart`,
      headers: { 'content-type': `multipart/related; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      status: { state: 'DONE' },
      statistics: { load: { outputRows: '2', inputFiles: '1' } },
    });
    expect(await data('up_multi')).toEqual([
      ['1', 'a', '1'],
      ['2', 'b', '2'],
    ]);
  });

  it('accepts resumable uploads in chunks', async () => {
    const start = await h.app.inject({
      method: 'POST',
      url: `/upload/bigquery/v2/projects/${P}/jobs?uploadType=resumable`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(loadJob('up_res')),
    });
    expect(start.statusCode).toBe(200);
    const location = new URL(start.headers.location as string);
    const url = `${location.pathname}${location.search}`;
    const bytes = '1,a,1\n2,b,2\n3,c,3\n';
    const part1 = await h.app.inject({
      method: 'PUT',
      url,
      headers: { 'content-range': `bytes 0-5/${bytes.length}`, 'content-type': 'text/csv' },
      payload: bytes.slice(0, 6),
    });
    expect(part1.statusCode).toBe(308);
    expect(part1.headers.range).toBe('bytes=0-5');
    const part2 = await h.app.inject({
      method: 'PUT',
      url,
      headers: { 'content-range': `bytes 6-${bytes.length - 1}/${bytes.length}`, 'content-type': 'text/csv' },
      payload: bytes.slice(6),
    });
    expect(part2.statusCode).toBe(200);
    expect(JSON.parse(part2.body)).toMatchObject({ statistics: { load: { outputRows: '3' } } });
    expect(await data('up_res')).toHaveLength(3);
    const bad = await h.app.inject({
      method: 'POST',
      url: `/upload/bigquery/v2/projects/${P}/jobs?uploadType=media`,
      payload: 'x',
    });
    expect(JSON.parse(bad.body).error.message).toMatch(/multipart.*resumable/);
  });
});
