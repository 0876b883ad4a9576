import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  categoricalParameter,
  discreteParameter,
  doubleParameter,
  init,
  integerParameter,
  resolveConfig,
  Study,
  ValidationError,
  vizierServiceClient,
} from '../src/index.ts';
import { stopEmulator, useEmulator } from './helpers.ts';

const BRANIN_MIN = 0.397887;
function branin(p: Record<string, number | string>): number {
  const [x1, x2] = [p.x1 as number, p.x2 as number];
  const b = 5.1 / (4 * Math.PI ** 2);
  return (x2 - b * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}
const braninSpace = { x1: doubleParameter(-5, 10), x2: doubleParameter(0, 15) };

describe('Vizier studies driven from TypeScript', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator();
  });
  afterAll(() => stopEmulator(emu));

  it('a suggest/complete loop with the default Bayesian search converges on Branin', async () => {
    const study = await Study.createOrLoad({
      displayName: 'branin',
      metricSpec: { y: 'minimize' },
      parameterSpec: braninSpace,
    });
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 30; i++) {
      const [trial] = await study.suggest({ clientId: 'notebook' });
      expect(trial!.state).toBe('ACTIVE');
      const y = branin(trial!.parameters);
      best = Math.min(best, y);
      await trial!.complete({ y });
      expect(trial!.state).toBe('SUCCEEDED');
    }
    // Random search needs about 35/N: ~1.2 at 30 trials. A working GP bandit is far below.
    expect(best - BRANIN_MIN).toBeLessThan(0.05);
    const [optimal, ...rest] = await study.optimalTrials();
    expect(rest).toHaveLength(0);
    expect(optimal!.finalMeasurement!.metrics.y).toBeCloseTo(best, 10);
    expect(await study.trials()).toHaveLength(30);
    // After a kernel restart the same study comes back by name.
    const again = await Study.createOrLoad({
      displayName: 'branin',
      metricSpec: { y: 'minimize' },
      parameterSpec: braninSpace,
    });
    expect(again.resourceName).toBe(study.resourceName);
  }, 240_000);

  it('suggests distinct batches for parallel workers and gives a client its unfinished trials back', async () => {
    const study = await Study.create({
      displayName: 'batches',
      metricSpec: { acc: 'maximize' },
      parameterSpec: { lr: doubleParameter(1e-4, 1, 'log'), layers: integerParameter(1, 4) },
    });
    const batch = await study.suggest({ count: 3, clientId: 'a' });
    expect(batch.map((t) => t.id)).toEqual(['1', '2', '3']);
    expect(new Set(batch.map((t) => JSON.stringify(t.parameters))).size).toBe(3);
    for (const t of batch) {
      expect(t.parameters.lr).toBeGreaterThanOrEqual(1e-4);
      expect(Number.isInteger(t.parameters.layers)).toBe(true);
    }
    const resumed = await study.suggest({ count: 2, clientId: 'a' });
    expect(resumed.map((t) => t.id)).toEqual(['1', '2']);
    const other = await study.suggest({ count: 1, clientId: 'b' });
    expect(other.map((t) => t.id)).toEqual(['4']);
    await batch[0]!.addMeasurement({ acc: 0.5 }, { stepCount: 1 });
    await batch[0]!.addMeasurement({ acc: 0.7 }, { stepCount: 2, elapsedSeconds: 1.5 });
    expect(batch[0]!.measurements.map((m) => m.metrics.acc)).toEqual([0.5, 0.7]);
    expect(batch[0]!.measurements[1]!.elapsedSeconds).toBe(1.5);
    await batch[0]!.complete();
    expect(batch[0]!.finalMeasurement!.metrics.acc).toBe(0.7);
    await batch[1]!.completeInfeasible('diverged');
    expect(batch[1]!.state).toBe('INFEASIBLE');
    expect(batch[1]!.infeasibleReason).toBe('diverged');
    await batch[2]!.complete();
    expect(batch[2]!.state).toBe('INFEASIBLE');
    await expect(batch[0]!.addMeasurement({ acc: 1 })).rejects.toThrow(/FAILED_PRECONDITION[\s\S]*SUCCEEDED/);
    const requested = await study.addTrial({ lr: 0.01, layers: 2 });
    expect(requested.state).toBe('REQUESTED');
    const [next] = await study.suggest({ clientId: 'c' });
    expect(next!.id).toBe(requested.id);
    expect(next!.parameters).toEqual({ lr: 0.01, layers: 2 });
    await study.delete();
    await expect(study.refresh()).rejects.toThrow(ApiError);
  });

  it('grid studies hand out the exact cartesian product, then complete', async () => {
    const study = await Study.create({
      displayName: 'grid',
      metricSpec: { loss: 'minimize' },
      parameterSpec: { opt: categoricalParameter(['adam', 'sgd']), batch: discreteParameter([16, 32, 64]) },
      searchAlgorithm: 'grid',
    });
    const trials = await study.suggest({ count: 10 });
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => `${t.parameters.opt}/${t.parameters.batch}`))).toEqual(
      new Set(['adam/16', 'adam/32', 'adam/64', 'sgd/16', 'sgd/32', 'sgd/64']),
    );
    expect(study.state).toBe('COMPLETED');
    for (const t of trials) await t.complete({ loss: (t.parameters.batch as number) / 10 });
    expect(await study.suggest()).toHaveLength(0);
    const optimal = await study.optimalTrials();
    expect(optimal.map((t) => t.parameters.batch)).toEqual([16, 16]);
  });

  it('the median rule tells a lagging trial to stop', async () => {
    const study = await Study.create({
      displayName: 'median',
      metricSpec: { acc: 'maximize' },
      parameterSpec: { lr: doubleParameter(0.001, 0.1, 'log') },
      searchAlgorithm: 'random',
      earlyStopping: 'median',
    });
    const trials = await study.suggest({ count: 4 });
    for (const [i, t] of trials.slice(0, 3).entries()) {
      for (const step of [1, 2, 3])
        await t.addMeasurement({ acc: 0.5 + 0.1 * step + 0.01 * i }, { stepCount: step });
      await t.complete();
    }
    const lagging = trials[3]!;
    await lagging.addMeasurement({ acc: 0.8 }, { stepCount: 1 });
    expect(await lagging.shouldStop()).toBe(false);
    await lagging.addMeasurement({ acc: 0.4 }, { stepCount: 2 });
    expect(await lagging.shouldStop()).toBe(false); // best so far 0.8 ≥ median running average 0.66
    const slow = (await study.suggest({ clientId: 'slow' }))[0]!;
    await slow.addMeasurement({ acc: 0.3 }, { stepCount: 1 });
    await slow.addMeasurement({ acc: 0.4 }, { stepCount: 2 });
    expect(await slow.shouldStop()).toBe(true);
    await slow.refresh();
    expect(slow.state).toBe('STOPPING');
  });

  it('rejects bad specs and measurements with errors naming the field', async () => {
    const base = { displayName: 'bad', metricSpec: { y: 'minimize' as const }, parameterSpec: braninSpace };
    await expect(Study.create({ ...base, metricSpec: { y: 'lowest' as never } })).rejects.toThrow(
      /metricSpec\.y[\s\S]*unknown goal/,
    );
    await expect(Study.create({ ...base, parameterSpec: { x: doubleParameter(2, 1) } })).rejects.toThrow(
      ValidationError,
    );
    await expect(Study.create({ ...base, earlyStopping: 'convex' as never })).rejects.toThrow(
      /earlyStopping/,
    );
    // The emulator checks what another client might send unchecked, field by field.
    const config = await resolveConfig();
    const client = await vizierServiceClient(config);
    const parent = `projects/${config.project}/locations/${config.location}`;
    await expect(
      client.createStudy({
        parent,
        study: {
          displayName: 'raw',
          studySpec: {
            metrics: [{ metricId: 'y', goal: 'MINIMIZE' }],
            parameters: [
              {
                parameterId: 'lr',
                doubleValueSpec: { minValue: 0, maxValue: 1 },
                scaleType: 'UNIT_LOG_SCALE',
              },
            ],
          },
        },
      }),
    ).rejects.toThrow(/study\.study_spec\.parameters\[0\]/);
    const study = await Study.create({ ...base, displayName: 'measured' });
    await expect(Study.create({ ...base, displayName: 'measured' })).rejects.toThrow(/ALREADY_EXISTS/);
    const [trial] = await study.suggest();
    await expect(trial!.addMeasurement({ y: Number.NaN })).rejects.toThrow(/metrics\.y/);
    await expect(study.addTrial({ x1: 100, x2: 1 })).rejects.toThrow(/trial\.parameters/);
  });

  it('works the same over the REST transport', async () => {
    init({ apiTransport: 'rest' });
    try {
      const study = await Study.create({
        displayName: 'rest',
        metricSpec: { y: 'minimize' },
        parameterSpec: braninSpace,
      });
      const trials = await study.suggest({ count: 2 });
      expect(trials).toHaveLength(2);
      for (const t of trials) await t.complete({ y: branin(t.parameters) });
      expect((await study.optimalTrials()).length).toBe(1);
      expect(await trials[0]!.shouldStop()).toBe(false);
    } finally {
      init({ apiTransport: 'grpc' });
    }
  });
});
