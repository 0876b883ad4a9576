/**
 * Nx generator `@terra-vertex/templates:notebook`: writes a new tslab notebook into the Tree.
 *
 *     nx g @terra-vertex/templates:notebook 03-my-experiment --title='My experiment' --framework=xgboost
 */
import { posix } from 'node:path';
import type { Tree } from '@nx/devkit';
import { NotebookTemplateError } from '../../notebook/errors.ts';
import { renderStarterNotebook } from '../../notebook/render-notebook.ts';
import type { NotebookGeneratorSchema } from './schema.d.ts';

/** Path of the notebook, relative to the workspace root. */
export function notebookPath(schema: NotebookGeneratorSchema): string {
  const directory = posix.normalize(schema.directory ?? 'notebooks').replace(/\/$/, '');
  return posix.join(directory, `${schema.name}.ipynb`);
}

/** Writes `<directory>/<name>.ipynb` from the starter template. */
export async function notebookGenerator(tree: Tree, schema: NotebookGeneratorSchema): Promise<void> {
  const text = renderStarterNotebook({ name: schema.name, title: schema.title, framework: schema.framework });
  const path = notebookPath(schema);
  if (!schema.overwrite && tree.exists(path)) {
    throw new NotebookTemplateError(
      'name',
      `${path} already exists`,
      'Pass --overwrite to replace it, or choose another name or --directory',
    );
  }
  tree.write(path, text);
}

export default notebookGenerator;
