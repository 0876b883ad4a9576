/**
 * Our published type declarations must work in a tslab notebook: tslab compiles cells with its own
 * TypeScript 5.0.4 (Node10 resolution, so `types`/`main`, not `exports`) and runs them as CommonJS, which
 * loads our ESM builds through Node's require(esm). This compiles a small file the way tslab does, fails on
 * any diagnostic in our declarations, and runs the output with require.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const tslabDir = dirname(require.resolve('tslab/package.json'));
const ts = createRequire(join(tslabDir, 'package.json'))(
  '@tslab/typescript-for-tslab',
) as typeof import('@tslab/typescript-for-tslab');
const nodeTypes = join(
  dirname(createRequire(join(tslabDir, 'package.json')).resolve('@types/node/package.json')),
  '..',
);
/** Inside the repository, so that node_modules resolution finds the workspace packages; ignored by git. */
const work = fileURLToPath(new URL('../test-results/tslab-compat/', import.meta.url));

const SOURCE = `
import { CustomJob, CustomPythonPackageTrainingJob, htmlTable, lineChartSvg, shortState, type ProgressEvent } from '@terra-vertex/core';
import { startEmulator, type RunningEmulator } from '@terra-vertex/emulator';
import { renderTrainer, renderNotebook } from '@terra-vertex/templates';
import { estimateTrainingCost, terraEnvironment } from '@terra-vertex/notebooks';
import { bqmlBaseline, quoteTable } from '@terra-vertex/automl-bqml';
import { fromBqmlGlobalExplain } from '@terra-vertex/xai';

const event: ProgressEvent = { type: 'notice', resourceName: 'r', message: 'm' };
const emulator: RunningEmulator | undefined = undefined;
const files = renderTrainer({ name: 'a', framework: 'sklearn', metric: { id: 'accuracy', goal: 'maximize' } });
console.log(JSON.stringify({
  classes: [typeof CustomJob, typeof CustomPythonPackageTrainingJob, typeof startEmulator],
  state: shortState('JOB_STATE_RUNNING'),
  table: htmlTable([{ a: 1 }]).startsWith('<table'),
  svg: lineChartSvg([]).endsWith('</svg>'),
  trainerFiles: Object.keys(files).length > 5,
  notebook: JSON.parse(renderNotebook('01-custom-training')).nbformat,
  cost: estimateTrainingCost([{ label: 'x', machineType: 'n1-standard-4', minutes: 60 }]).totalUsd,
  terra: terraEnvironment({}).inTerra,
  event: event.type,
  emulator: emulator === undefined,
  bqml: [typeof bqmlBaseline, quoteTable({ projectId: 'demo-proj', datasetId: 'd', tableId: 't' }), fromBqmlGlobalExplain([]).length],
}));
`;

describe("tslab's TypeScript 5.0.4 and CommonJS", () => {
  it('compiles code importing our packages without a diagnostic in our declarations, and runs it with require', () => {
    expect(ts.version).toBe('5.0.4');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const file = join(work, 'cell.ts');
    writeFileSync(file, SOURCE);
    writeFileSync(join(work, 'package.json'), '{"type": "commonjs"}\n');
    // tslab's options (src/converter.ts), emitting CommonJS directly; skipLibCheck off to check our .d.ts too.
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      esModuleInterop: true,
      resolveJsonModule: true,
      declaration: true,
      skipLibCheck: false,
      typeRoots: [nodeTypes],
      outDir: work,
    });
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
    const ours = diagnostics
      .filter((d) => !d.file || d.file.fileName === file || /\/packages\/[^/]+\/dist\//.test(d.file.fileName))
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(ours, ours.join('\n')).toEqual([]);
    const declared = program.getSourceFiles().map((f) => f.fileName);
    for (const pkg of ['core', 'emulator', 'templates', 'notebooks', 'automl-bqml', 'xai']) {
      expect(declared.some((f) => f.includes(`/packages/${pkg}/dist/index.d.ts`))).toBe(true);
    }
    const out = execFileSync(process.execPath, [join(work, 'cell.js')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      classes: ['function', 'function', 'function'],
      state: 'RUNNING',
      table: true,
      svg: true,
      trainerFiles: true,
      notebook: 4,
      cost: 0.218499, // one hour of n1-standard-4 at the price table's training rate
      terra: false,
      event: 'notice',
      emulator: true,
      bqml: ['function', '`demo-proj.d.t`', 0],
    });
  });
});
