import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { NotebookTemplateError } from '../../notebook/errors.ts';
import { renderStarterNotebook } from '../../notebook/render-notebook.ts';
import { notebookGenerator, notebookPath } from './generator.ts';

/** Golden output; regenerate with `npm run update-fixtures -w @terra-vertex/templates`. */
const FIXTURE = fileURLToPath(new URL('./__fixtures__/03-my-experiment.ipynb', import.meta.url));
const UPDATE = process.env.UPDATE_FIXTURES === '1';
const SCHEMA = { name: '03-my-experiment', title: 'My experiment', framework: 'xgboost' as const };

describe('@terra-vertex/templates:notebook', () => {
  it('writes exactly the golden notebook (formatter: none)', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    await notebookGenerator(tree, SCHEMA);
    const text = tree.read('notebooks/03-my-experiment.ipynb', 'utf-8')!;
    if (UPDATE) {
      mkdirSync(dirname(FIXTURE), { recursive: true });
      writeFileSync(FIXTURE, text);
    }
    expect(text).toBe(readFileSync(FIXTURE, 'utf8'));
    expect(text).toBe(renderStarterNotebook(SCHEMA));
    expect(JSON.parse(text).metadata.kernelspec.name).toBe('tslab');
  });

  it('honours --directory and refuses to overwrite without --overwrite', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    const schema = { ...SCHEMA, directory: 'analysis/nb/' };
    expect(notebookPath(schema)).toBe('analysis/nb/03-my-experiment.ipynb');
    await notebookGenerator(tree, schema);
    expect(tree.exists('analysis/nb/03-my-experiment.ipynb')).toBe(true);
    await expect(notebookGenerator(tree, schema)).rejects.toThrow(NotebookTemplateError);
    await expect(notebookGenerator(tree, schema)).rejects.toThrow(/Pass --overwrite/);
    await notebookGenerator(tree, { ...schema, title: 'Renamed', overwrite: true });
    expect(tree.read('analysis/nb/03-my-experiment.ipynb', 'utf-8')).toContain('# Renamed');
  });
});
