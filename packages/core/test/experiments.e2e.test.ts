import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Experiment,
  ExperimentRun,
  endRun,
  experimentTableHtml,
  getCurrentRun,
  getExperimentDf,
  init,
  logMetrics,
  logParams,
  logTimeSeriesMetrics,
  metadataServiceClient,
  resetExperimentTracker,
  resolveConfig,
  startRun,
  toProtoValue,
  ValidationError,
} from '../src/index.ts';
import { recordedRequests, stopEmulator, useEmulator } from './helpers.ts';

const STORE = 'projects/demo-terra-vertex/locations/us-central1/metadataStores/default';
const EXP = `${STORE}/contexts/pcam-exp`;

describe('Vertex AI Experiments against the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator();
    resetExperimentTracker();
  });
  afterAll(async () => {
    resetExperimentTracker();
    await stopEmulator(emu);
  });

  it('asks for an experiment before a run, naming the fix', async () => {
    await expect(startRun('run-1')).rejects.toThrow(
      /No experiment set.*init\(\{ experiment: 'my-experiment' \}\)/,
    );
    await expect(logParams({ lr: 1 })).rejects.toThrow(/No run set.*startRun\('my-run'\)/);
  });

  it('logs two runs, resumes one, and reads params, metrics and states back exactly', async () => {
    init({ experiment: 'pcam-exp', experimentDescription: 'PCam baselines' });
    const run1 = await startRun('run-1');
    expect(run1.resourceName).toBe(`${EXP}-run-1`);
    await logParams({ learning_rate: 0.01, optimizer: 'adam', epochs: 3 });
    await logMetrics({ accuracy: 0.91 });
    await startRun('run-2'); // ends run-1 as COMPLETE first, as the Python SDK does
    await logParams({ learning_rate: 0.1, optimizer: 'sgd', epochs: 3 });
    await logMetrics({ accuracy: 0.85, loss: 0.42 });
    await endRun('FAILED');
    expect(getCurrentRun()).toBeUndefined();

    const resumed = await startRun('run-1', { resume: true });
    expect(await resumed.getState()).toBe('RUNNING');
    await logParams({ epochs: 5 });
    await logMetrics({ auc: 0.97 });
    await endRun();

    const run = (await ExperimentRun.get('run-1'))!;
    expect(await run.getParams()).toEqual({ learning_rate: 0.01, optimizer: 'adam', epochs: 5 });
    expect(await run.getMetrics()).toEqual({ accuracy: 0.91, auc: 0.97 });
    expect(await run.getState()).toBe('COMPLETE');
    expect(await ExperimentRun.get('run-9')).toBeUndefined();

    const rows = await getExperimentDf();
    expect(rows).toEqual([
      {
        experiment_name: 'pcam-exp',
        run_name: 'run-1',
        run_type: 'system.ExperimentRun',
        state: 'COMPLETE',
        'param.learning_rate': 0.01,
        'param.optimizer': 'adam',
        'param.epochs': 5,
        'metric.accuracy': 0.91,
        'metric.auc': 0.97,
        'metric.loss': undefined,
      },
      {
        experiment_name: 'pcam-exp',
        run_name: 'run-2',
        run_type: 'system.ExperimentRun',
        state: 'FAILED',
        'param.learning_rate': 0.1,
        'param.optimizer': 'sgd',
        'param.epochs': 3,
        'metric.accuracy': 0.85,
        'metric.auc': undefined,
        'metric.loss': 0.42,
      },
    ]);
    expect(Object.keys(rows[0]!)).toEqual([
      'experiment_name',
      'run_name',
      'run_type',
      'state',
      'param.learning_rate',
      'param.optimizer',
      'param.epochs',
      'metric.accuracy',
      'metric.auc',
      'metric.loss',
    ]);
    const html = experimentTableHtml(rows, { best: { 'metric.accuracy': 'max' } });
    expect(html).toContain('<b>0.91</b>');
    expect(html).toMatch(/run-1.*run-2/s);
    expect(html).toContain('Experiment pcam-exp: 2 runs');
  });

  it('sends the requests the Python SDK sends', async () => {
    const creates = (await recordedRequests(emu, 'MetadataService/CreateContext')).map(
      (r) => r.request as Record<string, unknown>,
    );
    expect(creates[0]).toMatchObject({
      parent: STORE,
      contextId: 'pcam-exp',
      context: {
        displayName: 'pcam-exp',
        schemaTitle: 'system.Experiment',
        schemaVersion: '0.0.1',
        description: 'PCam baselines',
        metadata: { experiment_deleted: false },
      },
    });
    expect(creates[1]).toMatchObject({
      parent: STORE,
      contextId: 'pcam-exp-run-1',
      context: {
        displayName: 'run-1',
        schemaTitle: 'system.ExperimentRun',
        schemaVersion: '0.0.1',
        metadata: { _params: {}, _metrics: {}, _state: 'RUNNING' },
      },
    });
    const children = await recordedRequests(emu, 'MetadataService/AddContextChildren');
    expect(children[0]!.request).toEqual({ context: EXP, childContexts: [`${EXP}-run-1`] });
    const stores = await recordedRequests(emu, 'MetadataService/CreateMetadataStore');
    expect(stores[0]!.request).toMatchObject({
      parent: 'projects/demo-terra-vertex/locations/us-central1',
      metadataStoreId: 'default',
    });
  });

  it('validates names and values at the boundary, naming the field and the fix', async () => {
    expect(() => init({ experiment: 'PCam_Exp' })).toThrow(
      /experiment: "PCam_Exp" is not a valid experiment name/,
    );
    await startRun('run-3');
    await expect(logParams({ layers: [64, 32] as never })).rejects.toThrow(ValidationError);
    await expect(logMetrics({ loss: Number.NaN })).rejects.toThrow(/metrics\.loss: .*finite number/);
    await expect(logTimeSeriesMetrics({ loss: 0.1 })).rejects.toThrow(
      /backing tensorboard resource.*experimentTensorboard/,
    );
    await expect(startRun('run-1')).rejects.toThrow(
      /run: Experiment Run with name run-1 in pcam-exp already exists.*resume: true/,
    );
    await expect(startRun('nope', { resume: true })).rejects.toThrow(/run nope does not exist/);
    await expect(startRun('Run_4')).rejects.toThrow(/run: "Run_4" is not a valid run name/);
    await expect(startRun('x'.repeat(120))).rejects.toThrow(/cannot be greater than 121/);
  });

  it('reads preview-era system.Run executions into the table', async () => {
    const client = await metadataServiceClient(await resolveConfig());
    const struct = (o: object) => toProtoValue(o).structValue!;
    await client.createExecution({
      parent: STORE,
      executionId: 'pcam-exp-old-run',
      execution: {
        displayName: 'old-run',
        schemaTitle: 'system.Run',
        state: 'COMPLETE',
        metadata: struct({ lr: 0.5 }),
      },
    });
    await client.createArtifact({
      parent: STORE,
      artifactId: 'pcam-exp-old-run-metrics',
      artifact: { schemaTitle: 'system.Metrics', metadata: struct({ accuracy: 0.5 }) },
    });
    await client.addContextArtifactsAndExecutions({
      context: EXP,
      executions: [`${STORE}/executions/pcam-exp-old-run`],
    });
    const rows = await (await Experiment.get('pcam-exp'))!.getDataFrame();
    expect(rows.at(-1)).toMatchObject({
      run_name: 'old-run',
      run_type: 'system.Run',
      state: 'COMPLETE',
      'param.lr': 0.5,
      'metric.accuracy': 0.5,
    });
  });

  it('lists, gets and deletes experiments with their runs', async () => {
    const other = await Experiment.create('other-exp', { description: 'second' });
    expect(other.description).toBe('second');
    await expect(Experiment.create('other-exp')).rejects.toThrow(/ALREADY_EXISTS/);
    expect((await Experiment.list()).map((e) => e.name).sort()).toEqual(['other-exp', 'pcam-exp']);
    const exp = (await Experiment.get('pcam-exp'))!;
    expect(exp.description).toBe('PCam baselines');
    await exp.delete();
    expect(await Experiment.get('pcam-exp')).toBeUndefined();
    expect((await Experiment.list()).map((e) => e.name)).toEqual(['other-exp']);
    const client = await metadataServiceClient(await resolveConfig());
    const [left] = await client.listContexts({
      parent: STORE,
      filter: 'schema_title="system.ExperimentRun"',
    });
    expect(left).toEqual([]);
  });
});
