/** Checks of comparison inputs, each failure a ValidationError naming the model, the row and the fix. */
import { ValidationError } from '@terra-vertex/core';
import type { ModelPredictions } from './types.ts';

/** How far a probability row may sum from 1 (float32 outputs and rounded JSON still pass). */
export const ROW_SUM_TOLERANCE = 1e-3;

/** `truth` is a non-empty list of strings. */
export function validateTruth(truth: unknown): asserts truth is string[] {
  if (!Array.isArray(truth) || truth.length === 0) {
    throw new ValidationError(
      'truth',
      'must be a non-empty array of the true labels of the held-out examples',
      'Pass one label (string) per held-out example, in the order of the predictions.',
    );
  }
  const bad = truth.findIndex((t) => typeof t !== 'string' || t === '');
  if (bad >= 0) {
    throw new ValidationError(
      `truth[${bad}]`,
      `must be a non-empty string, got ${JSON.stringify(truth[bad])}`,
      'Convert labels to strings (e.g. String(label)) before comparing.',
    );
  }
}

function checkClasses(p: ModelPredictions, field: string): void {
  if (!Array.isArray(p.classes) || p.classes.length < 2) {
    throw new ValidationError(
      `${field}.classes`,
      'must list at least two class labels (the column order of probabilities)',
      'Give every class the model can predict, in the order of the probability columns.',
    );
  }
  const seen = new Set<string>();
  for (const [i, c] of p.classes.entries()) {
    if (typeof c !== 'string' || c === '' || seen.has(c)) {
      throw new ValidationError(
        `${field}.classes[${i}]`,
        `must be a distinct non-empty string, got ${JSON.stringify(c)}`,
        'List each class label once, as a string.',
      );
    }
    seen.add(c);
  }
}

function checkRow(row: unknown, width: number, field: string): void {
  if (!Array.isArray(row) || row.length !== width) {
    throw new ValidationError(
      field,
      `must be an array of ${width} probabilities (one per class), got ${Array.isArray(row) ? `${row.length} values` : typeof row}`,
      'Give one probability per entry of classes, in the same order.',
    );
  }
  let sum = 0;
  for (const [j, v] of row.entries()) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1 + ROW_SUM_TOLERANCE) {
      throw new ValidationError(
        `${field}[${j}]`,
        `must be a probability between 0 and 1, got ${String(v)}`,
        'Pass probabilities, not logits or scores: apply softmax to logits first.',
      );
    }
    sum += v;
  }
  if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
    throw new ValidationError(
      field,
      `sums to ${sum}, not 1 (± ${ROW_SUM_TOLERANCE})`,
      'Give the probability of every class (e.g. ask AutoML for all classes with confidenceThreshold 0), or normalise the row.',
    );
  }
}

/** `p.classes` lists at least two distinct labels. */
export function validateClasses(p: ModelPredictions, field: string): void {
  if (typeof p !== 'object' || p === null) {
    throw new ValidationError(
      field,
      'must be a ModelPredictions object',
      'Pass { name, kind, classes, probabilities }.',
    );
  }
  if (typeof p.name !== 'string' || p.name.trim() === '') {
    throw new ValidationError(
      `${field}.name`,
      'must be a non-empty string',
      "Name the model, e.g. 'AutoML Vision'.",
    );
  }
  checkClasses(p, `predictions "${p.name}"`);
}

/**
 * Checks one model's predictions against the truth: names, classes, one finite probability row per example
 * summing to 1, every true label among the classes, ids (if any) one per example.
 */
export function validatePredictions(truth: readonly string[], p: ModelPredictions, field: string): void {
  validateClasses(p, field);
  const model = `predictions "${p.name}"`;
  if (!Array.isArray(p.probabilities) || p.probabilities.length !== truth.length) {
    const got = Array.isArray(p.probabilities) ? p.probabilities.length : 'no';
    throw new ValidationError(
      `${model}.probabilities`,
      `has ${got} rows but there are ${truth.length} held-out examples`,
      'Predict every held-out example once, in the order of the truth labels.',
    );
  }
  p.probabilities.forEach((row, i) => {
    checkRow(row, p.classes.length, `${model}.probabilities[${i}]`);
  });
  const known = new Set(p.classes);
  const missing = truth.findIndex((t) => !known.has(t));
  if (missing >= 0) {
    throw new ValidationError(
      `truth[${missing}]`,
      `is "${truth[missing]}", which is not among the classes of ${model} (${p.classes.join(', ')})`,
      'Use the same label strings for the truth and the model classes (e.g. "3", not 3 or "digit_3").',
    );
  }
  if (p.ids !== undefined && (!Array.isArray(p.ids) || p.ids.length !== truth.length)) {
    throw new ValidationError(
      `${model}.ids`,
      `must have one id per held-out example (${truth.length})`,
      'Give the example ids in the order of the rows, or leave ids out.',
    );
  }
}
