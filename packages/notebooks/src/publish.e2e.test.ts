import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeClients,
  downloadBytes,
  init,
  listObjects,
  resetConfig,
  resolveConfig,
  storageClient,
} from '@terra-vertex/core';
import { type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledNotebooks } from './paths.ts';
import { publishNotebooks, workspaceBucketUri } from './publish.ts';

describe("publishing to a Terra workspace bucket (the emulator's Cloud Storage)", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
    resetConfig();
    init({ emulator: { vertex: emu.vertexAddress, http: emu.httpAddress } });
    const storage = await storageClient(await resolveConfig());
    await storage.createBucket('fc-0a1b2c3d');
  });
  afterAll(async () => {
    await closeClients();
    resetConfig();
    await emu?.stop();
  });

  it('copies the notebooks to notebooks/<name>.ipynb as Terra stores them, keeping edited copies', async () => {
    const first = await publishNotebooks({ workspaceBucket: 'gs://fc-0a1b2c3d' });
    const names = bundledNotebooks().map((f) => f.split('/').pop());
    expect(first.map((p) => [p.name, p.status])).toEqual(names.map((n) => [n, 'uploaded']));
    const storage = await storageClient(await resolveConfig());
    const { objects } = await listObjects(storage, 'gs://fc-0a1b2c3d/notebooks/');
    expect(objects.map((o) => o.name)).toEqual(names.map((n) => `notebooks/${n}`));
    const [file] = await storage
      .bucket('fc-0a1b2c3d')
      .file('notebooks/01-custom-training.ipynb')
      .getMetadata();
    expect(file.contentType).toBe('application/x-ipynb+json');
    const text = (
      await downloadBytes(storage, 'gs://fc-0a1b2c3d/notebooks/01-custom-training.ipynb')
    ).toString();
    expect(JSON.parse(text).metadata.kernelspec.name).toBe('tslab');

    const edited = join(mkdtempSync(join(tmpdir(), 'tvx-publish-')), '01-custom-training.ipynb');
    writeFileSync(edited, '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n');
    const again = await publishNotebooks({ workspaceBucket: 'fc-0a1b2c3d', notebooks: [edited] });
    expect(again).toEqual([
      {
        name: '01-custom-training.ipynb',
        uri: 'gs://fc-0a1b2c3d/notebooks/01-custom-training.ipynb',
        status: 'exists',
      },
    ]);
    await publishNotebooks({ workspaceBucket: 'fc-0a1b2c3d', notebooks: [edited], overwrite: true });
    expect((await downloadBytes(storage, again[0]!.uri)).toString()).toContain('"cells": []');
    rmSync(join(edited, '..'), { recursive: true, force: true });
  });

  it('explains a bad or missing workspace bucket', async () => {
    expect(workspaceBucketUri('gs://fc-1/')).toBe('gs://fc-1');
    expect(() => workspaceBucketUri('gs://fc-1/notebooks')).toThrow(
      /workspaceBucket: .*Pass the bucket only/,
    );
    expect(() => workspaceBucketUri('')).toThrow(/WORKSPACE_BUCKET is not set/);
    await expect(publishNotebooks({ workspaceBucket: 'fc-1', notebooks: ['x.py'] })).rejects.toThrow(
      /notebooks: x\.py is not an \.ipynb file/,
    );
  });
});
