/** Render the trainer templates (Handlebars) to files. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { templateContext } from './context.ts';
import { TrainerOptionsError } from './errors.ts';
import type { Framework, TrainerOptions } from './options.ts';
import { IMAGE_FRAMEWORKS, resolveTrainerOptions } from './options.ts';

/** Folder of the trainer templates; `../templates` works from both `src/` and `dist/`. */
export const TRAINER_TEMPLATES_DIR = fileURLToPath(new URL('../templates/trainer/', import.meta.url));

const hbs = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function template(file: string): Handlebars.TemplateDelegate {
  let render = compiled.get(file);
  if (!render) {
    // noEscape: the output is Python/Markdown, not HTML; strict: a missing variable is an error.
    render = hbs.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    compiled.set(file, render);
  }
  return render;
}

/** Template files by output path: `common/`, then `image/` (pytorch, tf-keras), then `<framework>/`. */
function templateFiles(framework: Framework): Map<string, string> {
  const files = new Map<string, string>();
  const layers = ['common', ...(IMAGE_FRAMEWORKS.includes(framework) ? ['image'] : []), framework];
  for (const layer of layers) {
    const root = join(TRAINER_TEMPLATES_DIR, layer);
    for (const file of listFiles(root)) {
      files.set(
        relative(root, file)
          .split(sep)
          .join('/')
          .replace(/\.hbs$/, ''),
        file,
      );
    }
  }
  return files;
}

/**
 * Render a Python trainer package: relative path (`trainer/task.py` …) → file content.
 *
 * Deterministic: the same options give the same bytes, keys in sorted order.
 *
 * @throws {@link TrainerOptionsError} when an option is invalid.
 */
export function renderTrainer(options: TrainerOptions): Record<string, string> {
  const resolved = resolveTrainerOptions(options);
  const context = templateContext(resolved);
  const files = templateFiles(resolved.framework);
  const out: Record<string, string> = {};
  for (const path of [...files.keys()].sort()) {
    out[path] = template(files.get(path)!)(context);
  }
  return out;
}

/** Options of {@link writeTrainer}. */
export interface WriteTrainerOptions {
  /** Replace files that already exist (default false: fail before writing anything). */
  overwrite?: boolean;
}

/**
 * Render the trainer package and write it under `dir`; returns the absolute paths written.
 *
 * @throws {@link TrainerOptionsError} when an option is invalid or a file exists and `overwrite` is off.
 */
export async function writeTrainer(
  dir: string,
  options: TrainerOptions,
  write: WriteTrainerOptions = {},
): Promise<string[]> {
  const files = renderTrainer(options);
  const root = resolve(dir);
  const paths = Object.keys(files).map((rel) => join(root, rel));
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length > 0 && !write.overwrite) {
    throw new TrainerOptionsError(
      'overwrite',
      `${existing.length} file(s) already exist under ${root}, e.g. ${existing[0]}`,
      'Pass { overwrite: true } or choose an empty directory',
    );
  }
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return paths;
}
