/**
 * Pictures of classification evaluations for notebooks: the precision–recall curve (SVG), the confusion
 * matrix (PNG heatmap or an HTML table), and helpers that show them in a tslab notebook.
 */
import { escapeHtml } from '../display/html.ts';
import { showHtml, showPng, showSvg } from '../display/notebook.ts';
import { heatmapPng } from '../display/png.ts';
import { lineChartSvg } from '../display/svg-chart.ts';
import {
  type ClassificationEvaluationMetrics,
  type ConfusionMatrix,
  ModelEvaluation,
  prCurveOf,
} from './model-evaluation.ts';

/** An evaluation, or its metrics, optionally named for the legend. */
export type EvaluationLike =
  | ModelEvaluation
  | ClassificationEvaluationMetrics
  | { name: string; evaluation: ModelEvaluation | ClassificationEvaluationMetrics };

function unpack(e: EvaluationLike, i: number): { name: string; metrics: ClassificationEvaluationMetrics } {
  if (e instanceof ModelEvaluation) return { name: `evaluation ${e.id}`, metrics: e.metrics };
  if ('evaluation' in e && typeof e.name === 'string') {
    const inner = e.evaluation as ModelEvaluation | ClassificationEvaluationMetrics;
    return { name: e.name, metrics: inner instanceof ModelEvaluation ? inner.metrics : inner };
  }
  return { name: `model ${i + 1}`, metrics: e as ClassificationEvaluationMetrics };
}

/** Options of {@link prCurveSvg}. */
export interface PrCurveOptions {
  title?: string;
  width?: number;
  height?: number;
}

/**
 * Precision against recall from each evaluation's `confidenceMetrics` (one point per threshold); several
 * evaluations (e.g. AutoML beside a baseline) share the axes. The title gives auPrc for a single one.
 */
export function prCurveSvg(
  evaluations: EvaluationLike | EvaluationLike[],
  options: PrCurveOptions = {},
): string {
  const list = (Array.isArray(evaluations) ? evaluations : [evaluations]).map(unpack);
  const series = list.map(({ name, metrics }) => ({
    name: metrics.auPrc === undefined ? name : `${name} (auPrc ${metrics.auPrc.toFixed(3)})`,
    points: prCurveOf(metrics).map((p) => [p.recall, p.precision] as const),
  }));
  const single = list.length === 1 ? list[0]!.metrics.auPrc : undefined;
  return lineChartSvg(series, {
    title: options.title ?? `Precision–recall${single === undefined ? '' : ` (auPrc ${single.toFixed(3)})`}`,
    xLabel: 'recall',
    yLabel: 'precision',
    width: options.width ?? 420,
    height: options.height ?? 320,
  });
}

function matrixOf(e: ModelEvaluation | ClassificationEvaluationMetrics | ConfusionMatrix): ConfusionMatrix {
  const m =
    e instanceof ModelEvaluation
      ? e.metrics.confusionMatrix
      : 'rows' in e
        ? (e as ConfusionMatrix)
        : (e as ClassificationEvaluationMetrics).confusionMatrix;
  if (!m)
    throw new RangeError(
      'this evaluation has no confusion matrix: Vertex gives one for single-label models with at most 10 labels',
    );
  return m;
}

/** The confusion matrix as a PNG heatmap (rows: ground truth, columns: prediction, in label order). */
export function confusionMatrixPng(
  evaluation: ModelEvaluation | ClassificationEvaluationMetrics | ConfusionMatrix,
  options: { cellSize?: number } = {},
): Uint8Array {
  return heatmapPng(matrixOf(evaluation).rows, { cellSize: options.cellSize ?? 40 });
}

/** The confusion matrix as an HTML table with the labels, cells shaded by their share of the row. */
export function confusionMatrixHtml(
  evaluation: ModelEvaluation | ClassificationEvaluationMetrics | ConfusionMatrix,
  options: { caption?: string } = {},
): string {
  const m = matrixOf(evaluation);
  const names = m.annotationSpecs.map((s) => s.displayName);
  const cell = 'border:1px solid #ddd;padding:3px 8px;text-align:right';
  const head = `<tr><th style="${cell}">true \\ predicted</th>${names.map((n) => `<th style="${cell}">${escapeHtml(n)}</th>`).join('')}</tr>`;
  const body = m.rows.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    const cells = row.map((v, j) => {
      const share = v / total;
      const colour = i === j ? `rgba(89,161,79,${share.toFixed(2)})` : `rgba(225,87,89,${share.toFixed(2)})`;
      return `<td style="${cell};background:${v ? colour : '#fff'}">${v}</td>`;
    });
    return `<tr><th style="${cell}">${escapeHtml(names[i] ?? '')}</th>${cells.join('')}</tr>`;
  });
  const caption = options.caption
    ? `<caption style="text-align:left;font-weight:bold;padding:4px 0">${escapeHtml(options.caption)}</caption>`
    : '';
  return `<table style="border-collapse:collapse;font-size:13px">${caption}<thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

/** Shows the precision–recall curve in a tslab notebook; false outside one. */
export function showPrCurve(
  evaluations: EvaluationLike | EvaluationLike[],
  options: PrCurveOptions = {},
): boolean {
  return showSvg(prCurveSvg(evaluations, options));
}

/** Shows the confusion matrix in a tslab notebook (an HTML table, or a PNG heatmap with `{ png: true }`). */
export function showConfusionMatrix(
  evaluation: ModelEvaluation | ClassificationEvaluationMetrics | ConfusionMatrix,
  options: { png?: boolean; caption?: string } = {},
): boolean {
  return options.png
    ? showPng(confusionMatrixPng(evaluation))
    : showHtml(confusionMatrixHtml(evaluation, options));
}
