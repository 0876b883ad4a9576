/**
 * Notebooks from Handlebars templates: `templates/notebook/notebooks/<name>.nb.hbs` (cells in the format
 * of {@link parseCells}) with shared cells in `templates/notebook/partials/` (`{{> setup}}`), rendered to
 * `.ipynb` for the tslab kernel.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { parseCells } from './cells.ts';
import { NOTEBOOK_DEFAULTS, type NotebookContext } from './context.ts';
import { NotebookTemplateError } from './errors.ts';
import { toIpynb } from './ipynb.ts';

/** Folder of the notebook templates; `../../templates` works from both `src/notebook/` and `dist/notebook/`. */
export const NOTEBOOK_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/notebook/', import.meta.url));

const EXT = '.nb.hbs';
let engine: typeof Handlebars | undefined;

function names(folder: string): string[] {
  const dir = join(NOTEBOOK_TEMPLATES_DIR, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(EXT))
    .map((f) => f.slice(0, -EXT.length))
    .sort();
}

/** A Handlebars instance with the shared cells as partials and a `json` helper. */
function handlebars(): typeof Handlebars {
  if (engine) return engine;
  const hbs = Handlebars.create();
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
  for (const name of names('partials')) {
    hbs.registerPartial(
      name,
      readFileSync(join(NOTEBOOK_TEMPLATES_DIR, 'partials', `${name}${EXT}`), 'utf8'),
    );
  }
  engine = hbs;
  return hbs;
}

/** Names of the published notebook templates, e.g. `['01-custom-training', '02-distributed-training']`. */
export function listNotebookTemplates(): string[] {
  return names('notebooks');
}

function render(file: string, context: NotebookContext): string {
  const label = basename(file);
  let text: string;
  try {
    // noEscape: the output is TypeScript and Markdown, not HTML; strict: a missing variable is an error.
    const images = context.images[context.trainer.framework as keyof NotebookContext['images']];
    if (!images)
      throw new Error(`no images for trainer.framework ${JSON.stringify(context.trainer.framework)}`);
    const template = handlebars().compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    text = template({ ...context, trainerImages: images });
  } catch (err) {
    throw new NotebookTemplateError(label, (err as Error).message, 'Fix the template (see the message)');
  }
  return toIpynb(parseCells(text, label), { terra_vertex: { template: context.name } });
}

/**
 * The `.ipynb` text of a published notebook template. Deterministic: the same template and context give
 * the same bytes.
 *
 * @throws {@link NotebookTemplateError} for an unknown name or a broken template.
 */
export function renderNotebook(name: string, overrides: Partial<NotebookContext> = {}): string {
  const file = join(NOTEBOOK_TEMPLATES_DIR, 'notebooks', `${name}${EXT}`);
  if (!existsSync(file)) {
    throw new NotebookTemplateError(
      'name',
      `no notebook template ${JSON.stringify(name)}`,
      `Use one of: ${listNotebookTemplates().join(', ')}; or add templates/notebook/notebooks/${name}${EXT}`,
    );
  }
  return render(file, { ...NOTEBOOK_DEFAULTS, name, title: name, ...overrides });
}

/** Options of {@link renderStarterNotebook}. */
export interface StarterNotebookOptions {
  /** File name without `.ipynb`, e.g. `03-my-experiment`. */
  name: string;
  /** The first heading (default: the name). */
  title?: string;
  /** Framework of the generated trainer: `sklearn`, `xgboost` or `pytorch` (default). */
  framework?: 'sklearn' | 'xgboost' | 'pytorch';
}

const STARTER_NAME = /^[A-Za-z0-9][\w.-]*$/;

/**
 * A new notebook to start from: the Terra-aware setup cell, a cost estimate, one training pipeline with a
 * generated trainer, its results and the cleanup cell.
 *
 * @throws {@link NotebookTemplateError} for a name that cannot be a file name or an unknown framework.
 */
export function renderStarterNotebook(options: StarterNotebookOptions): string {
  if (!STARTER_NAME.test(options.name) || options.name.endsWith('.ipynb')) {
    throw new NotebookTemplateError(
      'name',
      `${JSON.stringify(options.name)} is not a notebook file name`,
      'Use letters, digits, ., - and _ without the .ipynb extension, e.g. 03-my-experiment',
    );
  }
  const framework = options.framework ?? 'pytorch';
  if (!['sklearn', 'xgboost', 'pytorch'].includes(framework)) {
    throw new NotebookTemplateError(
      'framework',
      `unknown framework ${JSON.stringify(framework)}`,
      'Use sklearn, xgboost or pytorch',
    );
  }
  return render(join(NOTEBOOK_TEMPLATES_DIR, `starter${EXT}`), {
    ...NOTEBOOK_DEFAULTS,
    name: options.name,
    title: options.title ?? options.name,
    trainer: { ...NOTEBOOK_DEFAULTS.trainer, framework },
  });
}

/** A generated notebook that differs from its template. */
export interface NotebookDrift {
  file: string;
  problem: 'out of date' | 'missing' | 'no template';
}

/**
 * Compares `dir/<name>.ipynb` with every published template; lists notebooks that are out of date,
 * missing, or have no template. Empty when all is in sync.
 */
export async function checkNotebooks(dir: string): Promise<NotebookDrift[]> {
  const root = resolve(dir);
  const templates = listNotebookTemplates();
  const drift: NotebookDrift[] = [];
  for (const name of templates) {
    const file = join(root, `${name}.ipynb`);
    if (!existsSync(file)) drift.push({ file, problem: 'missing' });
    else if ((await readFile(file, 'utf8')) !== renderNotebook(name))
      drift.push({ file, problem: 'out of date' });
  }
  const extra = existsSync(root) ? readdirSync(root).filter((f) => f.endsWith('.ipynb')) : [];
  for (const f of extra) {
    if (!templates.includes(f.slice(0, -'.ipynb'.length)))
      drift.push({ file: join(root, f), problem: 'no template' });
  }
  return drift;
}

/** Renders every published template to `dir/<name>.ipynb`; returns the paths whose content changed. */
export async function writeNotebooks(dir: string): Promise<string[]> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const changed: string[] = [];
  for (const name of listNotebookTemplates()) {
    const file = join(root, `${name}.ipynb`);
    const text = renderNotebook(name);
    if (existsSync(file) && (await readFile(file, 'utf8')) === text) continue;
    await writeFile(file, text);
    changed.push(file);
  }
  return changed;
}
