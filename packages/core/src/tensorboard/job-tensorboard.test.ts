import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { tensorboardConsoleUri } from './job-experiment.ts';
import { jobTensorboard } from './job-tensorboard.ts';

const where = { project: 'my-lab', location: 'us-central1' };
const SA = 'trainer@my-lab.iam.gserviceaccount.com';

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('linking a job to a tensorboard', () => {
  it('expands an id and keeps a full name in the job location', () => {
    expect(jobTensorboard('42', SA, where)).toBe('projects/my-lab/locations/us-central1/tensorboards/42');
    const full = 'projects/other/locations/us-central1/tensorboards/7';
    expect(jobTensorboard(full, SA, where)).toBe(full);
    expect(jobTensorboard(undefined, undefined, where)).toBeUndefined();
  });

  it('refuses a tensorboard without a service account, saying where to pass one', () => {
    const e = errorOf(() => jobTensorboard('42', undefined, where));
    expect(e.field).toBe('serviceAccount');
    expect(e.message).toMatch(/required with tensorboard/);
    expect(e.fix).toMatch(/run\(\{ tensorboard, serviceAccount/);
    expect(e.fix).toMatch(/init\(\{ serviceAccount \}\)/);
  });

  it('refuses a tensorboard in another location, and malformed names', () => {
    const e = errorOf(() =>
      jobTensorboard('projects/my-lab/locations/europe-west4/tensorboards/1', SA, where),
    );
    expect(e.field).toBe('tensorboard');
    expect(e.message).toMatch(/is in europe-west4 but the job runs in us-central1/);
    expect(
      errorOf(() => jobTensorboard('projects/my-lab/locations/us-central1/models/1', SA, where)).field,
    ).toBe('tensorboard');
    expect(errorOf(() => jobTensorboard('not an id', SA, where)).field).toBe('tensorboard');
  });

  it('builds the console address as the Python SDK does', () => {
    expect(tensorboardConsoleUri('projects/1/locations/us-central1/tensorboards/2/experiments/3')).toBe(
      'https://us-central1.tensorboard.googleusercontent.com/experiment/projects+1+locations+us-central1+tensorboards+2+experiments+3',
    );
  });
});
