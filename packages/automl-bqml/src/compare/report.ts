/**
 * The comparison as HTML: the leaderboard table, per-class precision and recall, ROC and precision–recall
 * curves and confusion matrices side by side, in one self-contained file (images embedded as PNG data
 * URIs, inline styles, no scripts, no external requests). Every string from the input is escaped.
 */
import { escapeHtml, htmlTable, rawHtml } from '@terra-vertex/core';
import { type CurveSeries, chartImg, confusionMatrixFigure, curveChartSvg } from './report-charts.ts';
import type { CurvePoint, Leaderboard, ModelMetrics } from './types.ts';

/** One leaderboard row as plain values (for CLI tables and JSON). */
export interface LeaderboardRow {
  rank: number;
  model: string;
  kind: string;
  examples: number;
  accuracy: number;
  aucPr: number;
  aucRoc: number;
  logLoss: number;
}

/** The leaderboard as rows, best first. */
export function leaderboardRows(b: Leaderboard): LeaderboardRow[] {
  return b.models.map((m, i) => ({
    rank: i + 1,
    model: m.name,
    kind: m.kind,
    examples: m.examples,
    accuracy: m.accuracy,
    aucPr: m.aucPr,
    aucRoc: m.aucRoc,
    logLoss: m.logLoss,
  }));
}

/** A metric with 4 decimals, or 'n/a' when undefined (NaN). */
export function formatMetric(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'n/a';
}

const METRIC_COLUMNS = [
  { key: 'accuracy', header: 'accuracy', better: 'higher' },
  { key: 'aucPr', header: 'AUC-PR', better: 'higher' },
  { key: 'aucRoc', header: 'AUC-ROC', better: 'higher' },
  { key: 'logLoss', header: 'log loss', better: 'lower' },
] as const;

/**
 * The leaderboard table: one row per model, best first (AUC-PR, then accuracy), the best value of each
 * metric column in bold (ties all bold).
 */
export function leaderboardHtml(b: Leaderboard): string {
  const rows = leaderboardRows(b);
  const cells = rows.map((row) => {
    const out: Record<string, unknown> = {
      rank: row.rank,
      model: row.model,
      kind: row.kind,
      examples: row.examples,
    };
    for (const c of METRIC_COLUMNS) {
      const values = rows.map((r) => r[c.key]).filter(Number.isFinite);
      const best = c.better === 'higher' ? Math.max(...values) : Math.min(...values);
      const text = escapeHtml(formatMetric(row[c.key]));
      out[c.key] = rawHtml(
        `<span style="display:block;text-align:right">${row[c.key] === best ? `<b>${text}</b>` : text}</span>`,
      );
    }
    return out;
  });
  const headers: Record<string, string> = {};
  for (const c of METRIC_COLUMNS) headers[c.key] = `${c.header} (${c.better} is better)`;
  return htmlTable(cells, {
    columns: ['rank', 'model', 'kind', 'examples', ...METRIC_COLUMNS.map((c) => c.key)],
    headers,
    caption: `Leaderboard on ${b.truthLabels.length} held-out examples`,
  });
}

/** Precision and recall of every class for every model (models in leaderboard order), with the support. */
export function perClassHtml(b: Leaderboard): string {
  const rows = b.classes.map((label, k) => {
    const row: Record<string, unknown> = { class: label, support: b.models[0]?.perClass[k]?.support ?? 0 };
    b.models.forEach((m, i) => {
      row[`p${i}`] = rawHtml(
        `<span style="display:block;text-align:right">${formatMetric(m.perClass[k]!.precision)}</span>`,
      );
      row[`r${i}`] = rawHtml(
        `<span style="display:block;text-align:right">${formatMetric(m.perClass[k]!.recall)}</span>`,
      );
    });
    return row;
  });
  const headers: Record<string, string> = {};
  b.models.forEach((m, i) => {
    headers[`p${i}`] = `${m.name}: precision`;
    headers[`r${i}`] = `${m.name}: recall`;
  });
  return htmlTable(rows, {
    columns: ['class', 'support', ...b.models.flatMap((_, i) => [`p${i}`, `r${i}`])],
    headers,
    caption: 'Per-class precision and recall (one-vs-rest; the predicted class is the most probable one)',
  });
}

function classSeries(
  curves: Record<string, CurvePoint[]>,
  labels: readonly string[],
  micro: string,
): CurveSeries[] {
  return [
    ...labels.filter((l) => curves[l]).map((l) => ({ name: l, points: curves[l]! })),
    { name: micro, points: curves.micro ?? [], dashed: true },
  ];
}

/** The images of one model: per-class ROC and PR curves and the confusion matrix. */
export function modelFigures(m: ModelMetrics): { html: string; png: Uint8Array }[] {
  const labels = m.confusionMatrix.labels;
  const roc = curveChartSvg(classSeries(m.roc, labels, 'micro average'), {
    title: `ROC — ${m.name} (AUC ${formatMetric(m.aucRoc)})`,
    xLabel: 'false positive rate',
    yLabel: 'true positive rate',
    diagonal: true,
  });
  const pr = curveChartSvg(classSeries(m.pr, labels, 'micro average'), {
    title: `Precision–recall — ${m.name} (AP ${formatMetric(m.aucPr)})`,
    xLabel: 'recall',
    yLabel: 'precision',
  });
  return [
    chartImg(roc, `ROC curves of ${m.name}, one per class`),
    chartImg(pr, `Precision-recall curves of ${m.name}, one per class`),
    confusionMatrixFigure(labels, m.confusionMatrix.counts, `Confusion matrix — ${m.name}`),
  ];
}

