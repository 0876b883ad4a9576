import { describe, expect, it } from 'vitest';
import { fieldOf } from '../test/field-of.ts';
import { fullResourceName, parseResourceName } from './resource-names.ts';
import {
  normalizeStagingBucket,
  validateDisplayName,
  validateLabels,
  validateLocation,
  validateProject,
} from './validation.ts';

describe('validation', () => {
  it('accepts Vertex regions and rejects others, naming the field and close matches', () => {
    expect(validateLocation('europe-west4')).toBe('europe-west4');
    expect(validateLocation('us')).toBe('us');
    expect(() => validateLocation('us-moon1')).toThrow(/unsupported region.*us-central1/s);
    expect(fieldOf(() => validateLocation('mars'))).toBe('location');
  });

  it('checks project ids', () => {
    expect(validateProject('my-lab-vertex')).toBe('my-lab-vertex');
    expect(validateProject('123456789012')).toBe('123456789012');
    expect(fieldOf(() => validateProject('My_Project'))).toBe('project');
  });

  it('limits display names to 128 characters', () => {
    expect(validateDisplayName('x'.repeat(128))).toHaveLength(128);
    expect(() => validateDisplayName('x'.repeat(129))).toThrow(/less than 128 characters/);
    expect(fieldOf(() => validateDisplayName(''))).toBe('displayName');
  });

  it('checks labels', () => {
    expect(validateLabels({ team: 'genomics' })).toEqual({ team: 'genomics' });
    expect(fieldOf(() => validateLabels({ Team: 'x' }))).toBe('labels.Team');
    expect(fieldOf(() => validateLabels({ team: 3 }))).toBe('labels.team');
    expect(fieldOf(() => validateLabels(['a']))).toBe('labels');
  });

  it('normalises staging buckets', () => {
    expect(normalizeStagingBucket('my-bucket')).toBe('gs://my-bucket');
    expect(normalizeStagingBucket('gs://my-bucket/prefix/')).toBe('gs://my-bucket/prefix');
    expect(fieldOf(() => normalizeStagingBucket('gs://Bad Bucket'))).toBe('stagingBucket');
  });

  it('expands ids into resource names and checks full names', () => {
    expect(fullResourceName('123', 'customJobs', 'p-roject', 'us-central1')).toBe(
      'projects/p-roject/locations/us-central1/customJobs/123',
    );
    expect(parseResourceName('projects/p/locations/l/customJobs/9', 'customJobs').id).toBe('9');
    expect(() => fullResourceName('bad/id!', 'customJobs', 'p', 'l')).toThrow(/not a valid resource id/);
    expect(() => parseResourceName('projects/p/locations/l/models/9', 'customJobs')).toThrow(
      /customJobs resource name/,
    );
  });
});
