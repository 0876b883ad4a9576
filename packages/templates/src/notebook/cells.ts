/**
 * The cell format of notebook templates: after Handlebars has run, a notebook is plain text where a line
 * `%% markdown` or `%% code` starts a cell, optionally with attributes: `%% code id=setup tags=a,b`.
 * Blank lines around a cell's text are dropped.
 */
import { NotebookTemplateError } from './errors.ts';

/** One cell of a notebook template. */
export interface NotebookCell {
  type: 'markdown' | 'code';
  /** nbformat cell id (letters, digits, `-`, `_`); default `<type>-<n>`. */
  id?: string;
  tags?: string[];
  source: string;
}

const MARKER = /^%%\s+(markdown|code)\b(.*)$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function attributes(text: string, where: string): Pick<NotebookCell, 'id' | 'tags'> {
  const out: Pick<NotebookCell, 'id' | 'tags'> = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, value = ''] = word.split('=', 2) as [string, string?];
    if (key === 'id' && ID.test(value)) out.id = value;
    else if (key === 'tags' && value) out.tags = value.split(',');
    else {
      throw new NotebookTemplateError(
        where,
        `unknown cell attribute ${JSON.stringify(word)}`,
        'Use id=<letters, digits, - or _> and tags=a,b',
      );
    }
  }
  return out;
}

function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end).join('\n');
}

/**
 * Splits rendered template text into cells.
 *
 * @param file Named in errors, e.g. `01-custom-training.nb.hbs`.
 * @throws {@link NotebookTemplateError} for text before the first marker, an unknown attribute, an empty
 * code cell or a duplicate id.
 */
export function parseCells(text: string, file = 'notebook'): NotebookCell[] {
  const cells: NotebookCell[] = [];
  let current: { cell: Omit<NotebookCell, 'source'>; lines: string[]; line: number } | undefined;
  const finish = () => {
    if (!current) return;
    const source = trimBlankLines(current.lines);
    if (current.cell.type === 'code' && source === '') {
      throw new NotebookTemplateError(
        `${file}:${current.line}`,
        'empty code cell',
        'Remove the marker or add code',
      );
    }
    cells.push({ ...current.cell, source });
  };
  text.split(/\r?\n/).forEach((line, index) => {
    const match = MARKER.exec(line);
    if (match) {
      finish();
      const where = `${file}:${index + 1}`;
      current = {
        cell: { type: match[1] as NotebookCell['type'], ...attributes(match[2]!, where) },
        lines: [],
        line: index + 1,
      };
    } else if (current) current.lines.push(line);
    else if (line.trim() !== '') {
      throw new NotebookTemplateError(
        `${file}:${index + 1}`,
        'text before the first cell marker',
        'Start the template with a line `%% markdown` or `%% code`',
      );
    }
  });
  finish();
  const ids = new Set<string>();
  for (const cell of cells) {
    if (cell.id && ids.has(cell.id)) {
      throw new NotebookTemplateError(file, `duplicate cell id ${cell.id}`, 'Give every cell its own id');
    }
    if (cell.id) ids.add(cell.id);
  }
  return cells;
}
