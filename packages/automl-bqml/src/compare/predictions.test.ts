import { ValidationError } from '@terra-vertex/core';
import { describe, expect, it } from 'vitest';
import { compareModels } from './compare-models.ts';
import { alignPredictions, automlImageRow, customRow, softmax } from './predictions.ts';
import type { ModelPredictions } from './types.ts';

const classes = ['cat', 'dog', 'fox'];

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('did not throw');
}

describe('softmax', () => {
  it('normalises logits and survives large values', () => {
    const p = softmax([1, 2, 3]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const sum = e[0]! + e[1]! + e[2]!;
    p.forEach((v, i) => {
      expect(v).toBeCloseTo(e[i]! / sum, 15);
    });
    expect(softmax([1000, 1000])).toEqual([0.5, 0.5]);
  });
});

describe('automlImageRow', () => {
  it('puts sorted AutoML confidences back in class order', () => {
    const answer = {
      ids: ['3', '1', '2'],
      displayNames: ['fox', 'cat', 'dog'],
      confidences: [0.7, 0.2, 0.1],
    };
    expect(automlImageRow(answer, classes, 'row 0')).toEqual([0.2, 0.1, 0.7]);
  });

  it('says to ask for every class when some are missing', () => {
    const answer = { ids: ['3'], displayNames: ['fox'], confidences: [0.7] };
    const err = thrown(() => automlImageRow(answer, classes, 'row 0'));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(
      /row 0 has no confidence for cat, dog.*maxPredictions: 3, confidenceThreshold: 0/,
    );
  });

  it('refuses other shapes and unknown labels', () => {
    expect(thrown(() => automlImageRow([0.1, 0.9], classes, 'row 1')).message).toMatch(/not an AutoML/);
    const owl = { displayNames: ['owl'], confidences: [1] };
    expect(thrown(() => automlImageRow(owl, classes, 'row 2')).message).toMatch(/label "owl"/);
  });
});

describe('customRow', () => {
  it('takes lists and the generated trainers’ {label, probabilities}', () => {
    expect(customRow([0.2, 0.3, 0.5], classes, 'probabilities', 'r')).toEqual([0.2, 0.3, 0.5]);
    const answer = { label: 'fox', probabilities: [0.2, 0.3, 0.5] };
    expect(customRow(answer, classes, 'probabilities', 'r')).toEqual([0.2, 0.3, 0.5]);
  });

  it('applies softmax to logits only', () => {
    expect(customRow([1, 2, 3], classes, 'logits', 'r')).toEqual(softmax([1, 2, 3]));
    expect(customRow({ logits: [1, 2, 3] }, classes, 'logits', 'r')).toEqual(softmax([1, 2, 3]));
  });

  it('trusts what the model says it returns over the option', () => {
    const err = thrown(() => customRow({ probabilities: [0.2, 0.3, 0.5] }, classes, 'logits', 'r 4'));
    expect(err.message).toMatch(/r 4 holds "probabilities", not "logits".*Use output 'probabilities'/);
  });

  it('catches a class order that is not the model’s through its label', () => {
    const answer = { label: 'cat', probabilities: [0.2, 0.3, 0.5] };
    const err = thrown(() => customRow(answer, classes, 'probabilities', 'r 5'));
    expect((err as ValidationError).field).toBe('classes');
    expect(err.message).toMatch(/says label "cat", but its highest score is at class "fox"/);
  });

  it('refuses rows of the wrong length', () => {
    expect(thrown(() => customRow([0.5, 0.5], classes, 'probabilities', 'r')).message).toMatch(
      /has 2 scores but 3 classes were given/,
    );
  });
});

describe('alignPredictions and compareModels', () => {
  const truth = { ids: ['a', 'b', 'c'], labels: ['cat', 'dog', 'fox'] };
  const shuffled: ModelPredictions = {
    name: 'bq',
    kind: 'bqml',
    classes,
    ids: ['c', 'a', 'b'],
    probabilities: [
      [0.1, 0.1, 0.8],
      [0.8, 0.1, 0.1],
      [0.1, 0.8, 0.1],
    ],
  };

  it('reorders rows by id', () => {
    expect(alignPredictions(shuffled, truth.ids).probabilities.map((r) => r.indexOf(0.8))).toEqual([0, 1, 2]);
    const board = compareModels({
      truth,
      predictions: [shuffled, { ...alignPredictions(shuffled, truth.ids), name: 'in order' }],
    });
    expect(board.models.map((m) => m.accuracy)).toEqual([1, 1]);
  });

  it('names missing and extra examples', () => {
    const err = thrown(() => alignPredictions({ ...shuffled, ids: ['c', 'a', 'z'] }, truth.ids));
    expect(err.message).toMatch(/^bq: ids: no prediction for b; predictions for examples not held out: z/);
    expect(thrown(() => compareModels({ truth, predictions: [shuffled, shuffled] })).message).toMatch(
      /two models are named "bq"/,
    );
  });
});
