/**
 * Load, copy and extract jobs on a real DuckDB warehouse and the Cloud Storage emulator's object store.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../deps.ts';
import { type CatalogHarness, PROJECT as P, rowsOf, startCatalogHarness } from './test-support.ts';

let h: CatalogHarness;
const dest = (tableId: string) => ({ projectId: P, datasetId: 'ld', tableId });
const data = async (tableId: string) =>
  rowsOf((await h.call('GET', `datasets/ld/tables/${tableId}/data`)).json);
const schemaOf = async (tableId: string) =>
  ((await h.call('GET', `datasets/ld/tables/${tableId}`)).json.schema as { fields: JsonObject[] }).fields;
const errorOf = (job: JsonObject) =>
  (job.status as { errorResult?: { reason: string; message: string } }).errorResult;
const put = (name: string, text: string) => h.objects.putObject('bkt', name, text);

beforeAll(async () => {
  h = await startCatalogHarness();
  await h.call('POST', 'datasets', { datasetReference: { datasetId: 'ld' } });
});

afterAll(async () => {
  await h?.close();
});

const PEOPLE = [
  { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
  { name: 'name', type: 'STRING' },
  { name: 'score', type: 'FLOAT' },
];

describe('CSV loads from gs://', () => {
  it('loads wildcard URIs with a schema, appends, truncates and honours WRITE_EMPTY / CREATE_NEVER', async () => {
    await put('csv/part-1.csv', 'id,name,score\n1,ann,1.5\n2,"bob, jr",2\n');
    await put('csv/part-2.csv', 'id,name,score\n3,cy,\n');
    await put('csv/other.txt', 'not matched');
    const config = {
      destinationTable: dest('people'),
      sourceUris: ['gs://bkt/csv/part-*.csv'],
      skipLeadingRows: 1,
      schema: { fields: PEOPLE },
    };
    const first = await h.job('load', config);
    expect(errorOf(first)).toBeUndefined();
    expect(first.statistics).toMatchObject({ load: { inputFiles: '2', outputRows: '3', badRecords: '0' } });
    expect(Number((first.statistics as { load: JsonObject }).load.inputFileBytes)).toBeGreaterThan(30);
    expect(await data('people')).toEqual([
      ['1', 'ann', '1.5'],
      ['2', 'bob, jr', '2'],
      ['3', 'cy', null],
    ]);
    expect((await schemaOf('people'))[0]).toMatchObject({ name: 'id', type: 'INTEGER', mode: 'REQUIRED' });

    await h.job('load', config);
    expect(await data('people')).toHaveLength(6);
    const truncated = await h.job('load', {
      ...config,
      sourceUris: ['gs://bkt/csv/part-2.csv'],
      writeDisposition: 'WRITE_TRUNCATE',
    });
    expect(errorOf(truncated)).toBeUndefined();
    expect(await data('people')).toEqual([['3', 'cy', null]]);
    expect(errorOf(await h.job('load', { ...config, writeDisposition: 'WRITE_EMPTY' }))).toMatchObject({
      reason: 'duplicate',
    });
    expect(
      errorOf(
        await h.job('load', { ...config, destinationTable: dest('nope'), createDisposition: 'CREATE_NEVER' }),
      ),
    ).toMatchObject({
      reason: 'notFound',
      message: `Not found: Table ${P}:ld.nope`,
    });
    expect(
      errorOf(await h.job('load', { ...config, sourceUris: ['gs://bkt/csv/none-*.csv'] })),
    ).toMatchObject({
      reason: 'notFound',
      message: 'Not found: URI gs://bkt/csv/none-*.csv',
    });
  });

  it('applies delimiter, quote, null marker and jagged rows', async () => {
    await put('opts.psv', "id|name|score\n1|'a|b'|NA\n2|c\n");
    const job = await h.job('load', {
      destinationTable: dest('opts'),
      sourceUris: ['gs://bkt/opts.psv'],
      skipLeadingRows: 1,
      fieldDelimiter: '|',
      quote: "'",
      nullMarker: 'NA',
      allowJaggedRows: true,
      schema: { fields: PEOPLE },
    });
    expect(errorOf(job)).toBeUndefined();
    expect(await data('opts')).toEqual([
      ['1', 'a|b', null],
      ['2', 'c', null],
    ]);
  });

  it('autodetects types and names from a header, or names columns like BigQuery without one', async () => {
    await put(
      'auto.csv',
      'id,price,label,day,flag,at\n1,2.5,x,2024-01-02,true,2024-01-02 03:04:05\n2,3,y,2024-02-03,false,2024-02-03 00:00:00\n',
    );
    expect(
      errorOf(
        await h.job('load', {
          destinationTable: dest('auto'),
          sourceUris: ['gs://bkt/auto.csv'],
          autodetect: true,
        }),
      ),
    ).toBeUndefined();
    expect((await schemaOf('auto')).map((f) => [f.name, f.type])).toEqual([
      ['id', 'INTEGER'],
      ['price', 'FLOAT'],
      ['label', 'STRING'],
      ['day', 'DATE'],
      ['flag', 'BOOLEAN'],
      ['at', 'TIMESTAMP'],
    ]);
    expect(await data('auto')).toHaveLength(2);
    await put('nohead.csv', '1,x\n2,y\n');
    const job = await h.job('load', {
      destinationTable: dest('nohead'),
      sourceUris: ['gs://bkt/nohead.csv'],
      autodetect: true,
      skipLeadingRows: 0,
    });
    expect(errorOf(job)).toBeUndefined();
    expect((await schemaOf('nohead')).map((f) => f.name)).toEqual(['int64_field_0', 'string_field_1']);
  });

  it('counts bad records and fails over maxBadRecords naming file and line', async () => {
    await put('bad.csv', 'id,name,score\n1,a,1\nx,b,2\n3,c,notfloat\n4,d,4\n');
    const config = {
      destinationTable: dest('bad'),
      sourceUris: ['gs://bkt/bad.csv'],
      skipLeadingRows: 1,
      schema: { fields: PEOPLE },
    };
    const failed = await h.job('load', { ...config, maxBadRecords: 1 });
    expect(errorOf(failed)?.reason).toBe('invalid');
    expect(errorOf(failed)?.message).toMatch(
      /CSV table encountered too many errors, giving up\. Rows: 4; errors: 2/,
    );
    expect(errorOf(failed)?.message).toMatch(/gs:\/\/bkt\/bad\.csv line 3 .*field id/);
    expect(errorOf(failed)?.message).toMatch(/maxBadRecords/);
    // The failed load created nothing.
    expect((await h.call('GET', 'datasets/ld/tables/bad')).status).toBe(404);
    const ok = await h.job('load', { ...config, maxBadRecords: 2 });
    expect(ok.statistics).toMatchObject({ load: { outputRows: '2', badRecords: '2' } });
    expect(await data('bad')).toEqual([
      ['1', 'a', '1'],
      ['4', 'd', '4'],
    ]);
  });

  it('refuses what it does not support, and mismatching schemas on append', async () => {
    const config = {
      destinationTable: dest('people'),
      sourceUris: ['gs://bkt/csv/part-1.csv'],
      skipLeadingRows: 1,
    };
    expect(
      errorOf(await h.job('load', { ...config, schemaUpdateOptions: ['ALLOW_FIELD_ADDITION'] }))?.message,
    ).toMatch(/schemaUpdateOptions.*not supported by the local BigQuery/);
    expect(errorOf(await h.job('load', { ...config, sourceFormat: 'AVRO' }))?.message).toMatch(
      /AVRO is not supported/,
    );
    const mismatch = await h.job('load', {
      ...config,
      schema: { fields: [{ name: 'other', type: 'STRING' }] },
    });
    expect(errorOf(mismatch)?.message).toMatch(/Provided Schema does not match Table proj:ld\.people/);
    expect(errorOf(await h.job('load', { ...config, destinationTable: dest('noschema') }))?.message).toMatch(
      /No schema specified/,
    );
  });
});

describe('newline-delimited JSON loads', () => {
  it('loads nested rows with a schema and reports bad rows', async () => {
    await put(
      'j/a.json',
      '{"id": 1, "tags": ["x"], "addr": {"city": "Oslo", "zip": 1}}\n{"id": "2", "tags": []}\n',
    );
    await put('j/b.json', '{"id": 3}\n{"id": "three"}\nnot json\n');
    const fields = [
      { name: 'id', type: 'INT64', mode: 'REQUIRED' },
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      {
        name: 'addr',
        type: 'RECORD',
        fields: [
          { name: 'city', type: 'STRING' },
          { name: 'zip', type: 'INT64' },
        ],
      },
    ];
    const config = {
      destinationTable: dest('nested'),
      sourceUris: ['gs://bkt/j/*.json'],
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: { fields },
    };
    const failed = await h.job('load', config);
    expect(errorOf(failed)?.message).toMatch(/JSON table encountered too many errors.*errors: 2/);
    expect(errorOf(failed)?.message).toMatch(
      /gs:\/\/bkt\/j\/b\.json row 2: Cannot convert value to integer \(bad value\): three/,
    );
    const ok = await h.job('load', { ...config, maxBadRecords: 5 });
    expect(ok.statistics).toMatchObject({ load: { outputRows: '3', badRecords: '2', inputFiles: '2' } });
    expect(await data('nested')).toEqual([
      ['1', [{ v: 'x' }], { f: [{ v: 'Oslo' }, { v: '1' }] }],
      ['2', [], null],
      ['3', [], null],
    ]);
  });

  it('autodetects a schema', async () => {
    await put(
      'auto.json',
      '{"n": 1, "s": "a", "d": "2024-01-01", "r": {"x": 1.5}, "l": [1, 2]}\n{"n": 2, "s": "b"}\n',
    );
    const job = await h.job('load', {
      destinationTable: dest('jauto'),
      sourceUris: ['gs://bkt/auto.json'],
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      autodetect: true,
    });
    expect(errorOf(job)).toBeUndefined();
    expect((await schemaOf('jauto')).map((f) => [f.name, f.type, f.mode])).toEqual([
      ['n', 'INTEGER', 'NULLABLE'],
      ['s', 'STRING', 'NULLABLE'],
      ['d', 'DATE', 'NULLABLE'],
      ['r', 'RECORD', 'NULLABLE'],
      ['l', 'INTEGER', 'REPEATED'],
    ]);
    expect(await data('jauto')).toHaveLength(2);
  });
});

describe('copy and extract', () => {
  it('copies tables with dispositions', async () => {
    const first = await h.job('copy', { sourceTable: dest('people'), destinationTable: dest('people_copy') });
    expect(first.statistics).toMatchObject({ copy: { copiedRows: '1' } });
    expect(
      errorOf(await h.job('copy', { sourceTable: dest('people'), destinationTable: dest('people_copy') })),
    ).toMatchObject({ reason: 'duplicate' });
    await h.job('copy', {
      sourceTables: [dest('people'), dest('people')],
      destinationTable: dest('people_copy'),
      writeDisposition: 'WRITE_APPEND',
    });
    expect(await data('people_copy')).toHaveLength(3);
    expect(
      errorOf(await h.job('copy', { sourceTable: dest('nope'), destinationTable: dest('x') })),
    ).toMatchObject({ reason: 'notFound' });
  });

  it('extracts CSV, JSON and Parquet to gs:// and loads Parquet back', async () => {
    const csv = await h.job('extract', {
      sourceTable: dest('auto'),
      destinationUris: ['gs://bkt/out/auto-*.csv'],
    });
    expect(csv.statistics).toMatchObject({ extract: { destinationUriFileCounts: ['1'] } });
    const text = await readFile(h.objects.localPath('bkt', 'out/auto-000000000000.csv'), 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual([
      'id,price,label,day,flag,at',
      '1,2.5,x,2024-01-02,true,2024-01-02 03:04:05 UTC',
    ]);
    await h.job('extract', {
      sourceTable: dest('nested'),
      destinationUris: ['gs://bkt/out/nested.json'],
      destinationFormat: 'NEWLINE_DELIMITED_JSON',
    });
    const first = JSON.parse(
      (await readFile(h.objects.localPath('bkt', 'out/nested.json'), 'utf8')).split('\n')[0] as string,
    );
    expect(first).toEqual({ id: '1', tags: ['x'], addr: { city: 'Oslo', zip: 1 } });
    expect(
      errorOf(
        await h.job('extract', { sourceTable: dest('nested'), destinationUris: ['gs://bkt/out/n.csv'] }),
      )?.message,
    ).toMatch(/nested schema/);
    expect(
      errorOf(
        await h.job('extract', {
          sourceModel: { projectId: P, datasetId: 'ld', modelId: 'm' },
          destinationUris: ['gs://bkt/m'],
        }),
      )?.message,
    ).toMatch(/not supported by the local BigQuery/);
    await h.job('extract', {
      sourceTable: dest('nested'),
      destinationUris: ['gs://bkt/out/nested.parquet'],
      destinationFormat: 'PARQUET',
    });
    const back = await h.job('load', {
      destinationTable: dest('from_parquet'),
      sourceUris: ['gs://bkt/out/nested.parquet'],
      sourceFormat: 'PARQUET',
    });
    expect(errorOf(back)).toBeUndefined();
    expect(await data('from_parquet')).toEqual(await data('nested'));
  });
});
