/** Runs every benchmark in turn (`npm run bench`; add `--quick` for a short smoke run). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  'emulator-bench.ts',
  'predict-bench.ts',
  'explain-bench.ts',
  'ddp-bench.ts',
  'search-bench.ts',
  'automl-bench.ts',
  'bqml-bench.ts',
  'tensorboard-bench.ts',
  'install-size-bench.ts',
];
for (const b of benches) {
  console.log(`\n## ${b}`);
  const r = spawnSync(
    process.execPath,
    [fileURLToPath(new URL(b, import.meta.url)), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
