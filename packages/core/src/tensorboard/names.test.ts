import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { formatTensorboardPath, parseTensorboardPath, tensorboardResourceName, whereOf } from './names.ts';

const TB = 'projects/p1/locations/europe-west4/tensorboards/123';

describe('TensorBoard resource names', () => {
  it('expands ids through their parents, each an id or a full name', () => {
    expect(tensorboardResourceName('123', 1, {}, 'p', 'us-central1', 'tensorboard')).toBe(
      'projects/p/locations/us-central1/tensorboards/123',
    );
    expect(tensorboardResourceName('r', 3, { tensorboard: '9', experiment: 'e' }, 'p', 'l', 'run')).toBe(
      'projects/p/locations/l/tensorboards/9/experiments/e/runs/r',
    );
    expect(tensorboardResourceName('e', 2, { tensorboard: TB }, 'other', 'us-central1', 'exp')).toBe(
      `${TB}/experiments/e`,
    );
    expect(tensorboardResourceName(`${TB}/experiments/e/runs/r/timeSeries/t`, 4, {}, 'p', 'l', 'ts')).toBe(
      `${TB}/experiments/e/runs/r/timeSeries/t`,
    );
  });

  it('names the missing parent option and checks full names against their depth', () => {
    const missing = (() => {
      try {
        tensorboardResourceName('r', 3, { tensorboard: '9' }, 'p', 'l', 'run');
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(missing).toBeInstanceOf(ValidationError);
    expect(missing!.field).toBe('experiment');
    expect(() => tensorboardResourceName(TB, 2, {}, 'p', 'l', 'tensorboardExperimentName')).toThrow(
      /tensorboardExperimentName: .* is not a experiments resource name/,
    );
    expect(() => tensorboardResourceName('bad id', 1, {}, 'p', 'l', 'tensorboard')).toThrow(/tensorboard:/);
  });

  it('parses and formats paths, and takes project and location from full names', () => {
    const path = parseTensorboardPath(`${TB}/experiments/e/runs/r`, 3);
    expect(path).toEqual({
      project: 'p1',
      location: 'europe-west4',
      tensorboard: '123',
      experiment: 'e',
      run: 'r',
    });
    expect(formatTensorboardPath(path)).toBe(`${TB}/experiments/e/runs/r`);
    expect(whereOf(TB, {})).toEqual({ project: 'p1', location: 'europe-west4' });
    expect(whereOf(TB, { location: 'us-east1' })).toEqual({ project: 'p1', location: 'us-east1' });
    expect(whereOf('123', { project: 'x' })).toEqual({ project: 'x' });
  });
});
