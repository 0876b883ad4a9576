/** nbformat 4.5 JSON for a tslab (TypeScript) notebook, written the way Jupyter writes it. */
import type { NotebookCell } from './cells.ts';

/** Notebook metadata of a tslab notebook (what tslab itself writes, yunabe/tslab `src/jupyter.ts`). */
export const TSLAB_METADATA = {
  kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
  language_info: {
    codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
    file_extension: '.ts',
    mimetype: 'text/typescript',
    name: 'typescript',
    version: '5.0.4',
  },
} as const;

/** Jupyter's multi-line string form: one entry per line, each but the last ending in `\n`. */
function lines(source: string): string[] {
  if (source === '') return [];
  const parts = source.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The `.ipynb` text of the cells: nbformat 4.5, kernelspec `tslab`, no outputs, keys sorted and indented
 * by one space as Jupyter saves notebooks, so opening and saving one in Jupyter changes nothing.
 *
 * @param extraMetadata Merged into the notebook metadata (e.g. `{ terra_vertex: { template } }`).
 */
export function toIpynb(cells: readonly NotebookCell[], extraMetadata: Record<string, unknown> = {}): string {
  const counters = { code: 0, markdown: 0 };
  const nbCells = cells.map((cell) => {
    const id = cell.id ?? `${cell.type}-${String(++counters[cell.type]).padStart(2, '0')}`;
    const metadata = cell.tags ? { tags: cell.tags } : {};
    return cell.type === 'code'
      ? { cell_type: 'code', execution_count: null, id, metadata, outputs: [], source: lines(cell.source) }
      : { cell_type: 'markdown', id, metadata, source: lines(cell.source) };
  });
  const notebook = {
    cells: nbCells,
    metadata: { ...TSLAB_METADATA, ...extraMetadata },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(sortKeys(notebook), null, 1)}\n`;
}
