import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { checkNotebooks } from '@terra-vertex/templates';
import { describe, expect, it } from 'vitest';
import { bundledNotebooks, NOTEBOOKS_DIR } from '../src/paths.ts';

const REGENERATE = 'npm run generate -w @terra-vertex/notebooks';

describe('the committed notebooks', () => {
  it('are exactly what their templates in packages/templates render', async () => {
    const drift = await checkNotebooks(NOTEBOOKS_DIR);
    const report = drift.map((d) => `  ${d.problem}: ${d.file}`).join('\n');
    expect(
      drift,
      `The notebooks differ from their Handlebars templates (packages/templates/templates/notebook/):\n${report}\n` +
        `Edit the templates, not the .ipynb files, then regenerate with: ${REGENERATE}`,
    ).toEqual([]);
  });

  it('are valid nbformat 4 for the tslab kernel (checked by nbformat itself)', () => {
    const files = bundledNotebooks();
    expect(files.map((f) => f.split('/').pop())).toEqual([
      '01-custom-training.ipynb',
      '02-distributed-training.ipynb',
      '03-hyperparameter-tuning.ipynb',
      '04-deploy-and-predict.ipynb',
      '05-automl-vision-xai.ipynb',
      '06-bigquery-ml-baseline.ipynb',
      '07-tensorboard.ipynb',
      '08-compare-baselines.ipynb',
    ]);
    for (const file of files) {
      const nb = JSON.parse(readFileSync(file, 'utf8'));
      expect(nb.metadata.kernelspec).toEqual({
        display_name: 'TypeScript',
        language: 'typescript',
        name: 'tslab',
      });
      expect(nb.cells.every((c: { outputs?: unknown[] }) => !c.outputs?.length)).toBe(true);
    }
    // nbformat validates each notebook and writes it back byte for byte (Jupyter saves the same bytes).
    const script = [
      'import sys, nbformat',
      'for f in sys.argv[1:]:',
      '    nb = nbformat.read(f, as_version=4)',
      '    nbformat.validate(nb)',
      '    if nbformat.writes(nb) + "\\n" != open(f, encoding="utf-8").read(): sys.exit(f + ": not as nbformat writes it")',
    ].join('\n');
    execFileSync('/usr/bin/python3', ['-c', script, ...files], { stdio: 'pipe' }); // throws with nbformat's message
  });
});
