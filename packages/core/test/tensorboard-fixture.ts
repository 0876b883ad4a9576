/**
 * What the TensorBoard e2e files share: a generated trainer that writes scalars, staged once per file, and
 * comparisons of scalar series.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTrainer } from '@terra-vertex/templates';
import type { ScalarPoint } from '@terra-vertex/tfevents';
import { expect } from 'vitest';
import {
  resolveConfig,
  type ScalarSeries,
  stagePythonPackage,
  storageClient,
  uploadFile,
} from '../src/index.ts';

export const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
export const SA = 'trainer@demo-terra-vertex.iam.gserviceaccount.com';
export const work = mkdtempSync(join(tmpdir(), 'tvx-tensorboard-'));

let staged: Promise<{ packageUri: string; dataUri: string }> | undefined;
/** The generated scikit-learn trainer (it writes TensorBoard scalars) and its demo data, staged once. */
export function generatedTrainer(): Promise<{ packageUri: string; dataUri: string }> {
  staged ??= (async () => {
    const dir = join(work, 'tb-trainer');
    await writeTrainer(dir, {
      name: 'tb-trainer',
      framework: 'sklearn',
      metric: { id: 'accuracy', goal: 'maximize' },
    });
    const dataDir = join(work, 'tb-data');
    execFileSync(PY, ['-m', 'trainer.demo_data', '--out', dataDir, '--rows', '200'], {
      cwd: dir,
      env: { ...process.env, PYTHONPATH: dir },
    });
    const config = await resolveConfig();
    const packageUri = await stagePythonPackage(config, dir);
    const csv = readdirSync(dataDir).find((f) => f.endsWith('.csv'))!;
    const dataUri = `${config.stagingBucket}/data/tb/${csv}`;
    await uploadFile(await storageClient(config), join(dataDir, csv), dataUri);
    return { packageUri, dataUri };
  })();
  return staged;
}

/** Series as `readScalars()` returns them, from points as event files hold them. */
export function expectedSeries(run: string, points: ScalarPoint[]): ScalarSeries[] {
  const tags = [...new Set(points.map((p) => p.tag))].sort();
  return tags.map((tag) => ({
    run,
    tag,
    points: points
      .filter((p) => p.tag === tag)
      .map((p) => ({ step: p.step, wallTime: p.wallTime, value: p.value }))
      .sort((a, b) => a.step - b.step),
  }));
}

/** Compares series; wall times within 2 ms (Vertex keeps Timestamps, the emulator's watcher milliseconds). */
export function expectSameSeries(actual: ScalarSeries[], expected: ScalarSeries[]): void {
  const key = (s: ScalarSeries) => `${s.run}\u0000${s.tag}`;
  const sorted = (l: ScalarSeries[]) => [...l].sort((a, b) => key(a).localeCompare(key(b)));
  const withoutTimes = (l: ScalarSeries[]) =>
    sorted(l).map((s) => ({ ...s, points: s.points.map(({ step, value }) => ({ step, value })) }));
  expect(withoutTimes(actual)).toEqual(withoutTimes(expected));
  const times = (l: ScalarSeries[]) => sorted(l).flatMap((s) => s.points.map((p) => p.wallTime));
  const e = times(expected);
  for (const [i, t] of times(actual).entries()) expect(Math.abs(t - e[i]!)).toBeLessThan(0.002);
}
