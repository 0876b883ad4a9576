/**
 * Turning what each kind of model answers into rows of class probabilities, and lining those rows up with the
 * held-out examples by id. Pure functions: the calls to endpoints and BigQuery are in
 * `endpoint-predictions.ts` and `bqml-predictions.ts`.
 */
import { ValidationError } from '@terra-vertex/core';
import type { ModelPredictions } from './types.ts';

/**
 * What an endpoint's model returns per instance:
 * - `automl-image`: Vertex's `classification_1.0.0` `{ ids, displayNames, confidences }`;
 * - `probabilities`: class probabilities, a list or `{ probabilities: [...] }` (the generated PyTorch and Keras
 *   trainers' models), optionally with the predicted `label`;
 * - `logits`: unnormalised scores, a list or `{ logits: [...] }`; softmax turns them into probabilities.
 */
export type EndpointOutput = 'automl-image' | 'probabilities' | 'logits';

/** The output formats {@link EndpointOutput} allows. */
export const ENDPOINT_OUTPUTS: readonly EndpointOutput[] = ['automl-image', 'probabilities', 'logits'];

/** Softmax of one row of logits, shifted by its maximum so that large logits do not overflow. */
export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 120) ?? String(v);

/**
 * One AutoML classification prediction as a full probability row in `classes` order. The endpoint must have been
 * asked for every class (`maxPredictions` = number of classes, `confidenceThreshold` 0).
 */
export function automlImageRow(prediction: unknown, classes: readonly string[], where: string): number[] {
  const p = prediction as { displayNames?: unknown; confidences?: unknown };
  if (!p || !Array.isArray(p.displayNames) || !Array.isArray(p.confidences))
    throw new ValidationError(
      'output',
      `${where} is not an AutoML classification prediction {ids, displayNames, confidences}: ${show(prediction)}`,
      "Use output 'probabilities' or 'logits' for custom models.",
    );
  const row = new Array<number>(classes.length).fill(Number.NaN);
  p.displayNames.forEach((name, k) => {
    const column = classes.indexOf(String(name));
    if (column < 0)
      throw new ValidationError(
        'classes',
        `${where} has the label ${show(name)}, which is not among ${classes.join(', ')}`,
        "Give the model's labels as classes (or leave classes out to take them from the endpoint's answer).",
      );
    row[column] = Number((p.confidences as unknown[])[k]);
  });
  const missing = classes.filter((_, i) => Number.isNaN(row[i]));
  if (missing.length)
    throw new ValidationError(
      'parameters',
      `${where} has no confidence for ${missing.join(', ')}`,
      `Ask for every class: parameters { maxPredictions: ${classes.length}, confidenceThreshold: 0 }.`,
    );
  return row;
}

/**
 * One custom-model prediction as a probability row in `classes` order: the list itself, or its `probabilities`
 * / `logits` field; softmax only for `logits`. When the prediction also names its `label`, that label must be
 * the most probable class under `classes` — this catches a class order that is not the model's.
 */
export function customRow(
  prediction: unknown,
  classes: readonly string[],
  output: 'probabilities' | 'logits',
  where: string,
): number[] {
  const object =
    prediction && typeof prediction === 'object' && !Array.isArray(prediction)
      ? (prediction as Record<string, unknown>)
      : undefined;
  const other = output === 'logits' ? 'probabilities' : 'logits';
  if (object && !(output in object) && other in object)
    throw new ValidationError(
      'output',
      `${where} holds "${other}", not "${output}"`,
      `Use output '${other}': the model says what it returns.`,
    );
  const values = object ? object[output] : prediction;
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'number'))
    throw new ValidationError(
      'output',
      `${where} is not a list of numbers or an object with a "${output}" list: ${show(prediction)}`,
      "Use output 'automl-image' for AutoML models; custom models must return class scores.",
    );
  if (values.length !== classes.length)
    throw new ValidationError(
      'classes',
      `${where} has ${values.length} scores but ${classes.length} classes were given (${classes.join(', ')})`,
      "Give the model's classes in the order of its outputs (the generated trainers write them to metrics.json).",
    );
  const row = output === 'logits' ? softmax(values as number[]) : (values as number[]);
  if (object && 'label' in object) {
    const top = Math.max(...row);
    const winners = classes.filter((_, i) => row[i] === top);
    if (winners.length === 1 && String(object.label) !== winners[0])
      throw new ValidationError(
        'classes',
        `${where} says label ${show(object.label)}, but its highest score is at class ${show(winners[0])} of the given order`,
        "Give the classes in the model's output order (the trainer's metrics.json 'classes').",
      );
  }
  return row;
}

/**
 * Reorders `p`'s rows to follow `ids`. Every id must be predicted exactly once and no other: the comparison is
 * on the same held-out examples for every model.
 */
export function alignPredictions(p: ModelPredictions, ids: readonly string[]): ModelPredictions {
  if (!p.ids)
    throw new ValidationError(
      `${p.name}: ids`,
      'the predictions carry no example ids',
      'Pass the ids of the instances (heldOut.ids) so that rows can be matched with the held-out examples.',
    );
  const at = new Map<string, number>();
  p.ids.forEach((id, i) => {
    if (at.has(id))
      throw new ValidationError(`${p.name}: ids`, `the id ${id} appears twice`, 'Predict each example once.');
    at.set(id, i);
  });
  const missing = ids.filter((id) => !at.has(id));
  const wanted = new Set(ids);
  const extra = p.ids.filter((id) => !wanted.has(id));
  if (missing.length || extra.length) {
    const list = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ` … (${xs.length})` : ''}`;
    throw new ValidationError(
      `${p.name}: ids`,
      [
        missing.length ? `no prediction for ${list(missing)}` : '',
        extra.length ? `predictions for examples not held out: ${list(extra)}` : '',
      ]
        .filter(Boolean)
        .join('; '),
      'Predict exactly the held-out rows (e.g. the table rows with split = TEST written with the same limit and seed as the images).',
    );
  }
  const order = ids.map((id) => at.get(id)!);
  return { ...p, ids: [...ids], probabilities: order.map((i) => p.probabilities[i]!) };
}
