import { expect } from 'vitest';
import { ValidationError } from '../src/errors.ts';

/** Runs `fn`, expects a {@link ValidationError}, and returns the field it names. */
export function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}
