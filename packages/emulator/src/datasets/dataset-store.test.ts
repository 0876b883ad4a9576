import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetServiceHandlers, importFailure, partialFailures } from '../vertex/dataset-service.ts';
import { OperationStore } from '../vertex/operations.ts';
import { DatasetStore } from './dataset-store.ts';
import { formatRowError } from './import-format.ts';
import { IMAGE_METADATA_SCHEMA } from './schemas.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const PARENT = 'projects/p/locations/us-central1';

describe('DatasetStore', () => {
  let dir: string;
  let gcs: string;
  let store: DatasetStore;
  const put = (name: string, bytes: Buffer | string) => {
    const path = join(gcs, 'b', name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
    return `gs://b/${name}`;
  };
  const newDataset = () =>
    store.create(PARENT, { displayName: 'd', metadataSchemaUri: IMAGE_METADATA_SCHEMA }).name as string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tvx-datasets-'));
    gcs = join(dir, 'gcs');
    store = new DatasetStore(dir, gcs);
    for (const n of ['a', 'b', 'c', 'd']) put(`img/${n}.png`, PNG);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports good rows, reports each bad one by row, and skips exact duplicates', async () => {
    put('notes.png', 'just text');
    put('notes.txt', 'just text');
    const csv = put(
      'index.csv',
      [
        'training,gs://b/img/a.png,circle',
        'TEST,gs://b/img/b.png,square',
        'gs://b/img/c.png',
        'training,gs://b/img/a.png,circle', // exact duplicate: skipped
        'validation,gs://b/img/a.png,circle', // another ML_USE for a.png
        'test,gs://b/img/b.png,circle', // a second label in a single-label import
        'training,gs://b/missing.png,circle',
        'training,gs://other/x.png,circle',
        'training,gs://b/notes.png,circle',
        'training,gs://b/notes.txt,circle',
        'training,gs://b/img/d.png,circle',
      ].join('\n'),
    );
    const ds = newDataset();
    const out = await store.import(ds, [{ uris: [csv], mode: 'single' }]);
    expect(out).toMatchObject({
      rows: 11,
      imported: 4,
      duplicates: 1,
      failed: 6,
      dataItems: 4,
      annotations: 3,
    });
    expect(out.errors.map((e) => `${e.row}: ${e.problem}`)).toEqual([
      `5: gs://b/img/a.png was already imported as training in row 1 of ${csv}`,
      `6: gs://b/img/b.png was already imported with label square in row 2 of ${csv}`,
      '7: gs://b/missing.png does not exist',
      '8: the bucket of gs://other/x.png does not exist',
      '9: gs://b/notes.png is named like a PNG image but its bytes are not one',
      '10: gs://b/notes.txt is not an image',
    ]);
    expect(store.examples(ds)).toEqual([
      {
        dataItem: expect.stringMatching(/\/dataItems\/\d+$/),
        gcsUri: 'gs://b/img/a.png',
        labels: ['circle'],
        mlUse: 'training',
      },
      expect.objectContaining({ gcsUri: 'gs://b/img/b.png', labels: ['square'], mlUse: 'test' }),
      expect.objectContaining({ gcsUri: 'gs://b/img/c.png', labels: [] }),
      expect.objectContaining({ gcsUri: 'gs://b/img/d.png', labels: ['circle'] }),
    ]);
    const specs = store.annotationSpecs(ds);
    expect(specs.map((s) => s.displayName)).toEqual(['circle', 'square']);
    expect(specs.every((s) => /^\d+$/.test(s.id))).toBe(true);
    const item = store.dataItems(ds)[0]!;
    expect(item.payload).toEqual({ imageGcsUri: 'gs://b/img/a.png', mimeType: 'image/png' });
    expect(item.labels).toEqual({ 'aiplatform.googleapis.com/ml_use': 'training' });
    expect(store.annotationsOf(item.name as string)[0]).toMatchObject({
      payloadSchemaUri:
        'gs://google-cloud-aiplatform/schema/dataset/annotation/image_classification_1.0.0.yaml',
      payload: { annotationSpecId: specs[0]!.id, displayName: 'circle' },
    });
    expect(store.get(ds)!.dataItemCount).toBe('4');

    const failures = partialFailures(out);
    expect(failures).toHaveLength(7);
    expect(failures[0]!.message).toBe(
      'Imported 4 of 11 rows (4 new data items); 6 failed; 1 duplicates skipped.',
    );
    expect(failures[1]).toMatchObject({ code: 3, message: formatRowError(out.errors[0]!) });
    expect(importFailure(out)).toBeUndefined();

    // The ids survive a restart, and a second import adds to the same items and specs.
    const again = new DatasetStore(dir, gcs);
    expect(again.annotationSpecs(ds)).toEqual(specs);
    const multi = put('multi.csv', 'gs://b/img/a.png,circle,red\ntest,gs://b/img/c.png,square');
    const out2 = await again.import(ds, [{ uris: [multi], mode: 'multi', dataItemLabels: { team: 'x' } }]);
    expect(out2).toMatchObject({ rows: 2, imported: 2, failed: 0, dataItems: 0, annotations: 2 });
    expect(again.examples(ds).map((e) => [e.labels, e.mlUse])).toEqual([
      [['circle', 'red'], 'training'],
      [['square'], 'test'],
      [['square'], 'test'],
      [['circle'], 'training'],
    ]);
    expect(again.annotationSpecs(ds).map((s) => s.displayName)).toEqual(['circle', 'red', 'square']);
    again.delete(ds);
    expect(again.get(ds)).toBeUndefined();
    expect(again.examples(ds)).toEqual([]);
    expect(again.annotationSpecs(ds)).toEqual([]);
  });

  it('fails an import in which every row is bad, listing the first 20 problems and the count', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `training,gs://b/missing${i}.png,x`);
    const csv = put('bad.csv', rows.join('\n'));
    const ds = newDataset();
    const out = await store.import(ds, [{ uris: [csv, 'gs://b/none.csv'], mode: 'single' }]);
    expect(out).toMatchObject({ rows: 26, imported: 0, failed: 26 });
    const failure = importFailure(out)!;
    expect(failure.code).toBe(3);
    const lines = failure.message.split('\n');
    expect(lines[0]).toBe('Nothing was imported: 26 of 26 rows failed.');
    expect(lines[1]).toBe(
      `row 1 (file ${csv}): gs://b/missing0.png does not exist — upload the image, or fix the path (object names are case-sensitive)`,
    );
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe('… and 6 more');
    expect(out.errors.at(-1)).toMatchObject({ row: 0, file: 'gs://b/none.csv' });
    expect(partialFailures(out)).toHaveLength(20);
    expect(importFailure({ ...out, rows: 0, failed: 0, errors: [] })?.message).toMatch(/no rows/);
  });

  it('imports JSON Lines', async () => {
    const file = put(
      'i.jsonl',
      [
        {
          imageGcsUri: 'gs://b/img/a.png',
          classificationAnnotations: [{ displayName: 'x' }, { displayName: 'y' }],
        },
        {
          imageGcsUri: 'gs://b/img/b.png',
          dataItemResourceLabels: { 'aiplatform.googleapis.com/ml_use': 'test' },
        },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const ds = newDataset();
    const out = await store.import(ds, [{ uris: [file], mode: 'multi' }]);
    expect(out).toMatchObject({ rows: 2, imported: 2, failed: 0 });
    expect(store.examples(ds).map((e) => [e.labels, e.mlUse])).toEqual([
      [['x', 'y'], undefined],
      [[], 'test'],
    ]);
  });
});

describe('ImportData operations', () => {
  it('fail, saying why, when the emulator stopped during the import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tvx-datasets-ops-'));
    try {
      const ops = new OperationStore(dir);
      const op = ops.pending(
        'projects/p/locations/l/datasets/1',
        'google.cloud.aiplatform.v1.ImportDataOperationMetadata',
      );
      const other = ops.pending(
        'projects/p/locations/l/studies/1',
        'google.cloud.aiplatform.v1.SuggestTrialsMetadata',
      );
      datasetServiceHandlers({ datasets: new DatasetStore(dir, join(dir, 'gcs')), ops });
      expect(ops.get(op.name as string)).toMatchObject({ done: true, error: { code: 10 } });
      expect((ops.get(op.name as string).error as { message: string }).message).toMatch(
        /stopped during this import/,
      );
      expect(ops.get(other.name as string).done).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
