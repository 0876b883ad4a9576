import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { buildCreateDatasetRequest, buildImportConfigs, hasImportSource } from './dataset-request.ts';
import { type DataItemInfo, datasetStats, statsHtml } from './dataset-stats.ts';
import { readPartialFailures, toImportResult } from './import-result.ts';
import { IMAGE_SCHEMA } from './schema.ts';

const config = { project: 'p', location: 'us-central1', encryptionSpecKeyName: undefined };

describe('dataset requests', () => {
  it('builds CreateDataset as the Python SDK (no metadata; init key as default)', () => {
    expect(buildCreateDatasetRequest({ displayName: 'd', labels: { team: 'x' } }, config)).toEqual({
      parent: 'projects/p/locations/us-central1',
      dataset: { displayName: 'd', metadataSchemaUri: IMAGE_SCHEMA.metadata, labels: { team: 'x' } },
    });
    const withKey = buildCreateDatasetRequest(
      { displayName: 'd' },
      { ...config, encryptionSpecKeyName: 'k' },
    );
    expect(withKey.dataset?.encryptionSpec).toEqual({ kmsKeyName: 'k' });
    expect(buildCreateDatasetRequest({}, config).dataset?.displayName).toMatch(/^ImageDataset \d{4}-/);
  });

  it('builds importConfigs and checks the source', () => {
    expect(
      buildImportConfigs({
        gcsSource: 'gs://b/i.csv',
        importSchemaUri: IMAGE_SCHEMA.multiLabelImport,
        dataItemLabels: { k: 'v' },
      }),
    ).toEqual([
      {
        gcsSource: { uris: ['gs://b/i.csv'] },
        importSchemaUri: IMAGE_SCHEMA.multiLabelImport,
        dataItemLabels: { k: 'v' },
      },
    ]);
    expect(hasImportSource({})).toBe(false);
    expect(hasImportSource({ gcsSource: 'gs://b/i.csv', importSchemaUri: 'gs://s' })).toBe(true);
    expect(() => hasImportSource({ gcsSource: 'gs://b/i.csv' })).toThrow(
      /importSchemaUri: nontabular dataset requires both import_schema_uri and gcs_source/,
    );
    expect(() => buildImportConfigs({ gcsSource: [], importSchemaUri: 'gs://s' })).toThrow(ValidationError);
    expect(() => buildImportConfigs({ gcsSource: 'gs://b/i.csv', importSchemaUri: 'single' })).toThrow(
      /importSchemaUri: "single" is not a schema URI/,
    );
  });
});

const item = (labels: string[], mlUse?: DataItemInfo['mlUse']): DataItemInfo => ({
  name: 'n',
  id: '1',
  gcsUri: 'gs://b/x.png',
  labels,
  itemLabels: {},
  ...(mlUse ? { mlUse } : {}),
});

describe('dataset stats', () => {
  it('counts per label and split and warns about imbalance, small and unlabeled classes', () => {
    const items = [
      ...Array.from({ length: 30 }, (_, i) => item(['cat'], i < 24 ? 'training' : 'test')),
      item(['dog', 'cat']),
      item(['dog'], 'validation'),
      item([]),
    ];
    const stats = datasetStats(items);
    expect(stats.labels).toEqual([
      { label: 'cat', training: 24, validation: 0, test: 6, unassigned: 1, total: 31 },
      { label: 'dog', training: 0, validation: 1, test: 0, unassigned: 1, total: 2 },
    ]);
    expect(stats.splits).toEqual({ training: 24, validation: 1, test: 6, unassigned: 2 });
    expect(stats.unlabeledSplits.unassigned).toBe(1);
    expect(stats.warnings).toEqual([
      'Label dog has 2 images: Vertex AI needs at least 10 per label (about 1000 are recommended).',
      'Classes are imbalanced: cat has 31 images, 15.5× the 2 of dog (warning above 10×; Vertex AI allows at most 100×). Add images of dog or drop some of cat.',
      '1 image has no label; training leaves them out.',
    ]);
    const html = statsHtml(stats);
    expect(html).toContain('<caption');
    expect(html).toContain('(unlabeled)');
    expect(html).toContain('all images');
    expect(html).toContain('<li>Classes are imbalanced');
    expect(datasetStats([item([])]).warnings[0]).toMatch(/^No image has a label/);
  });
});

describe('import results', () => {
  it('reads failures from messages when they carry no Struct detail (Vertex AI)', async () => {
    const statuses = [
      { code: 3, message: 'row 4 (file gs://b/i.csv): label "1x" is not valid — start with a letter' },
      { code: 3, message: 'file gs://b/j.csv: the import file does not exist — upload it' },
      { code: 5, message: 'Image gs://b/z.png not found' },
    ];
    const { errors } = await readPartialFailures(statuses);
    expect(errors.map((e) => [e.row, e.file, e.problem, e.fix])).toEqual([
      [4, 'gs://b/i.csv', 'label "1x" is not valid', 'start with a letter'],
      [0, 'gs://b/j.csv', 'the import file does not exist', 'upload it'],
      [0, '', 'Image gs://b/z.png not found', ''],
    ]);
    const result = await toImportResult('op', statuses, { before: 2, after: 7 });
    expect(result).toMatchObject({ rows: 8, imported: 5, failed: 3, duplicates: 0, dataItemCount: 7 });
  });
});
