/**
 * The comparison metrics against scikit-learn on fixed data: the same numbers within 1e-9, computed by
 * `/usr/bin/python3` (or `TVX_PYTHON`) from the data each test passes in.
 */

import { execFileSync } from 'node:child_process';
import { ValidationError } from '@terra-vertex/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLeaderboard, evaluatePredictions, type ModelMetrics } from './metrics.ts';

const SCRIPT = `
import json, sys
import numpy as np
from sklearn import metrics as m

def evaluate(d):
    truth, classes = d["truth"], d["classes"]
    probs = np.array(d["probabilities"], dtype=np.float64)
    onehot = np.array([[1 if t == c else 0 for c in classes] for t in truth])
    pred = [classes[int(i)] for i in np.argmax(probs, axis=1)]
    present = [k for k in range(len(classes)) if 0 < onehot[:, k].sum() < len(truth)]
    def curve(points):
        return [{"threshold": float(t), "x": float(x), "y": float(y)} for t, x, y in points]
    def roc(y, s):
        fpr, tpr, thr = m.roc_curve(y, s)
        return curve(zip(thr, fpr, tpr))
    def pr(y, s):
        precision, recall, thr = m.precision_recall_curve(y, s)
        # scikit-learn gives the last point (recall 0, precision 1) no threshold; ours is max score + 1.
        thr = np.r_[thr, thr[-1] + 1]
        return curve(zip(thr, recall, precision))
    p, r, f, s = m.precision_recall_fscore_support(truth, pred, labels=classes, zero_division=0)
    out = {
        "accuracy": m.accuracy_score(truth, pred),
        "aucPrMacroAll": m.average_precision_score(onehot, probs, average="macro"),
        "aucPrPresent": float(np.mean([m.average_precision_score(onehot[:, k], probs[:, k]) for k in present])),
        "aucRocOvr": m.roc_auc_score(truth, probs, multi_class="ovr", average="macro", labels=classes) if len(classes) > 2 and len(present) == len(classes) else None,
        "aucRocPresent": float(np.mean([m.roc_auc_score(onehot[:, k], probs[:, k]) for k in present])),
        "logLoss": m.log_loss(truth, probs, labels=classes, eps=1e-15),
        "perClass": [{"label": c, "precision": float(p[k]), "recall": float(r[k]), "f1": float(f[k]), "support": int(s[k])} for k, c in enumerate(classes)],
        "confusion": m.confusion_matrix(truth, pred, labels=classes).tolist(),
        "roc": {c: roc(onehot[:, k], probs[:, k]) for k, c in enumerate(classes) if k in present},
        "pr": {c: pr(onehot[:, k], probs[:, k]) for k, c in enumerate(classes) if onehot[:, k].sum() > 0},
    }
    out["roc"]["micro"] = roc(onehot.ravel(), probs.ravel())
    out["pr"]["micro"] = pr(onehot.ravel(), probs.ravel())
    return out

json.dump([evaluate(d) for d in json.load(sys.stdin)], sys.stdout)
`;

/** A point of a scikit-learn curve. */
interface SkPoint {
  threshold: number;
  x: number;
  y: number;
}

/** What {@link sklearnMetrics} returns. */
interface SklearnMetrics {
  accuracy: number;
  /** `average_precision_score(onehot, probs, average='macro')`. */
  aucPrMacroAll: number;
  /** Mean one-vs-rest AP over classes present in the truth. */
  aucPrPresent: number;
  /** `roc_auc_score(multi_class='ovr', average='macro')` when defined (multiclass, every class present). */
  aucRocOvr: number | null;
  aucRocPresent: number;
  logLoss: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: number[][];
  roc: Record<string, SkPoint[]>;
  pr: Record<string, SkPoint[]>;
}

interface Case {
  truth: string[];
  classes: string[];
  probabilities: number[][];
}

