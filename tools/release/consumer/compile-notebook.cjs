// Compiles the TypeScript code cells of a notebook the way the tslab kernel does before it runs them: in order,
// with tslab's own converter (its TypeScript 5.0.4, CommonJS output, each cell seeing the declarations of the
// cells before it), against the packages installed where the notebook lives. Nothing is run. Exits 1 with
// tslab's diagnostics when a cell does not compile.
//
//   cd <notebook's folder> && node compile-notebook.cjs <notebook.ipynb>
const { readFileSync } = require('node:fs');
const { createConverter } = require('tslab/dist/converter.js');
const { getCodeMetadata } = require('tslab/dist/metadata.js');

const file = process.argv[2];
if (!file) {
  console.error(
    'usage: node compile-notebook.cjs <notebook.ipynb> (run from the notebook folder, as tslab does)',
  );
  process.exit(2);
}
const notebook = JSON.parse(readFileSync(file, 'utf8'));
const converter = createConverter(); // resolves from process.cwd(), like the kernel
const problems = [];
let prevDecl = '';
let compiled = 0;
for (const [index, cell] of notebook.cells.entries()) {
  if (cell.cell_type !== 'code') continue;
  const src = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
  const meta = getCodeMetadata(src);
  if (meta.mode === 'browser') continue; // tslab does not run browser cells
  let diagnostics;
  if (meta.module) {
    diagnostics = converter.addModule(meta.module, src, meta); // a `%%module` cell
  } else {
    const result = converter.convert(prevDecl, src);
    diagnostics = result.diagnostics;
    prevDecl = result.declOutput ?? prevDecl;
  }
  for (const d of diagnostics) {
    const at = `${d.start.line + 1}:${d.start.character + 1}`;
    problems.push(`cell ${index + 1} (id ${cell.id ?? '-'}) ${at}: ${d.messageText}`);
  }
  if (diagnostics.length) break; // tslab aborts the cells after an error too
  compiled++;
}
converter.close();
if (problems.length) {
  console.error(
    `${file}: ${problems.length} TypeScript error(s) as tslab compiles the cells:\n${problems.join('\n')}`,
  );
  process.exit(1);
}
console.log(`${file}: ${compiled} code cells compile as tslab compiles them`);
