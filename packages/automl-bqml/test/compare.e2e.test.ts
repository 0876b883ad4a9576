/**
 * The baseline comparison end to end on the emulator: a PyTorch CNN from the generated trainer, AutoML Vision
 * and a BigQuery ML logistic regression, trained locally on the same digits, predict the same held-out examples;
 * the leaderboard's metrics agree with the predictions and the HTML report embeds its pictures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeClients, init, resetConfig, ValidationError } from '@terra-vertex/core';
import { type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonReportHtml } from '../src/compare/report.ts';
import type { ModelPredictions } from '../src/compare/types.ts';
import { alignPredictions, compareModels } from '../src/index.ts';
import { type ComparisonModels, heldOutPredictions, trainComparisonModels } from './compare-fixture.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Accuracy and log loss recomputed here from the rows, in the truth's order. */
function recomputed(p: ModelPredictions, ids: string[], labels: string[]) {
  const rows = alignPredictions(p, ids).probabilities;
  let hits = 0;
  let loss = 0;
  rows.forEach((row, i) => {
    const top = row.indexOf(Math.max(...row));
    if (p.classes[top] === labels[i]) hits++;
    // scikit-learn's log loss: clipped to [1e-15, 1 - 1e-15], then each row renormalised (float32
    // confidences sum to 1 ± 1e-7).
    const clipped = row.map((v) => Math.min(Math.max(v, 1e-15), 1 - 1e-15));
    const sum = clipped.reduce((a, b) => a + b, 0);
    loss -= Math.log(clipped[p.classes.indexOf(labels[i]!)]! / sum);
  });
  return { accuracy: hits / rows.length, logLoss: loss / rows.length };
}

describe('compareModels on a custom model, AutoML Vision and BigQuery ML', () => {
  let emu: RunningEmulator;
  let work: string;
  let models: ComparisonModels;

  beforeAll(async () => {
    emu = await startEmulator();
    resetConfig();
    init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
    work = mkdtempSync(join(tmpdir(), 'tvx-compare-'));
    models = await trainComparisonModels(work);
    console.log(`trained in ${JSON.stringify(models.seconds)} s`);
  }, 600_000);
  afterAll(async () => {
    await closeClients();
    resetConfig();
    await emu?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ranks the three on the same held-out examples with metrics that agree with their predictions', async () => {
    const { heldOut } = models;
    const [custom, automl, bqml] = (await heldOutPredictions(models)) as [
      ModelPredictions,
      ModelPredictions,
      ModelPredictions,
    ];
    expect([...bqml.ids!].sort()).toEqual([...heldOut.ids].sort());
    expect(heldOut.ids.length).toBeGreaterThanOrEqual(30);
    for (const p of [custom, automl, bqml]) {
      expect([...p.classes].sort()).toEqual([...heldOut.classes].sort());
      for (const row of p.probabilities) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    }

    const board = compareModels({ truth: heldOut, predictions: [custom, automl, bqml] });
    expect(board.classes).toEqual(heldOut.classes); // digits in numeric order, whatever each model's order
    expect(heldOut.classes.slice(0, 3)).toEqual(['zero', 'one', 'two']);
    expect(board.models.map((m) => m.kind).sort()).toEqual(['automl', 'bqml', 'custom']);
    const aucPrs = board.models.map((m) => m.aucPr);
    expect(aucPrs).toEqual([...aucPrs].sort((a, b) => b - a));
    for (const m of board.models) {
      const p = [custom, automl, bqml].find((x) => x.name === m.name)!;
      const again = recomputed(p, heldOut.ids, heldOut.labels);
      console.log(
        `${m.name}: accuracy ${m.accuracy.toFixed(3)}, AUC-PR ${m.aucPr.toFixed(3)}, AUC-ROC ${m.aucRoc.toFixed(3)}, log loss ${m.logLoss.toFixed(3)}`,
      );
      expect(m.examples).toBe(heldOut.ids.length);
      expect(m.accuracy).toBeCloseTo(again.accuracy, 12);
      expect(m.logLoss).toBeCloseTo(again.logLoss, 9);
      expect(m.accuracy).toBeGreaterThan(0.5); // ten classes: chance is 0.1
      for (const v of [m.aucPr, m.aucRoc]) {
        expect(v).toBeGreaterThan(0.5);
        expect(v).toBeLessThanOrEqual(1);
      }
      const counts = m.confusionMatrix.counts;
      expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(heldOut.ids.length);
      const diagonal = counts.reduce((s, row, i) => s + row[i]!, 0);
      expect(diagonal / heldOut.ids.length).toBeCloseTo(m.accuracy, 12);
      for (const c of m.perClass) {
        expect(c.support).toBe(heldOut.labels.filter((l) => l === c.label).length);
        for (const v of [c.precision, c.recall, c.f1]) expect(v >= 0 && v <= 1).toBe(true);
      }
    }

    const html = await comparisonReportHtml(board, { title: 'Digits: custom vs AutoML vs BigQuery ML' });
    writeFileSync(join(work, 'report.html'), html);
    const sections = [...html.matchAll(/<section\b[\s\S]*?<\/section>/g)].map((x) => x[0]);
    expect(sections).toHaveLength(3);
    for (const m of board.models) {
      const own = sections.filter((x) => x.includes(m.name));
      expect(own, m.name).toHaveLength(1);
      expect(own[0]).toContain('data:image/png;base64,');
    }
    const images = [...html.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((x) =>
      Buffer.from(x[1]!, 'base64'),
    );
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const png of images) expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('refuses predictions that do not cover exactly the held-out examples', () => {
    const { heldOut } = models;
    const rows = heldOut.ids.map(() => heldOut.classes.map(() => 1 / heldOut.classes.length));
    const short: ModelPredictions = {
      name: 'short',
      kind: 'test',
      classes: heldOut.classes,
      probabilities: rows.slice(1),
      ids: heldOut.ids.slice(1),
    };
    const full = { ...short, name: 'full', probabilities: rows, ids: heldOut.ids };
    const err = (() => {
      try {
        compareModels({ truth: heldOut, predictions: [full, short] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain(`no prediction for ${heldOut.ids[0]}`);
  });
});