/** Runs scikit-learn's metrics on each case in one Python process (its start-up takes about a second). */
function sklearnMetrics(cases: Case[]): SklearnMetrics[] {
  const python = process.env.TVX_PYTHON ?? '/usr/bin/python3';
  const out = execFileSync(python, ['-c', SCRIPT], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as SklearnMetrics[];
}

/** Deterministic pseudo-random numbers (mulberry32) so the data is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Truth and probabilities for `n` examples: small integer weights (so scores tie often), the true class
 * weighted up so the model is better than chance; `drift` scales rows to sum to 1 ± drift.
 */
function fixture(seed: number, n: number, classes: string[], drift = 0) {
  const next = random(seed);
  const truth = Array.from({ length: n }, (_, i) => classes[i % classes.length]!);
  const probabilities = truth.map((t) => {
    const w = classes.map((c) => Math.floor(next() * 5) + (c === t && next() < 0.7 ? 3 : 0));
    if (!w.some((v) => v > 0)) w[0] = 1;
    const sum = w.reduce((a, b) => a + b, 0);
    const scale = 1 + (next() * 2 - 1) * drift;
    return w.map((v) => (v / sum) * scale);
  });
  return { truth, probabilities };
}

function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs scikit-learn ${expected}`).toBeLessThan(1e-9);
}

function expectCurve(actual: readonly SkPoint[], expected: readonly SkPoint[], what: string): void {
  expect(actual.length, `${what}: number of points`).toBe(expected.length);
  actual.forEach((p, i) => {
    const e = expected[i]!;
    expectClose(p.threshold, e.threshold, `${what}[${i}].threshold`);
    expectClose(p.x, e.x, `${what}[${i}].x`);
    expectClose(p.y, e.y, `${what}[${i}].y`);
  });
}

function expectSameAsSklearn(m: ModelMetrics, sk: SklearnMetrics, classes: string[]): void {
  expectClose(m.accuracy, sk.accuracy, 'accuracy');
  expectClose(m.aucPr, sk.aucPrPresent, 'aucPr');
  expectClose(m.aucRoc, sk.aucRocPresent, 'aucRoc');
  expectClose(m.logLoss, sk.logLoss, 'logLoss');
  expect(m.confusionMatrix).toEqual({ labels: classes, counts: sk.confusion });
  m.perClass.forEach((c, k) => {
    const e = sk.perClass[k]!;
    expect(c.label).toBe(e.label);
    expect(c.support).toBe(e.support);
    expectClose(c.precision, e.precision, `${c.label} precision`);
    expectClose(c.recall, e.recall, `${c.label} recall`);
    expectClose(c.f1, e.f1, `${c.label} f1`);
  });
  for (const [key, curve] of Object.entries(sk.roc)) expectCurve(m.roc[key]!, curve, `roc[${key}]`);
  for (const [key, curve] of Object.entries(sk.pr)) expectCurve(m.pr[key]!, curve, `pr[${key}]`);
}

describe('evaluatePredictions against scikit-learn', () => {
  const multiclass = { classes: ['0', '1', '2', '3'], ...fixture(7, 120, ['0', '1', '2', '3']) };
  const binary = { classes: ['benign', 'malignant'], ...fixture(11, 90, ['benign', 'malignant'], 5e-4) };
  const twoOfThree = fixture(3, 60, ['a', 'b']);
  const absent = {
    classes: ['a', 'b', 'c'],
    truth: twoOfThree.truth,
    probabilities: twoOfThree.probabilities.map(([a, b]) => [a! * 0.8, b! * 0.8, 0.2]),
  };
  const certain = {
    classes: ['a', 'b'],
    truth: ['a', 'b'],
    probabilities: [
      [0, 1],
      [0, 1],
    ],
  };
  let sk: SklearnMetrics[] = [];
  beforeAll(() => {
    sk = sklearnMetrics([multiclass, binary, absent, certain]);
  });
  const evaluate = (c: Case, kind = 'custom') => evaluatePredictions(c.truth, { name: 'm', kind, ...c });

  it('multiclass with tied scores: every metric and curve within 1e-9', () => {
    const m = evaluate(multiclass);
    expectSameAsSklearn(m, sk[0]!, multiclass.classes);
    // With every class present, the macro averages are scikit-learn's own macro averages.
    expectClose(m.aucPr, sk[0]!.aucPrMacroAll, 'aucPr (average_precision_score macro)');
    expectClose(m.aucRoc, sk[0]!.aucRocOvr!, 'aucRoc (roc_auc_score ovr macro)');
    expect(Object.keys(m.roc)).toEqual([...multiclass.classes, 'micro']);
    expect(m.examples).toBe(120);
  });

  it('binary (two classes) and rows that sum to 1 ± 5e-4 (renormalised for log loss)', () => {
    expectSameAsSklearn(evaluate(binary, 'bqml'), sk[1]!, binary.classes);
  });

  it('a class absent from the truth is left out of the macro AUCs (scikit-learn would fail or count 0)', () => {
    const m = evaluate(absent, 'automl');
    expectSameAsSklearn(m, sk[2]!, absent.classes);
    expect(m.perClass[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.aucPr).toBeGreaterThan(sk[2]!.aucPrMacroAll); // scikit-learn counts AP 0 for 'c'
  });

  it('log loss clips certain-but-wrong predictions at 1e-15', () => {
    const m = evaluate(certain);
    expectClose(m.logLoss, sk[3]!.logLoss, 'logLoss');
    expect(m.logLoss).toBeCloseTo(-Math.log(1e-15) / 2, 6);
    expect(m.accuracy).toBe(0.5);
  });
});

describe('evaluatePredictions validation', () => {
  const classes = ['a', 'b'];
  const ok = { name: 'm', kind: 'custom', classes, probabilities: [[0.5, 0.5]] };
  const fails = (truth: string[], p: object, field: string) => {
    try {
      evaluatePredictions(truth, p as typeof ok);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      return (err as ValidationError).message;
    }
    throw new Error('expected a ValidationError');
  };

  it('names the model, the row and the fix', () => {
    expect(fails(['a', 'b'], ok, 'predictions "m".probabilities')).toMatch(/1 rows but there are 2/);
    expect(fails(['a'], { ...ok, probabilities: [[0.5, 0.6]] }, 'predictions "m".probabilities[0]')).toMatch(
      /sums to 1\.1.*normalise/,
    );
    expect(
      fails(['a'], { ...ok, probabilities: [[2.3, -1.3]] }, 'predictions "m".probabilities[0][0]'),
    ).toMatch(/softmax/);
    expect(
      fails(['a'], { ...ok, probabilities: [[Number.NaN, 1]] }, 'predictions "m".probabilities[0][0]'),
    ).toBeTruthy();
    expect(fails(['z'], ok, 'truth[0]')).toMatch(/"z".*not among the classes of predictions "m"/);
    expect(fails(['a'], { ...ok, classes: ['a'], probabilities: [[1]] }, 'predictions "m".classes')).toMatch(
      /two/,
    );
    expect(fails([], ok, 'truth')).toMatch(/non-empty/);
    expect(fails(['a'], { ...ok, ids: ['x', 'y'] }, 'predictions "m".ids')).toMatch(/one id per/);
  });
});

describe('buildLeaderboard', () => {
  const truth = ['a', 'b', 'c', 'a'];
  const good = {
    name: 'good',
    kind: 'custom',
    classes: ['a', 'b', 'c'],
    probabilities: [
      [0.8, 0.1, 0.1],
      [0.1, 0.8, 0.1],
      [0.1, 0.1, 0.8],
      [0.6, 0.3, 0.1],
    ],
    ids: ['1', '2', '3', '4'],
  };
  // The same predictions with columns in another order, and a worse model.
  const shuffled = {
    ...good,
    name: 'shuffled',
    classes: ['c', 'a', 'b'],
    probabilities: good.probabilities.map(([a, b, c]) => [c!, a!, b!]),
  };
  const poor = {
    name: 'poor',
    kind: 'bqml',
    classes: ['a', 'b', 'c'],
    probabilities: good.probabilities.map(([a, b, c]) => [b!, c!, a!]),
  };

  it('ranks by AUC-PR and puts columns in the first model order', () => {
    const board = buildLeaderboard(truth, [poor, shuffled, good]);
    expect(board.classes).toEqual(['a', 'b', 'c']);
    expect(board.truthLabels).toEqual(truth);
    expect(board.models.map((m) => m.name)).toEqual(['shuffled', 'good', 'poor']);
    const [s, g] = board.models;
    expect({ ...s, name: 'good' }).toEqual(g);
    expect(g!.accuracy).toBe(1);
    expect(board.models[2]!.accuracy).toBe(0);
  });

  it('refuses different class sets, duplicate names and misaligned ids', () => {
    expect(() => buildLeaderboard(truth, [good, { ...poor, classes: ['a', 'b', 'd'] }])).toThrow(
      /differ from/,
    );
    expect(() => buildLeaderboard(truth, [good, { ...poor, name: 'good' }])).toThrow(/used by two models/);
    expect(() => buildLeaderboard(truth, [good, { ...poor, ids: ['1', '2', '4', '3'] }])).toThrow(
      /ids\[2\].*same order/,
    );
    expect(() => buildLeaderboard(truth, [])).toThrow(ValidationError);
  });
});
