/**
 * AutoML image training pipelines on the emulator: task inputs checked as Vertex checks them, cancel, and a
 * training that was running when the emulator stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.ts';
import { type Plain, parent, type ShapesEmulator, startShapesEmulator, trainers } from './automl-fixture.ts';

describe('AutoML image training pipelines on the emulator', () => {
  let s: ShapesEmulator;
  beforeAll(async () => {
    s = await startShapesEmulator();
  });
  afterAll(() => s?.stop());

  it('refuses invalid task inputs with INVALID_ARGUMENT naming the field', async () => {
    const create = (p: Plain) => s.c.pipelines.createTrainingPipeline({ parent, trainingPipeline: p });
    await expect(create(s.pipeline({ modelType: 'CLOUD', budgetMilliNodeHours: 500 }))).rejects.toThrow(
      /INVALID_ARGUMENT.*training_task_inputs\.budget_milli_node_hours.*8000 to 800000/,
    );
    await expect(
      create(s.pipeline({ modelType: 'MOBILE_TF_VERSATILE_1', budgetMilliNodeHours: '200000' })),
    ).rejects.toThrow(/budget_milli_node_hours.*1000 to 100000/);
    await expect(create(s.pipeline({ modelType: 'TINY' }))).rejects.toThrow(
      /training_task_inputs\.model_type/,
    );
    await expect(create(s.pipeline({ multiLabel: 'yes' }))).rejects.toThrow(
      /training_task_inputs\.multi_label/,
    );
    await expect(create(s.pipeline({}, { inputDataConfig: undefined }))).rejects.toThrow(
      /input_data_config\.dataset_id/,
    );
    await expect(
      create(
        s.pipeline(
          {},
          {
            inputDataConfig: {
              datasetId: s.datasetId,
              fractionSplit: { trainingFraction: 0.9, testFraction: 0.3 },
            },
          },
        ),
      ),
    ).rejects.toThrow(/fraction_split.*sum to at most 1/);
    await expect(create(s.pipeline({}, { inputDataConfig: { datasetId: '123' } }))).rejects.toThrow(
      /NOT_FOUND.*Dataset does not exist/,
    );
  });

  it('cancels a running training, killing the trainer', async () => {
    const [created] = await s.c.pipelines.createTrainingPipeline({
      parent,
      trainingPipeline: s.pipeline({
        modelType: 'CLOUD',
        budgetMilliNodeHours: 8000,
        disableEarlyStopping: true,
      }),
    });
    await s.waitFor(created.name!, (state) => state === 'PIPELINE_STATE_RUNNING');
    await new Promise((r) => setTimeout(r, 1000));
    expect(trainers(created.name!.split('/').pop()!)).toHaveLength(1);
    await s.c.pipelines.cancelTrainingPipeline({ name: created.name! });
    const ended = await s.waitFor(
      created.name!,
      (state) => /SUCCEEDED|FAILED|CANCELLED$/.test(state),
      20_000,
    );
    expect(ended.state).toBe('PIPELINE_STATE_CANCELLED');
    expect(trainers(created.name!.split('/').pop()!)).toEqual([]);
  }, 60_000);

  it('fails a training that was running when the emulator stopped, saying why', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tvx-automl-restart-'));
    const first = await startShapesEmulator({ dataDir });
    const [created] = await first.c.pipelines.createTrainingPipeline({
      parent,
      trainingPipeline: first.pipeline({ modelType: 'CLOUD', budgetMilliNodeHours: 8000 }),
    });
    await first.waitFor(created.name!, (state) => state === 'PIPELINE_STATE_RUNNING');
    await first.stop();
    expect(trainers(created.name!.split('/').pop()!)).toEqual([]);
    const again = await startEmulator({ dataDir });
    try {
      const res = await fetch(`${again.httpAddress}/v1/${created.name}`);
      const p = (await res.json()) as { state: string; error: { message: string } };
      expect(p.state).toBe('PIPELINE_STATE_FAILED');
      expect(p.error.message).toMatch(/emulator was stopped while this AutoML training was running/);
    } finally {
      await again.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
