import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeClients,
  downloadBytes,
  IMAGE_SCHEMA,
  ImageDataset,
  init,
  resetConfig,
  resolveConfig,
  storageClient,
} from '@terra-vertex/core';
import { type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIGIT_LABELS,
  generateShapesDataset,
  type LocalImageDataset,
  uploadImageDataset,
  writeDigitsDataset,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'tvx-image-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file of a folder with its bytes, by relative path. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  return Object.fromEntries(
    files.map((f) => {
      const path = join(f.parentPath, f.name);
      return [path.slice(dir.length + 1), readFileSync(path).toString('base64')];
    }),
  );
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

const splits = (d: LocalImageDataset, label: string) =>
  ['training', 'validation', 'test'].map(
    (u) => d.images.filter((i) => i.label === label && i.mlUse === u).length,
  );

describe('image data generators', () => {
  it('draws the same labelled shapes for the same seed, split 80/10/10 per class', async () => {
    const options = { perClass: 10, size: 20, seed: 7, classes: ['circle', 'stripes', 'cross'] as const };
    const a = await generateShapesDataset({
      ...options,
      classes: [...options.classes],
      dir: join(work, 'a'),
    });
    const b = await generateShapesDataset({
      ...options,
      classes: [...options.classes],
      dir: join(work, 'b'),
    });
    expect(a.classes).toEqual(['circle', 'stripes', 'cross']);
    expect(a.images).toHaveLength(30);
    expect(a.images[0]).toEqual({
      path: 'circle/circle_0000.png',
      label: 'circle',
      mlUse: expect.any(String),
    });
    for (const label of a.classes) expect(splits(a, label)).toEqual([8, 1, 1]);
    expect(pngSize(join(a.dir, a.images[0]!.path))).toEqual([20, 20]);
    expect(snapshot(a.dir)).toEqual(snapshot(b.dir));
    expect(readFileSync(a.csvPath, 'utf8').split('\n')[0]).toMatch(
      /^(training|validation|test),circle\/circle_0000\.png,circle$/,
    );
    // Image i of a class does not depend on how many there are; another seed draws other images.
    const few = await generateShapesDataset({ dir: join(work, 'few'), perClass: 3, size: 20, seed: 7 });
    const other = await generateShapesDataset({ dir: join(work, 'other'), perClass: 3, size: 20, seed: 8 });
    const bytes = (d: LocalImageDataset, p: string) => readFileSync(join(d.dir, p)).toString('base64');
    expect(bytes(few, 'circle/circle_0002.png')).toBe(bytes(a, 'circle/circle_0002.png'));
    expect(bytes(other, 'circle/circle_0002.png')).not.toBe(bytes(a, 'circle/circle_0002.png'));
  });

  it('writes scikit-learn digits as PNGs with a stable stratified split', async () => {
    const d = await writeDigitsDataset({ dir: join(work, 'digits'), limit: 200, seed: 1 });
    const again = await writeDigitsDataset({ dir: join(work, 'digits2'), limit: 200, seed: 1 });
    expect(d.images).toHaveLength(200);
    expect(d.classes).toEqual(DIGIT_LABELS);
    expect(d.images.slice(0, 3).map((i) => [i.path, i.label])).toEqual([
      ['zero/digit_0000.png', 'zero'],
      ['one/digit_0001.png', 'one'],
      ['two/digit_0002.png', 'two'],
    ]);
    expect(pngSize(join(d.dir, d.images[0]!.path))).toEqual([32, 32]);
    for (const label of DIGIT_LABELS) {
      const [train, val, test] = splits(d, label);
      expect(train! + val! + test!).toBeGreaterThanOrEqual(19);
      expect(val).toBe(2);
      expect(test).toBe(2);
    }
    expect(snapshot(d.dir)).toEqual(snapshot(again.dir));
  });

  it('refuses bad options before running Python', async () => {
    await expect(generateShapesDataset({ dir: work, perClass: 0 })).rejects.toThrow(/perClass: 0/);
    await expect(
      generateShapesDataset({ dir: work, perClass: 1, classes: ['hexagon' as 'circle'] }),
    ).rejects.toThrow(/\["hexagon"\] are not shapes/);
    await expect(writeDigitsDataset({ dir: work, size: 4 })).rejects.toThrow(/size: 4/);
  });
});

describe('uploading an image dataset to the local bucket', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
    resetConfig();
    init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
  });
  afterAll(async () => {
    await closeClients();
    resetConfig();
    await emu?.stop();
  });

  it('uploads the images with a gs:// CSV that ImageDataset.create imports whole', async () => {
    const local = await generateShapesDataset({ dir: join(work, 'up'), perClass: 10, seed: 2 });
    const csv = await uploadImageDataset(local.dir, 'gs://tvx-data/shapes/', { concurrency: 4 });
    expect(csv).toBe('gs://tvx-data/shapes/index.csv');
    const storage = await storageClient(await resolveConfig());
    const lines = (await downloadBytes(storage, csv)).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(30);
    expect(lines[0]).toMatch(
      /^(training|validation|test),gs:\/\/tvx-data\/shapes\/circle\/circle_0000\.png,circle$/,
    );
    const ds = await ImageDataset.create({
      displayName: 'shapes',
      gcsSource: csv,
      importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
    });
    expect(ds.lastImport).toMatchObject({ rows: 30, imported: 30, failed: 0, dataItemCount: 30 });
    const stats = await ds.stats();
    expect(stats.labels.map((l) => [l.label, l.training, l.validation, l.test])).toEqual([
      ['circle', 8, 1, 1],
      ['square', 8, 1, 1],
      ['triangle', 8, 1, 1],
    ]);
    expect(stats.warnings).toEqual([]);
  });
});
