/**
 * The local BigQuery's SQL path through the official @google-cloud/bigquery client: the jobs.query fast path,
 * createQueryJob → getQueryResults → getMetadata, parameters, DML and DDL statistics, paging, errors, and
 * both URL forms (`apiEndpoint` and `BIGQUERY_EMULATOR_HOST`).
 */
import { BigQuery } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';

const projectId = 'demo-bq';
let emu: RunningEmulator;
let bq: BigQuery;

beforeAll(async () => {
  emu = await startEmulator();
  // PassThroughClient: no credentials lookup (it would probe for ADC on every request).
  bq = new BigQuery({
    apiEndpoint: emu.httpAddress,
    projectId,
    authClient: new PassThroughClient() as never,
  });
  await bq.createDataset('sales');
  await bq.query(
    'CREATE TABLE sales.orders AS SELECT i AS id, CAST(i % 3 AS STRING) AS region, i * 1.5 AS amount FROM UNNEST(GENERATE_ARRAY(0, 99)) AS i',
  );
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

describe('local BigQuery: SQL through the official client', () => {
  it('answers queries with typed rows and binds named parameters', async () => {
    const [rows] = await bq.query({
      query:
        'SELECT region, COUNT(*) AS n, SUM(amount) AS total FROM sales.orders WHERE id < @limit GROUP BY region ORDER BY region',
      params: { limit: 30 },
    });
    expect(rows).toEqual([
      { region: '0', n: 10, total: 1.5 * (0 + 3 + 6 + 9 + 12 + 15 + 18 + 21 + 24 + 27) },
      { region: '1', n: 10, total: 1.5 * (1 + 4 + 7 + 10 + 13 + 16 + 19 + 22 + 25 + 28) },
      { region: '2', n: 10, total: 1.5 * (2 + 5 + 8 + 11 + 14 + 17 + 20 + 23 + 26 + 29) },
    ]);
  });

  it('keeps a crafted parameter a value: no SQL injection', async () => {
    const [rows] = await bq.query({
      query: 'SELECT COUNT(*) AS n FROM `demo-bq.sales.orders` WHERE region = @region',
      params: { region: "0' OR '1'='1" },
    });
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('runs a query job and reports statistics on the job resource', async () => {
    const [job] = await bq.createQueryJob({
      query: 'SELECT id FROM sales.orders WHERE SAFE_CAST(region AS INT64) = 1 ORDER BY id',
    });
    const [rows] = await job.getQueryResults();
    expect(rows).toHaveLength(33);
    const [meta] = await job.getMetadata();
    expect(meta.status.state).toBe('DONE');
    expect(meta.statistics.query.statementType).toBe('SELECT');
    expect(Number(meta.statistics.totalBytesProcessed)).toBeGreaterThan(0);
  });

  it('names anonymous columns f0_, f1_ … and has BigQuery functions DuckDB lacks', async () => {
    const [rows] = await bq.query(
      "SELECT 1 + 1, IEEE_DIVIDE(-1, 0), FARM_FINGERPRINT('a') = FARM_FINGERPRINT('a') AS same",
    );
    expect(rows).toEqual([{ f0_: 2, f1_: -Infinity, same: true }]);
    const [dates] = await bq.query(
      "SELECT DATE_ADD(DATE '2024-01-31', INTERVAL 1 MONTH) AS a, EXTRACT(DAYOFWEEK FROM DATE '2024-01-07') AS sunday",
    );
    expect(dates).toEqual([{ a: bq.date('2024-02-29'), sunday: 1 }]);
    const [items] = await bq.query(
      'SELECT id, v, o FROM (SELECT 1 AS id, [7, 8] AS arr) AS t, UNNEST(t.arr) AS v WITH OFFSET AS o ORDER BY o',
    );
    expect(items).toEqual([
      { id: 1, v: 7, o: 0 },
      { id: 1, v: 8, o: 1 },
    ]);
  });

  it('pages through results', async () => {
    const [job] = await bq.createQueryJob({ query: 'SELECT id FROM sales.orders ORDER BY id' });
    const [page, next] = await job.getQueryResults({ maxResults: 40, autoPaginate: false });
    expect(page.map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(next).toMatchObject({ pageToken: '40' });
    const [all] = await job.getQueryResults();
    expect(all).toHaveLength(100);
  });

  it('reports DML and DDL as BigQuery does', async () => {
    const [insert] = await bq.createQueryJob({
      query: "INSERT INTO sales.orders (id, region, amount) VALUES (100, 'x', 1.0), (101, 'x', 2.0)",
    });
    await insert.getQueryResults();
    const [im] = await insert.getMetadata();
    expect(im.statistics.query).toMatchObject({ statementType: 'INSERT', numDmlAffectedRows: '2' });
    const [create] = await bq.createQueryJob({ query: 'CREATE TABLE IF NOT EXISTS sales.orders (x INT64)' });
    await create.getQueryResults();
    const [cm] = await create.getMetadata();
    expect(cm.statistics.query).toMatchObject({
      statementType: 'CREATE_TABLE',
      ddlOperationPerformed: 'SKIP',
    });
    const [drop] = await bq.createQueryJob({ query: 'DROP TABLE IF EXISTS sales.nothing_here' });
    await drop.getQueryResults();
    const [dm] = await drop.getMetadata();
    expect(dm.statistics.query).toMatchObject({ statementType: 'DROP_TABLE', ddlOperationPerformed: 'SKIP' });
  });

  it('fails clearly on unsupported statements and unknown tables', async () => {
    await expect(bq.query('SELECT 1; SELECT 2')).rejects.toThrow(/multi-statement scripts are not supported/);
    await expect(bq.query('SELECT * FROM sales.missing')).rejects.toMatchObject({
      code: 404,
      message: expect.stringMatching(/Not found: Table missing/),
    });
    await expect(bq.query({ query: 'SELECT 1', useLegacySql: true })).rejects.toThrow(
      /Legacy SQL is not supported/,
    );
    await expect(bq.query('SELECT ST_GEOGPOINT(1, 2)')).rejects.toThrow(
      /Function not found: ST_GEOGPOINT.*not supported locally/,
    );
    await expect(bq.query('SELECT nope FROM sales.orders')).rejects.toThrow(
      /engine \(DuckDB\) refused the query: Binder Error/,
    );
  });

  it('serves the same API without /bigquery/v2 (BIGQUERY_EMULATOR_HOST)', async () => {
    const saved = process.env.BIGQUERY_EMULATOR_HOST;
    process.env.BIGQUERY_EMULATOR_HOST = emu.env.BIGQUERY_EMULATOR_HOST;
    try {
      const raw = new BigQuery({ projectId, authClient: new PassThroughClient() as never });
      const [rows] = await raw.query('SELECT COUNT(*) AS n FROM sales.orders');
      expect(rows).toEqual([{ n: 102 }]);
    } finally {
      if (saved === undefined) delete process.env.BIGQUERY_EMULATOR_HOST;
      else process.env.BIGQUERY_EMULATOR_HOST = saved;
    }
  });
});
