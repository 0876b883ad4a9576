import { describe, expect, it } from 'vitest';
import { sniffImage } from './image-files.ts';
import { formatRowError, parseImportFile, splitCsv } from './import-format.ts';
import { labelModeOf, MULTI_LABEL_SCHEMA, SINGLE_LABEL_SCHEMA } from './schemas.ts';

const F = 'gs://b/index.csv';

describe('import files', () => {
  it('reads single-label CSV rows with and without ML_USE and labels', () => {
    const csv = [
      'test,gs://bucket/filename1.jpeg,daisy',
      'TRAINING,gs://bucket/filename2.gif,dandelion',
      'gs://bucket/filename3.png',
      '',
      'gs://bucket/filename4.bmp,sunflowers',
      'Validation,gs://bucket/filename5.tiff,tulips',
      ',gs://bucket/filename6.png,roses',
    ].join('\r\n');
    const { rows, errors } = parseImportFile(csv, F, 'single');
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.row, r.mlUse, r.uri, r.labels])).toEqual([
      [1, 'test', 'gs://bucket/filename1.jpeg', ['daisy']],
      [2, 'training', 'gs://bucket/filename2.gif', ['dandelion']],
      [3, undefined, 'gs://bucket/filename3.png', []],
      [5, undefined, 'gs://bucket/filename4.bmp', ['sunflowers']],
      [6, 'validation', 'gs://bucket/filename5.tiff', ['tulips']],
      [7, undefined, 'gs://bucket/filename6.png', ['roses']],
    ]);
  });

  it('names the row and the problem of each bad CSV row', () => {
    const csv = [
      'training,https://example.com/a.png,circle',
      'training,gs://b/ok.png,',
      'trainng,gs://b/ok.png,circle',
      'training,gs://b/ok.png,1circle',
      'training,gs://b/ok.png,circle,square',
      'gs://b',
      'training,"gs://b/open.png,circle',
      'training,gs://b/fine.png,circle',
    ].join('\n');
    const { rows, errors } = parseImportFile(csv, F, 'single');
    expect(rows.map((r) => r.row)).toEqual([8]);
    expect(errors.map((e) => [e.row, e.problem])).toEqual([
      [1, '"https://example.com/a.png" is not a Cloud Storage URI'],
      [2, 'the label column is empty'],
      [3, 'unknown ML_USE "trainng"'],
      [4, 'label "1circle" is not valid'],
      [5, 'has 2 labels (circle, square) but the single-label schema takes one'],
      [6, 'gs://b names a bucket, not an image'],
      [7, 'a quoted field is not closed'],
    ]);
    expect(formatRowError(errors[2]!)).toBe(
      `row 3 (file ${F}): unknown ML_USE "trainng" — use training, validation or test (any case), or leave it empty to let Vertex split`,
    );
    expect(formatRowError({ row: 0, file: F, problem: 'p', fix: 'f' })).toBe(`file ${F}: p — f`);
  });

  it('reads multi-label CSV rows and spots a header row', () => {
    const { rows, errors } = parseImportFile(
      'ML_USE,GCS_FILE_PATH,LABEL\ntest,gs://b/x.png,cat,dog,cat\ngs://b/y.png,a,,b',
      F,
      'multi',
    );
    expect(rows).toMatchObject([{ row: 2, labels: ['cat', 'dog'], mlUse: 'test' }]);
    expect(errors.map((e) => [e.row, e.problem])).toEqual([
      [1, '"ML_USE,GCS_FILE_PATH,LABEL" looks like a header row'],
      [3, 'the label column is empty'],
    ]);
  });

  it('splits quoted CSV fields', () => {
    expect(splitCsv(' a , "b,c" ,"d""e"')).toEqual(['a', 'b,c', 'd"e']);
  });

  it('reads JSON Lines for both schemas', () => {
    const jsonl = [
      JSON.stringify({
        imageGcsUri: 'gs://b/1.png',
        classificationAnnotation: { displayName: 'cat', annotationResourceLabels: { k: 'v' } },
        dataItemResourceLabels: { 'aiplatform.googleapis.com/ml_use': 'Test', team: 'x' },
      }),
      JSON.stringify({ imageGcsUri: 'gs://b/2.png' }),
      '{not json',
      JSON.stringify({ classificationAnnotation: { displayName: 'cat' } }),
      JSON.stringify({ imageGcsUri: 'gs://b/3.png', classificationAnnotations: [{ displayName: 'cat' }] }),
      JSON.stringify({
        imageGcsUri: 'gs://b/4.png',
        dataItemResourceLabels: { 'aiplatform.googleapis.com/ml_use': 'train' },
      }),
    ].join('\n');
    const single = parseImportFile(jsonl, 'gs://b/i.jsonl', 'single');
    expect(single.rows).toEqual([
      {
        row: 1,
        file: 'gs://b/i.jsonl',
        uri: 'gs://b/1.png',
        mlUse: 'test',
        labels: ['cat'],
        itemLabels: { team: 'x' },
        annotationLabels: { cat: { k: 'v' } },
      },
      expect.objectContaining({ row: 2, labels: [] }),
    ]);
    expect(single.errors.map((e) => [e.row, e.problem.replace(/ \(.*/, '')])).toEqual([
      [3, 'is not valid JSON'],
      [4, 'has no imageGcsUri'],
      [5, 'has classificationAnnotations, which the single-label import schema does not read'],
      [6, 'unknown ML_USE "train"'],
    ]);
    const multi = parseImportFile(jsonl, 'gs://b/i.jsonl', 'multi');
    expect(multi.rows.find((r) => r.row === 5)?.labels).toEqual(['cat']);
    expect(multi.errors.map((e) => e.row)).toEqual([1, 3, 4, 6]);
  });

  it('knows the import schemas and image bytes', () => {
    expect(labelModeOf(SINGLE_LABEL_SCHEMA)).toBe('single');
    expect(labelModeOf(MULTI_LABEL_SCHEMA.replace('gs://', 'https://storage.googleapis.com/'))).toBe('multi');
    expect(labelModeOf('gs://x/y.yaml')).toBeUndefined();
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImage(Buffer.from('ffd8ffe0', 'hex'))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffImage(Buffer.from('hello world, not an image'))).toBeUndefined();
  });
});
