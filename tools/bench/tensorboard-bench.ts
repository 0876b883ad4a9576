/**
 * TensorBoard benchmark, each measurement beside its baseline in the same run:
 *   1. uploadTbLog of a log folder to the emulator through the official client vs parsing the same event
 *      files with @terra-vertex/tfevents alone (the floor: every point must be read once);
 *   2. reading every scalar back (TensorboardExperiment.readScalars: BatchRead over gRPC) vs the same parse.
 * The folder has 2 runs × 20 tags × 1,250 steps = 50,000 points (`--quick`: 5,000).
 * Usage: node tools/bench/tensorboard-bench.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeClients, init, Tensorboard, uploadTbLog } from '@terra-vertex/core';
import { startEmulator } from '@terra-vertex/emulator';
import { findEventFiles, readEventFile, type ScalarPoint, writeEventFile } from '@terra-vertex/tfevents';
import { ms, summarize } from './stats.ts';

const quick = process.argv.includes('--quick');
const STEPS = quick ? 125 : 1250;
const TAGS = 20;
const REPS = quick ? 2 : 5;
const work = mkdtempSync(join(tmpdir(), 'tvx-tb-bench-'));
const logdir = join(work, 'logs');

for (const run of ['lr_0.01', 'lr_0.1']) {
  const points: ScalarPoint[] = [];
  for (let step = 1; step <= STEPS; step++)
    for (let t = 0; t < TAGS; t++)
      points.push({ tag: `metric/${t}`, step, value: Math.sin(step / 50 + t), wallTime: 1.7e9 + step });
  await writeEventFile(join(logdir, run, 'events.out.tfevents.1.bench'), points);
}
const total = 2 * STEPS * TAGS;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function parseAll(): Promise<number> {
  let n = 0;
  for (const f of await findEventFiles(logdir)) n += (await readEventFile(f.path)).scalars.length;
  if (n !== total) throw new Error(`parsed ${n} points, expected ${total}`);
  return n;
}

const emu = await startEmulator();
init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
try {
  const tb = await Tensorboard.create({ displayName: 'bench' });
  const parse: number[] = [];
  const upload: number[] = [];
  const read: number[] = [];
  for (let i = 0; i < REPS; i++) {
    parse.push(await time(parseAll));
    let experiment: Awaited<ReturnType<typeof uploadTbLog>>['experiment'] | undefined;
    upload.push(
      await time(async () => {
        const r = await uploadTbLog({
          tensorboardId: tb.resourceName,
          tensorboardExperimentName: `bench-${i}`,
          logdir,
        });
        if (r.points !== total) throw new Error(`uploaded ${r.points} points, expected ${total}`);
        experiment = r.experiment;
      }),
    );
    read.push(
      await time(async () => {
        const series = await experiment!.readScalars();
        const n = series.reduce((sum, s) => sum + s.points.length, 0);
        if (n !== total) throw new Error(`read back ${n} points, expected ${total}`);
      }),
    );
  }
  const p = summarize(parse).median;
  const u = summarize(upload).median;
  const r = summarize(read).median;
  const perSecond = (t: number) => `${Math.round(total / (t / 1000)).toLocaleString('en-US')} points/s`;
  console.log(
    `${total.toLocaleString('en-US')} points (2 runs × ${TAGS} tags × ${STEPS} steps), median of ${REPS}`,
  );
  console.log(`  parse the event files (tfevents, baseline)     ${ms(p).padStart(9)}  ${perSecond(p)}`);
  console.log(
    `  uploadTbLog to the emulator (official client)  ${ms(u).padStart(9)}  ${perSecond(u)}  ${(u / p).toFixed(1)}× the parse`,
  );
  console.log(
    `  readScalars back (BatchRead over gRPC)         ${ms(r).padStart(9)}  ${perSecond(r)}  ${(r / p).toFixed(1)}× the parse`,
  );
} finally {
  await closeClients();
  await emu.stop();
  rmSync(work, { recursive: true, force: true });
}
