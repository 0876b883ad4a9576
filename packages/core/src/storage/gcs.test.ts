import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { parseGcsUri } from './gcs.ts';

describe('parseGcsUri', () => {
  it('splits bucket and path', () => {
    expect(parseGcsUri('gs://my-bucket/data/train.csv')).toEqual({
      bucket: 'my-bucket',
      path: 'data/train.csv',
    });
    expect(parseGcsUri('gs://my-bucket/dir/')).toEqual({ bucket: 'my-bucket', path: 'dir/' });
    expect(parseGcsUri('gs://my-bucket/')).toEqual({ bucket: 'my-bucket', path: '' });
    expect(parseGcsUri('gs://my.bucket_1')).toEqual({ bucket: 'my.bucket_1', path: '' });
  });

  it.each([
    ['/local/file.csv', 'is not a gs:// URI'],
    ['https://storage.googleapis.com/b/o', 'is not a gs:// URI'],
    ['s3://bucket/key', 'is not a gs:// URI'],
    ['gs://', 'is not a valid bucket name'],
    ['gs://UPPER/x', 'is not a valid bucket name'],
    ['gs://a..b/x', 'is not a valid bucket name'],
  ])('refuses %j, naming the field', (uri, problem) => {
    const attempt = () => parseGcsUri(uri, 'trainingData');
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(problem);
    try {
      attempt();
    } catch (err) {
      expect((err as ValidationError).field).toBe('trainingData');
      expect((err as ValidationError).message).toMatch(/^trainingData: .*gs:\/\/my-bucket\/data\/train\.csv/);
    }
  });
});
