/**
 * The comparison report: parsed as HTML by Python's html.parser (every element closed in order), every
 * image decoded by Pillow, one section per model, no script or external reference, input text escaped.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { showComparison } from './display.ts';
import { buildLeaderboard } from './metrics.ts';
import { comparisonReportHtml, leaderboardHtml, leaderboardRows } from './report.ts';
import type { ModelPredictions } from './types.ts';

const CHECK = `
import base64, io, json, sys
from html.parser import HTMLParser
from PIL import Image

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.sections, self.images, self.external, self.scripts = [], [], [], [], [], 0
        self.text = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script": self.scripts += 1
        if tag == "section" and a.get("class") == "model": self.sections.append(a.get("data-model"))
        for key in ("src", "href"):
            if key in a and not a[key].startswith("data:"): self.external.append(a[key])
        if tag == "img":
            head, data = a["src"].split(",", 1)
            image = Image.open(io.BytesIO(base64.b64decode(data)))
            image.load()
            self.images.append({"type": head, "format": image.format, "width": image.width, "height": image.height})
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()
    def handle_data(self, data):
        self.text.append(data)

c = Check()
c.feed(sys.stdin.read())
c.close()
json.dump({"errors": c.errors + [f"<{t}> not closed" for t in c.stack], "sections": c.sections, "images": c.images,
           "external": c.external, "scripts": c.scripts, "text": " ".join(c.text)}, sys.stdout)
`;

interface Checked {
  errors: string[];
  sections: string[];
  images: { type: string; format: string; width: number; height: number }[];
  external: string[];
  scripts: number;
  text: string;
}

function checkHtml(html: string): Checked {
  const python = process.env.TVX_PYTHON ?? '/usr/bin/python3';
  return JSON.parse(execFileSync(python, ['-c', CHECK], { input: html, encoding: 'utf8' })) as Checked;
}

const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const TRUTH = Array.from({ length: 60 }, (_, i) => CLASSES[i % 10]!);

/** A model that gives the true class `confidence` (or the next class, every `missEvery` examples). */
function model(name: string, kind: string, confidence: number, missEvery: number): ModelPredictions {
  const rest = (1 - confidence) / 9;
  return {
    name,
    kind,
    classes: CLASSES,
    probabilities: TRUTH.map((t, i) => {
      const hit = (Number(t) + (i % missEvery === 0 ? 1 : 0)) % 10;
      return CLASSES.map((_, j) => (j === hit ? confidence : rest));
    }),
  };
}

const board = buildLeaderboard(TRUTH, [
  model('BigQuery ML logistic regression', 'bqml', 0.5, 4),
  model('<b>custom</b> & "CNN"', 'custom', 0.9, 12),
  model('AutoML Vision', 'automl', 0.7, 6),
]);

describe('leaderboardHtml', () => {
  it('ranks the models and bolds the best value of each column', () => {
    expect(leaderboardRows(board).map((r) => r.model)).toEqual([
      '<b>custom</b> & "CNN"',
      'AutoML Vision',
      'BigQuery ML logistic regression',
    ]);
    const html = leaderboardHtml(board);
    const best = board.models[0]!;
    expect(html).toContain(`<b>${best.accuracy.toFixed(4)}</b>`);
    expect(html).toContain(`<b>${best.logLoss.toFixed(4)}</b>`);
    expect(html).not.toContain(`<b>${board.models[2]!.logLoss.toFixed(4)}</b>`);
    expect(html).toContain('&lt;b&gt;custom&lt;/b&gt; &amp; &quot;CNN&quot;');
  });
});

describe('comparisonReportHtml', () => {
  it('is one well-formed self-contained document with a section and decodable images per model', async () => {
    const html = await comparisonReportHtml(board, {
      title: 'Digits <test>',
      subtitle: 'TEST split',
      generatedAt: new Date('2025-01-02T03:04:05Z'),
    });
    const checked = checkHtml(html);
    expect(checked.errors).toEqual([]);
    expect(checked.scripts).toBe(0);
    expect(checked.external).toEqual([]);
    expect(checked.sections).toEqual(board.models.map((m) => m.name));
    // Two overview charts, then ROC, PR and confusion matrix per model.
    expect(checked.images).toHaveLength(2 + 3 * board.models.length);
    for (const image of checked.images) {
      expect(image).toMatchObject({ type: 'data:image/png;base64', format: 'PNG' });
      expect(image.width).toBeGreaterThan(100);
    }
    expect(checked.images.at(-1)).toMatchObject({ width: 10 * 32 + 1, height: 10 * 32 + 1 });
    expect(checked.text).toContain('Digits <test>');
    expect(checked.text).toContain('<b>custom</b> & "CNN"');
    expect(checked.text).toContain('2025-01-02T03:04:05.000Z');
    expect(html).not.toContain('<b>custom</b>');
  });
});

describe('showComparison', () => {
  const hook = globalThis as { __tslab__?: unknown };
  afterEach(() => {
    delete hook.__tslab__;
  });

  it('shows the tables and the figures in a tslab kernel and nothing elsewhere', async () => {
    const shown: string[] = [];
    const display = {
      html: (h: string) => shown.push(h),
      svg: () => {},
      png: () => {},
      markdown: () => {},
      text: () => {},
    };
    await showComparison(board);
    expect(shown).toHaveLength(0);
    hook.__tslab__ = { require: () => ({ display, newDisplay: () => display }) };
    await showComparison(board);
    expect(shown).toHaveLength(3);
    expect(shown[0]).toContain('Leaderboard');
    expect(shown[2]!.match(/data:image\/png;base64,/g)).toHaveLength(11);
  });
});
