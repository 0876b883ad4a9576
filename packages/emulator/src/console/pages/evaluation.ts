import type { Json } from '../../vertex/protos.ts';
import { chart } from '../chart-spec.ts';
import { formatNumber, formatTime, lastSegment } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

/**
 * A confusion matrix (`{annotationSpecs, rows}`, rows = truth, columns = prediction) as an HTML table, each
 * cell shaded by its share of the row (its recall for the diagonal).
 */
export function confusionMatrix(cm: Json): SafeHtml {
  const specs = ((cm.annotationSpecs as Json[] | undefined) ?? []).map((s) =>
    String(s.displayName ?? s.id ?? '?'),
  );
  const rows = ((cm.rows as unknown[][] | undefined) ?? []).map((r) => r.map(Number));
  return html`<table class="cm"><thead><tr><th>truth ↓ / predicted →</th>${specs.map((s) => html`<th>${s}</th>`)}</tr></thead><tbody>${rows.map(
    (row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      return html`<tr><th>${specs[i] ?? i}</th>${row.map((n, j) => {
        const share = n / total;
        const [r, g, b] = i === j ? [26, 127, 55] : [207, 34, 46];
        const style = `background: rgba(${r}, ${g}, ${b}, ${(share * 0.85).toFixed(3)}); color: ${share > 0.55 ? '#fff' : 'inherit'}`;
        return html`<td class="cell" style="${style}" title="${(share * 100).toFixed(1)}% of ${specs[i] ?? i}">${n}</td>`;
      })}</tr>`;
    },
  )}</tbody></table>`;
}

/** Precision against recall from the `confidenceMetrics` of a classification evaluation. */
export function prPoints(metrics: Json): [number, number][] {
  return ((metrics.confidenceMetrics as Json[] | undefined) ?? [])
    .filter((m) => typeof m.recall === 'number' || typeof m.precision === 'number')
    .map((m): [number, number] => [Number(m.recall ?? 0), Number(m.precision ?? 0)])
    .sort((a, b) => a[0] - b[0] || b[1] - a[1]);
}

/** Scalar metrics (auPrc, logLoss, meanAbsoluteError …) of an evaluation. */
function scalarMetrics(metrics: Json): [string, unknown][] {
  return Object.entries(metrics).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
}

/** One model evaluation: its scalar metrics, confusion matrix and precision–recall curve. */
export function evaluationView(e: Json, version?: string): SafeHtml {
  const metrics = (e.metrics ?? {}) as Json;
  const scalars = scalarMetrics(metrics);
  const cm = metrics.confusionMatrix as Json | undefined;
  const pr = prPoints(metrics);
  const schema = lastSegment(e.metricsSchemaUri)
    .replace(/_\d+\.\d+\.\d+\.yaml$/, '')
    .replace(/_/g, ' ');
  return html`<section class="evaluation"><h3>${(e.displayName as string) || `Evaluation ${lastSegment(e.name)}`}${version ? ` (version ${version})` : ''}</h3>
<p class="muted">${schema || 'metrics'} · ${formatTime(e.createTime)}</p>
${scalars.length ? html`<table class="metrics"><tbody>${scalars.map(([k, v]) => html`<tr><th>${k}</th><td class="num">${formatNumber(v)}</td></tr>`)}</tbody></table>` : ''}
<div class="grid2">${cm ? html`<div><h4>Confusion matrix</h4>${confusionMatrix(cm)}</div>` : ''}${pr.length ? html`<div>${chart('Precision–recall', { x: 'recall', y: 'precision', kind: 'line', xRange: [0, 1], yRange: [0, 1.02], series: [{ label: 'precision', points: pr }] })}</div>` : ''}</div></section>`;
}
