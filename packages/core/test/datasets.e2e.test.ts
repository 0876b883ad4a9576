import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  DatasetImportError,
  datasetServiceClient,
  encodePng,
  ensureBucket,
  fromProtoValue,
  IMAGE_SCHEMA,
  ImageDataset,
  init,
  type ProtoValue,
  resetConfig,
  resolveConfig,
  storageClient,
  uploadBytes,
  ValidationError,
} from '../src/index.ts';
import { recordedRequests, repoRoot, stopEmulator, useEmulator } from './helpers.ts';

const BUCKET = 'gs://tvx-datasets';
type Shape = 'circle' | 'square' | 'triangle';

/** A 16×16 grey PNG of a shape, its position and background varied by `i` (deterministic). */
function shapePng(shape: Shape, i: number): Uint8Array {
  const n = 16;
  const rgba = new Uint8Array(n * n * 4);
  const cx = 8 + (i % 3) - 1;
  const cy = 8 + (Math.floor(i / 3) % 3) - 1;
  const r = 5;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const inside =
        shape === 'circle'
          ? (x - cx) ** 2 + (y - cy) ** 2 <= r * r
          : shape === 'square'
            ? Math.abs(x - cx) < r && Math.abs(y - cy) < r
            : y >= cy - r && y <= cy + r && Math.abs(x - cx) <= (y - cy + r) / 2;
      const v = inside ? 240 : 20 + ((i * 37) % 40);
      rgba.set([v, v, v, 255], (y * n + x) * 4);
    }
  return encodePng(n, n, rgba);
}

/** 24 circles, 12 squares and 2 triangles; every fifth image is validation or test. */
const COUNTS: Record<Shape, number> = { circle: 24, square: 12, triangle: 2 };
const split = (i: number) => (i % 5 === 3 ? 'validation' : i % 5 === 4 ? 'TEST' : 'training');
const uri = (shape: string, i: number) => `${BUCKET}/shapes/${shape}_${i}.png`;
const goodRows = Object.entries(COUNTS).flatMap(([shape, n]) =>
  Array.from({ length: n }, (_, i) => `${split(i)},${uri(shape, i)},${shape}`),
);
const BAD_ROWS: [row: string, problem: RegExp][] = [
  ['training,https://example.com/x.png,circle', /"https:\/\/example.com\/x.png" is not a Cloud Storage URI/],
  [`training,${BUCKET}/shapes/missing.png,circle`, /shapes\/missing.png does not exist/],
  [`training,${uri('circle', 1)},`, /the label column is empty/],
  [`trainng,${uri('square', 0)},square`, /unknown ML_USE "trainng"/],
  [`training,${uri('square', 1)},1square`, /label "1square" is not valid/],
  [`training,${BUCKET}/shapes/notes.txt,circle`, /notes.txt is not an image/],
];

