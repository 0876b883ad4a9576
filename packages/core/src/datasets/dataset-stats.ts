/** Images per label and split of an image dataset, with the warnings AutoML Vision's data limits call for. */
import { escapeHtml, htmlTable } from '../display/html.ts';

/** Where an image goes: its `ml_use` label, or `unassigned` (Vertex splits those 80/10/10). */
export type DatasetSplit = 'training' | 'validation' | 'test' | 'unassigned';

/** One image of a dataset with its labels. */
export interface DataItemInfo {
  /** `projects/…/datasets/D/dataItems/I` */
  name: string;
  id: string;
  gcsUri: string;
  mimeType?: string;
  mlUse?: 'training' | 'validation' | 'test';
  /** Label display names (empty for an unlabeled image). */
  labels: string[];
  /** The data item's resource labels (`aiplatform.googleapis.com/ml_use` included). */
  itemLabels: Record<string, string>;
}

/** Image counts of one label (or of the unlabeled images). */
export interface LabelStats {
  label: string;
  training: number;
  validation: number;
  test: number;
  unassigned: number;
  total: number;
}

/** What {@link datasetStats} found. */
export interface DatasetStats {
  dataItems: number;
  unlabeled: number;
  /** Unlabeled images per split. */
  unlabeledSplits: Record<DatasetSplit, number>;
  /** One row per label, by label name; multi-label images count in each of their labels. */
  labels: LabelStats[];
  /** Images per split (each image once). */
  splits: Record<DatasetSplit, number>;
  /** Imbalance, too few images per label, unlabeled images. */
  warnings: string[];
}

/** Thresholds of the warnings. */
export interface StatsOptions {
  /** Warn when the largest label has more than this many times the images of the smallest (default 10; Vertex's limit is 100). */
  maxImbalance?: number;
  /** Warn about labels with fewer images (default 10, Vertex's minimum; about 1000 are recommended). */
  minPerLabel?: number;
}

const SPLITS: DatasetSplit[] = ['training', 'validation', 'test', 'unassigned'];
const emptyRow = (label: string): LabelStats => ({
  label,
  training: 0,
  validation: 0,
  test: 0,
  unassigned: 0,
  total: 0,
});

/** Counts images per label × split and says what AutoML would object to. */
export function datasetStats(items: readonly DataItemInfo[], options: StatsOptions = {}): DatasetStats {
  const maxImbalance = options.maxImbalance ?? 10;
  const minPerLabel = options.minPerLabel ?? 10;
  const rows = new Map<string, LabelStats>();
  const splits: Record<DatasetSplit, number> = { training: 0, validation: 0, test: 0, unassigned: 0 };
  const unlabeledSplits: Record<DatasetSplit, number> = {
    training: 0,
    validation: 0,
    test: 0,
    unassigned: 0,
  };
  let unlabeled = 0;
  for (const item of items) {
    const split: DatasetSplit = item.mlUse ?? 'unassigned';
    splits[split]++;
    if (!item.labels.length) {
      unlabeled++;
      unlabeledSplits[split]++;
    }
    for (const label of new Set(item.labels)) {
      const row = rows.get(label) ?? emptyRow(label);
      row[split]++;
      row.total++;
      rows.set(label, row);
    }
  }
  const labels = [...rows.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const warnings: string[] = [];
  if (items.length && !labels.length)
    warnings.push('No image has a label: AutoML trains on labelled images (import with a label column).');
  for (const row of labels)
    if (row.total < minPerLabel)
      warnings.push(
        `Label ${row.label} has ${row.total} image${row.total === 1 ? '' : 's'}: Vertex AI needs at least ${minPerLabel} per label (about 1000 are recommended).`,
      );
  if (labels.length > 1) {
    const bySize = [...labels].sort((a, b) => a.total - b.total);
    const small = bySize[0]!;
    const large = bySize.at(-1)!;
    const ratio = large.total / small.total;
    if (ratio > maxImbalance)
      warnings.push(
        `Classes are imbalanced: ${large.label} has ${large.total} images, ${ratio.toFixed(1)}× the ${small.total} of ${small.label} (warning above ${maxImbalance}×; Vertex AI allows at most 100×). Add images of ${small.label} or drop some of ${large.label}.`,
      );
  }
  if (unlabeled)
    warnings.push(
      `${unlabeled} image${unlabeled === 1 ? ' has' : 's have'} no label; training leaves them out.`,
    );
  return { dataItems: items.length, unlabeled, unlabeledSplits, labels, splits, warnings };
}

/** The stats as an HTML table (one row per label, then the totals) followed by the warnings. */
export function statsHtml(stats: DatasetStats): string {
  const total: LabelStats = { ...emptyRow('all images'), ...stats.splits, total: stats.dataItems };
  const unlabeled = { ...emptyRow('(unlabeled)'), ...stats.unlabeledSplits, total: stats.unlabeled };
  const rows = [...stats.labels, ...(stats.unlabeled ? [unlabeled] : []), total];
  const table = htmlTable(rows, {
    columns: ['label', ...SPLITS, 'total'],
    caption: `Images per label and split (${stats.dataItems} images, ${stats.labels.length} labels)`,
  });
  if (!stats.warnings.length) return table;
  const items = stats.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  return `${table}<ul style="color:#a15c00;font-size:13px">${items}</ul>`;
}