/** Micro-averaged ROC and PR curves of all models on one chart each. */
export function overviewFigures(b: Leaderboard): { html: string; png: Uint8Array }[] {
  const series = (kind: 'roc' | 'pr') => b.models.map((m) => ({ name: m.name, points: m[kind].micro ?? [] }));
  return [
    chartImg(
      curveChartSvg(series('roc'), {
        title: 'ROC, micro average over classes',
        xLabel: 'false positive rate',
        yLabel: 'true positive rate',
        diagonal: true,
      }),
      'ROC curves of all models (micro average)',
    ),
    chartImg(
      curveChartSvg(series('pr'), {
        title: 'Precision–recall, micro average',
        xLabel: 'recall',
        yLabel: 'precision',
      }),
      'Precision-recall curves of all models (micro average)',
    ),
  ];
}

/** Options of {@link comparisonReportHtml}. */
export interface ComparisonReportOptions {
  /** Default 'Baseline comparison'. */
  title?: string;
  /** A line under the title, e.g. the data set and split. */
  subtitle?: string;
  /** Default: now. */
  generatedAt?: Date;
}

const STYLE = `body{font-family:sans-serif;margin:24px;color:#222;max-width:1800px}
h1{margin-bottom:4px}.sub{color:#555;margin-top:0}
.note{color:#555;font-size:12px;max-width:900px}`;

// Inline styles, so that the figures look the same in a notebook, where the document's <style> is absent.
const ROW = 'display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start';
const SECTION = 'border:1px solid #ddd;border-radius:6px;padding:8px 12px;flex:0 0 auto';
const FIGURE = 'margin:8px 0';

/** The side-by-side figures: all models' micro curves, then one section per model. */
export function figuresHtml(b: Leaderboard): string {
  const overview = overviewFigures(b)
    .map((f) => `<figure style="${FIGURE}">${f.html}</figure>`)
    .join('');
  const sections = b.models.map((m, i) => {
    const [roc, pr, cm] = modelFigures(m);
    const summary = `accuracy ${formatMetric(m.accuracy)} · AUC-PR ${formatMetric(m.aucPr)} · AUC-ROC ${formatMetric(m.aucRoc)} · log loss ${formatMetric(m.logLoss)}`;
    return (
      `<section class="model" id="model-${i + 1}" data-model="${escapeHtml(m.name)}" style="${SECTION}">` +
      `<h3 style="margin:4px 0 8px">${i + 1}. ${escapeHtml(m.name)} <small style="color:#666">(${escapeHtml(m.kind)})</small></h3>` +
      `<div style="color:#555;font-size:12px">${escapeHtml(summary)}</div>` +
      `<figure style="${FIGURE}">${roc!.html}</figure><figure style="${FIGURE}">${pr!.html}</figure>${cm!.html}</section>`
    );
  });
  return (
    `<div style="${ROW}">${overview}</div>` +
    `<h3>Side by side</h3><div style="${ROW}">${sections.join('')}</div>`
  );
}

/**
 * One self-contained HTML document comparing the models: the leaderboard, per-class precision and recall,
 * micro-averaged ROC and precision–recall curves of all models together, and one section per model (side
 * by side) with its per-class curves and confusion matrix. Images are PNG data URIs: the file can be
 * mailed or opened offline. Text needs a font for the charts (`fonts-dejavu-core` on Debian/Ubuntu).
 *
 * @example
 * await writeFile('report.html', await comparisonReportHtml(buildLeaderboard(truth, predictions)));
 */
export async function comparisonReportHtml(b: Leaderboard, o: ComparisonReportOptions = {}): Promise<string> {
  const title = o.title ?? 'Baseline comparison';
  const generatedAt = o.generatedAt ?? new Date();
  // Rendering is synchronous; yield once so a caller's spinner can draw before the PNGs are made.
  await new Promise((resolve) => setImmediate(resolve));
  const classes = b.classes.length > 12 ? `${b.classes.length} classes` : `classes ${b.classes.join(', ')}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
${o.subtitle ? `<p class="sub">${escapeHtml(o.subtitle)}</p>` : ''}
<p class="sub">${b.models.length} models on the same ${b.truthLabels.length} held-out examples; ${escapeHtml(classes)}. Generated ${escapeHtml(generatedAt.toISOString())}.</p>
<h2>Leaderboard</h2>
${leaderboardHtml(b)}
<h2>Per class</h2>
${perClassHtml(b)}
<h2>Curves</h2>
${figuresHtml(b)}
<p class="note">All metrics are computed here from each model's predicted probabilities, the same way for every model (scikit-learn's definitions): the predicted class is the most probable one; AUC-PR is the macro average over classes of the one-vs-rest average precision and AUC-ROC the macro average of the one-vs-rest ROC areas, over the classes present in the held-out data; log loss clips probabilities to [1e-15, 1 − 1e-15]. Micro averages pool every (example, class) pair.</p>
</body></html>
`;
}