describe.each(['grpc', 'rest'] as const)('image datasets over %s', (transport) => {
  let emu: RunningEmulator;
  const csv = `${BUCKET}/shapes/index.csv`;
  const where = () => ({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });

  beforeAll(async () => {
    emu = await useEmulator();
    resetConfig();
    init({ ...where(), apiTransport: transport });
    const storage = await storageClient(await resolveConfig());
    await ensureBucket(storage, BUCKET);
    for (const [shape, n] of Object.entries(COUNTS) as [Shape, number][])
      for (let i = 0; i < n; i++) await uploadBytes(storage, Buffer.from(shapePng(shape, i)), uri(shape, i));
    await uploadBytes(storage, 'not an image', `${BUCKET}/shapes/notes.txt`);
    // Bad rows go between the good ones: rows 3, 8, 13 … of the file.
    const rows = [...goodRows];
    for (const [k, [row]] of BAD_ROWS.entries()) rows.splice(2 + k * 5, 0, row);
    await uploadBytes(storage, rows.join('\n'), csv);
  });
  afterAll(() => stopEmulator(emu));

  it('imports the good rows and names the row and problem of each bad one', async () => {
    const notices: string[] = [];
    const ds = await ImageDataset.create({
      displayName: 'shapes',
      gcsSource: csv,
      importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
      labels: { team: 'vision' },
      onProgress: (e) => e.type === 'notice' && notices.push(e.message),
    });
    const result = ds.lastImport!;
    expect(result).toMatchObject({ rows: 44, imported: 38, duplicates: 0, failed: 6, dataItemCount: 38 });
    expect(ds.dataItemCount).toBe(38);
    expect(ds.labels).toMatchObject({ team: 'vision' });
    expect(result.errors).toHaveLength(6);
    BAD_ROWS.forEach(([, problem], k) => {
      const e = result.errors[k]!;
      expect(e).toMatchObject({ row: 3 + k * 5, file: csv });
      expect(e.problem).toMatch(problem);
      expect(e.fix).not.toBe('');
      expect(e.message).toBe(`row ${e.row} (file ${csv}): ${e.problem} — ${e.fix}`);
    });
    expect(notices).toContain(result.errors[0]!.message);
    expect(notices.some((n) => n.startsWith('Imported 38 of 44 rows'))).toBe(true);

    // Importing the same file again adds nothing: the good rows are duplicates.
    const again = await (await ImageDataset.get(ds.id)).importData({
      gcsSource: [csv],
      importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
    });
    expect(again).toMatchObject({ rows: 44, imported: 0, duplicates: 38, failed: 6, dataItemCount: 38 });
  });

  it('lists data items and counts images per label and split, warning about imbalance', async () => {
    const [ds] = (await ImageDataset.list({ filter: 'display_name="shapes"' })) as [ImageDataset];
    const items = await ds.listDataItems();
    expect(items).toHaveLength(38);
    expect(items[0]).toMatchObject({
      gcsUri: uri('circle', 0),
      labels: ['circle'],
      mlUse: 'training',
      mimeType: 'image/png',
      itemLabels: { 'aiplatform.googleapis.com/ml_use': 'training' },
    });
    // The raw service: data items in pages, an item's annotations, the label's annotation spec.
    const client = await datasetServiceClient(await resolveConfig());
    const [dataItems] = await client.listDataItems({ parent: ds.resourceName, pageSize: 10 });
    expect(dataItems.map((d) => d.name)).toEqual(items.map((i) => i.name));
    const [annotations] = await client.listAnnotations({ parent: items[0]!.name });
    const payload = fromProtoValue(annotations[0]!.payload as ProtoValue) as { annotationSpecId: string };
    expect(payload).toMatchObject({
      displayName: 'circle',
      annotationSpecId: expect.stringMatching(/^\d+$/),
    });
    const [spec] = await client.getAnnotationSpec({
      name: `${ds.resourceName}/annotationSpecs/${payload.annotationSpecId}`,
    });
    expect(spec.displayName).toBe('circle');
    const stats = await ds.stats();
    expect(stats.labels).toEqual([
      { label: 'circle', training: 15, validation: 5, test: 4, unassigned: 0, total: 24 },
      { label: 'square', training: 8, validation: 2, test: 2, unassigned: 0, total: 12 },
      { label: 'triangle', training: 2, validation: 0, test: 0, unassigned: 0, total: 2 },
    ]);
    expect(stats.splits).toEqual({ training: 25, validation: 7, test: 6, unassigned: 0 });
    expect(stats.warnings).toEqual([
      'Label triangle has 2 images: Vertex AI needs at least 10 per label (about 1000 are recommended).',
      expect.stringMatching(/^Classes are imbalanced: circle has 24 images, 12\.0× the 2 of triangle/),
    ]);
    expect((await ds.stats({ maxImbalance: 20, minPerLabel: 2 })).warnings).toEqual([]);
    const html = await ds.statsTable();
    expect(html).toMatch(/^<table/);
    expect(html).toContain('>triangle</td>');
    expect(html).toContain('Classes are imbalanced');
  });

  it('imports multi-label files, in the background with sync: false', async () => {
    const storage = await storageClient(await resolveConfig());
    const multi = `${BUCKET}/shapes/multi.csv`;
    await uploadBytes(
      storage,
      [`test,${uri('circle', 0)},circle,round`, `${uri('square', 2)},square,corners,square`].join('\n'),
      multi,
    );
    const ds = await ImageDataset.create({
      displayName: 'multi',
      gcsSource: multi,
      importSchemaUri: IMAGE_SCHEMA.multiLabelImport,
      dataItemLabels: { source: 'test' },
      sync: false,
    });
    expect(await ds.wait()).toMatchObject({ rows: 2, imported: 2, failed: 0, dataItemCount: 2 });
    const items = await ds.listDataItems();
    expect(items.map((i) => [i.labels, i.mlUse ?? null, i.itemLabels.source])).toEqual([
      [['circle', 'round'], 'test', 'test'],
      [['square', 'corners'], null, 'test'],
    ]);
    const stats = await ds.stats({ minPerLabel: 1 });
    expect(stats.labels.map((l) => l.label)).toEqual(['circle', 'corners', 'round', 'square']);
    expect(stats.warnings).toEqual([]);
  });

  it('fails an import where no row is good, listing every problem; deletes datasets', async () => {
    const storage = await storageClient(await resolveConfig());
    const bad = `${BUCKET}/shapes/bad.csv`;
    await uploadBytes(storage, BAD_ROWS.map(([row]) => row).join('\n'), bad);
    const err = await ImageDataset.create({
      displayName: 'bad',
      gcsSource: bad,
      importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetImportError);
    const e = err as DatasetImportError;
    expect(e.code).toBe(3);
    expect(e.message).toContain('Nothing was imported: 6 of 6 rows failed.');
    expect(e.message).toContain(`row 4 (file ${bad}): unknown ML_USE "trainng"`);
    expect(e.errors.map((x) => x.row)).toEqual([1, 2, 3, 4, 5, 6]);
    const empty = await ImageDataset.get(e.resourceName);
    expect(empty.dataItemCount).toBe(0);
    await empty.delete();
    await expect(ImageDataset.get(e.resourceName)).rejects.toThrow(ApiError);
    await expect(ImageDataset.get(e.resourceName)).rejects.toMatchObject({ status: 'NOT_FOUND' });
  });

  it('sends the Python SDK requests for create + import (the conformance case, end to end)', async () => {
    const c = JSON.parse(readFileSync(join(repoRoot, 'conformance/sdk-image-dataset-create.json'), 'utf8'));
    const [createRequest, importRequest] = c.expected_request;
    const before = (await recordedRequests(emu, 'DatasetService/')).length;
    const err = (await ImageDataset.create({
      project: 'test-project',
      displayName: c.inputs.args.display_name,
      gcsSource: c.inputs.args.gcs_source,
      importSchemaUri: c.inputs.args.import_schema_uri,
      encryptionSpecKeyName: c.inputs.args.encryption_spec_key_name,
    }).catch((e: unknown) => e)) as DatasetImportError;
    expect(err).toBeInstanceOf(DatasetImportError);
    expect(err.message).toContain(
      'file gs://my-bucket/my_index_file.jsonl: the import file does not exist — upload it first',
    );
    const sent = (await recordedRequests(emu, 'DatasetService/')).slice(before);
    // CreateDataset, GetDataset (as the SDK), ImportData.
    expect(sent.map((r) => r.request)).toEqual([
      createRequest,
      { name: err.resourceName },
      { ...importRequest, name: err.resourceName },
    ]);
    expect(err.resourceName).toMatch(/^projects\/test-project\/locations\/us-central1\/datasets\/\d+$/);
  });

  it('checks options before sending anything', async () => {
    await expect(ImageDataset.create({ gcsSource: 'gs://b/x.csv' })).rejects.toThrow(ValidationError);
    await expect(
      ImageDataset.create({ gcsSource: '/tmp/x.csv', importSchemaUri: IMAGE_SCHEMA.singleLabelImport }),
    ).rejects.toThrow(/gcsSource\[0\]: "\/tmp\/x.csv" is not the gs:\/\/ URI of a file/);
  });
});
