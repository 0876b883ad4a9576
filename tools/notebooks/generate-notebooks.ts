/**
 * Regenerates packages/notebooks/notebooks/*.ipynb from the Handlebars templates in
 * packages/templates/templates/notebook/ (the one source of truth), or with --check only reports drift.
 *
 *   npm run generate -w @terra-vertex/notebooks            # write
 *   npm run generate -w @terra-vertex/notebooks -- --check # exit 1 when a notebook is out of date
 */
import { fileURLToPath } from 'node:url';
import { checkNotebooks, writeNotebooks } from '@terra-vertex/templates';

const dir = fileURLToPath(new URL('../../packages/notebooks/notebooks/', import.meta.url));

if (process.argv.includes('--check')) {
  const drift = await checkNotebooks(dir);
  for (const d of drift) console.error(`${d.problem}: ${d.file}`);
  if (drift.length > 0) {
    console.error('Regenerate with: npm run generate -w @terra-vertex/notebooks');
    process.exit(1);
  }
  console.log('notebooks are up to date with their templates');
} else {
  const changed = await writeNotebooks(dir);
  for (const file of changed) console.log(`wrote ${file}`);
  if (changed.length === 0) console.log('notebooks are up to date with their templates');
  const extra = (await checkNotebooks(dir)).filter((d) => d.problem === 'no template');
  for (const d of extra) console.warn(`warning: ${d.file} has no template; delete it or add one`);
}
