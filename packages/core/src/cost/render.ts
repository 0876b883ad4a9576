/** An estimate as text (CLI, dry runs), as HTML (notebooks, reports) and as a tslab display. */
import { escapeHtml, htmlTable } from '../display/html.ts';
import { showHtml } from '../display/notebook.ts';
import { type CostEstimate, costPerDay, formatUsd } from './estimate.ts';

function sources(e: CostEstimate): string[] {
  const seen = new Map<string, string>();
  for (const l of e.lines) seen.set(l.rate.source, l.rate.checked);
  return [...seen].map(([source, checked]) => `${source} (checked ${checked})`);
}

/**
 * A multi-line explanation, e.g.
 * ```
 * Estimated cost of custom job "x": $0.2185 (based on expectedDuration 30 min)
 *   workerPoolSpecs[0]: 1 × n1-standard-4: 1 replica × $0.218499 per hour per replica (…) × 1 hours = $0.2185
 *   $0.2185 per hour while it runs
 *   note: …
 *   prices: https://cloud.google.com/vertex-ai/pricing (checked 2026-11-26)
 * ```
 */
export function costEstimateText(e: CostEstimate): string {
  const out = [`Estimated cost of ${e.what}: ${formatUsd(e.totalUsd)} (based on ${e.basis})`];
  for (const l of e.lines) out.push(`  ${l.item}: ${l.explanation}`);
  if (e.hourlyUsd !== undefined)
    out.push(`  ${formatUsd(e.hourlyUsd)} per hour (${formatUsd(costPerDay(e))} per day)`);
  for (const n of e.notes) out.push(`  note: ${n}`);
  const s = sources(e);
  if (s.length) out.push(`  prices: ${s.join('; ')}`);
  return out.join('\n');
}

/** A table of the lines with the total, the basis and the notes; the caption names the sources and dates. */
export function costEstimateHtml(e: CostEstimate): string {
  const rows = e.lines.map((l) => ({
    item: l.item,
    rate: `$${l.rate.usd} per ${l.rate.unit} (${l.rate.what})`,
    multiplier: l.multiplier,
    quantity: `${Number(l.quantity.toPrecision(6))} ${l.quantityUnit}`,
    usd: formatUsd(l.usd),
  }));
  rows.push({ item: 'total', rate: '', multiplier: Number.NaN, quantity: '', usd: formatUsd(e.totalUsd) });
  const table = htmlTable(rows, {
    columns: ['item', 'rate', 'multiplier', 'quantity', 'usd'],
    headers: { usd: 'USD' },
    caption: `Estimated cost of ${e.what}: ${formatUsd(e.totalUsd)} — prices: ${sources(e).join('; ')}`,
    format: (v) => (typeof v === 'number' && Number.isNaN(v) ? '' : String(v)),
  });
  const hourly =
    e.hourlyUsd === undefined
      ? ''
      : `<div>${escapeHtml(`${formatUsd(e.hourlyUsd)} per hour (${formatUsd(costPerDay(e))} per day)`)}</div>`;
  const notes = e.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  return (
    `<div style="font-size:13px">${table}<div>Based on ${escapeHtml(e.basis)}.</div>${hourly}` +
    `${notes ? `<ul style="margin:4px 0;color:#555">${notes}</ul>` : ''}</div>`
  );
}

/** Shows {@link costEstimateHtml} in a tslab notebook (prints the text elsewhere is the caller's choice). */
export function showCostEstimate(e: CostEstimate): void {
  showHtml(costEstimateHtml(e));
}
