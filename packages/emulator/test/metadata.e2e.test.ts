import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helpers, v1 } from '@google-cloud/aiplatform';
import { grpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';

const location = 'projects/demo-meta/locations/us-central1';
const store = `${location}/metadataStores/default`;
const EXP = `${store}/contexts/exp-1`;

function client(emu: RunningEmulator) {
  const [host, port] = emu.vertexAddress.split(':');
  return new v1.MetadataServiceClient({
    apiEndpoint: host,
    port: Number(port),
    sslCreds: grpc.credentials.createInsecure(),
  });
}

/** A plain object as a `google.protobuf.Struct`, and back. */
const struct = (o: object) => (helpers.toValue(o) as { structValue: Record<string, unknown> }).structValue;
const plain = (s: unknown) =>
  helpers.fromValue({ kind: 'structValue', structValue: s as never }) as Record<string, unknown>;

async function rpcError(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
}

describe('MetadataService on the emulator', () => {
  let dataDir: string;
  let emu: RunningEmulator;
  let md: v1.MetadataServiceClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tvx-metadata-'));
    emu = await startEmulator({ dataDir });
    md = client(emu);
  });
  afterAll(async () => {
    await md?.close();
    await emu?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates metadata stores through a long-running operation; default exists on first use', async () => {
    expect((await rpcError(md.getMetadataStore({ name: store }))).code).toBe(grpc.status.NOT_FOUND);
    const [op] = await md.createMetadataStore({
      parent: location,
      metadataStoreId: 'team',
      metadataStore: {},
    });
    const [created] = await op.promise();
    expect(created.name).toBe(`${location}/metadataStores/team`);
    const again = await rpcError(
      md.createMetadataStore({ parent: location, metadataStoreId: 'team', metadataStore: {} }),
    );
    expect(again.code).toBe(grpc.status.ALREADY_EXISTS);
    const [ctx] = await md.createContext({
      parent: store,
      contextId: 'exp-1',
      context: {
        displayName: 'exp-1',
        schemaTitle: 'system.Experiment',
        schemaVersion: '0.0.1',
        description: 'first',
        metadata: struct({ experiment_deleted: false }),
      },
    });
    expect(ctx.name).toBe(EXP);
    expect(ctx.etag).toBeTruthy();
    expect(plain(ctx.metadata)).toEqual({ experiment_deleted: false });
    const [stores] = await md.listMetadataStores({ parent: location });
    expect(stores.map((s) => s.name).sort()).toEqual([store, `${location}/metadataStores/team`]);
  });

  it('creates run contexts under the experiment and lists them with the filters the SDK sends', async () => {
    for (const run of ['run-1', 'run-2']) {
      await md.createContext({
        parent: store,
        contextId: `exp-1-${run}`,
        context: {
          displayName: run,
          schemaTitle: 'system.ExperimentRun',
          schemaVersion: '0.0.1',
          metadata: struct({ _params: {}, _metrics: {}, _state: 'RUNNING' }),
        },
      });
    }
    await md.addContextChildren({ context: EXP, childContexts: [`${EXP}-run-1`, `${EXP}-run-2`] });
    const dup = await rpcError(
      md.createContext({
        parent: store,
        contextId: 'exp-1-run-1',
        context: { schemaTitle: 'system.ExperimentRun' },
      }),
    );
    expect(dup.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(dup.details).toContain(`Context with name ${EXP}-run-1 already exists`);

    const [runs] = await md.listContexts({
      parent: store,
      filter: `schema_title="system.ExperimentRun" AND parent_contexts:"${EXP}"`,
    });
    expect(runs.map((r) => r.displayName)).toEqual(['run-1', 'run-2']);
    expect(runs[0]!.parentContexts).toEqual([EXP]);
    const [experiments] = await md.listContexts({
      parent: store,
      filter: 'schema_title="system.Experiment"',
    });
    expect(experiments.map((c) => c.name)).toEqual([EXP]);
    const [byTime] = await md.listContexts({
      parent: store,
      filter: `create_time>"2000-01-01T00:00:00Z" AND display_name="run-2"`,
    });
    expect(byTime.map((c) => c.displayName)).toEqual(['run-2']);
    const [children] = await md.listContexts({ parent: store, filter: `child_contexts:"${EXP}-run-2"` });
    expect(children.map((c) => c.name)).toEqual([EXP]);

    const cycle = await rpcError(md.addContextChildren({ context: `${EXP}-run-1`, childContexts: [EXP] }));
    expect(cycle.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(cycle.details).toMatch(/child_contexts\[0\].*cycle/);
  });

  it('updates a context with its etag and an optional field mask', async () => {
    const [run] = await md.getContext({ name: `${EXP}-run-1` });
    const metadata = { ...plain(run.metadata), _params: { lr: 0.1, optimizer: 'adam', epochs: 3 } };
    const [updated] = await md.updateContext({ context: { ...run, metadata: struct(metadata) } });
    expect(plain(updated.metadata)).toEqual({
      _params: { lr: 0.1, optimizer: 'adam', epochs: 3 },
      _metrics: {},
      _state: 'RUNNING',
    });
    expect(updated.etag).not.toBe(run.etag);
    const stale = await rpcError(md.updateContext({ context: { ...run, description: 'late' } }));
    expect(stale.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(stale.details).toMatch(/context\.etag/);
    const [masked] = await md.updateContext({
      context: { name: run.name, description: 'only this' },
      updateMask: { paths: ['description'] },
    });
    expect(masked.description).toBe('only this');
    expect(plain(masked.metadata)._state).toBe('RUNNING');
    const badMask = await rpcError(
      md.updateContext({ context: { name: run.name }, updateMask: { paths: ['create_time'] } }),
    );
    expect(badMask.details).toMatch(/update_mask path "create_time" cannot be updated/);
  });

  it('links executions and artifacts to contexts, with events and lineage queries', async () => {
    const [exec] = await md.createExecution({
      parent: store,
      executionId: 'train-1',
      execution: { displayName: 'train', schemaTitle: 'system.ContainerExecution', state: 'RUNNING' },
    });
    const [data] = await md.createArtifact({
      parent: store,
      artifactId: 'data-1',
      artifact: { schemaTitle: 'system.Dataset', uri: 'gs://b/data.csv', state: 'LIVE' },
    });
    const [model] = await md.createArtifact({
      parent: store,
      artifactId: 'model-1',
      artifact: {
        schemaTitle: 'system.Model',
        uri: 'gs://b/model',
        state: 'LIVE',
        metadata: struct({ framework: 'sklearn' }),
      },
    });
    const run1 = `${EXP}-run-1`;
    await md.addContextArtifactsAndExecutions({
      context: run1,
      artifacts: [data.name!, model.name!],
      executions: [exec.name!],
    });
    await md.addExecutionEvents({
      execution: exec.name,
      events: [
        { artifact: data.name, type: 'INPUT' },
        { artifact: model.name, type: 'OUTPUT' },
        { artifact: model.name, type: 'OUTPUT' },
      ],
    });
    const [inContext] = await md.listArtifacts({
      parent: store,
      filter: `in_context("${run1}") AND schema_title="system.Model"`,
    });
    expect(inContext.map((a) => a.name)).toEqual([model.name]);
    const [byMeta] = await md.listArtifacts({
      parent: store,
      filter: 'metadata.framework.string_value="sklearn" AND state=LIVE',
    });
    expect(byMeta.map((a) => a.name)).toEqual([model.name]);
    const [execs] = await md.listExecutions({ parent: store, filter: `in_context("${run1}")` });
    expect(execs.map((e) => e.name)).toEqual([exec.name]);

    const [io] = await md.queryExecutionInputsAndOutputs({ execution: exec.name });
    expect(io.events!.map((e) => [e.artifact, e.type])).toEqual([
      [data.name, 'INPUT'],
      [model.name, 'OUTPUT'],
    ]);
    const [sub] = await md.queryContextLineageSubgraph({ context: run1 });
    expect(sub.artifacts!.map((a) => a.name).sort()).toEqual([data.name, model.name].sort());
    expect(sub.executions!.map((e) => e.name)).toEqual([exec.name]);
    const [lineage] = await md.queryArtifactLineageSubgraph({ artifact: data.name });
    expect(lineage.artifacts!.map((a) => a.name).sort()).toEqual([data.name, model.name].sort());

    const [updated] = await md.updateExecution({ execution: { ...exec, state: 'COMPLETE' } });
    expect(updated.state).toBe('COMPLETE');
    const missing = await rpcError(
      md.addContextArtifactsAndExecutions({ context: run1, artifacts: [`${store}/artifacts/nope`] }),
    );
    expect(missing.code).toBe(grpc.status.NOT_FOUND);
  });

  it('answers bad ids and filters with INVALID_ARGUMENT naming the field', async () => {
    const badId = await rpcError(
      md.createContext({ parent: store, contextId: 'My_Experiment', context: {} }),
    );
    expect(badId.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badId.details).toMatch(/context_id/);
    const badFilter = await rpcError(md.listContexts({ parent: store, filter: 'uri="gs://x"' }));
    expect(badFilter.details).toMatch(/field uri is not supported when listing contexts/);
    const noStore = await rpcError(
      md.createContext({ parent: `${location}/metadataStores/nope`, context: {} }),
    );
    expect(noStore.code).toBe(grpc.status.NOT_FOUND);
  });

  it('deletes and purges through operations, and keeps everything across a restart', async () => {
    const [del] = await md.deleteContext({ name: `${EXP}-run-2` });
    await del.promise();
    expect((await rpcError(md.getContext({ name: `${EXP}-run-2` }))).code).toBe(grpc.status.NOT_FOUND);
    const [dry] = await md.purgeArtifacts({ parent: store, filter: 'schema_title="system.Dataset"' });
    const [dryRes] = await dry.promise();
    expect(Number(dryRes.purgeCount)).toBe(1);
    expect((await md.getArtifact({ name: `${store}/artifacts/data-1` }))[0].name).toBeTruthy();

    await md.close();
    await emu.stop();
    emu = await startEmulator({ dataDir });
    md = client(emu);
    const [run] = await md.getContext({ name: `${EXP}-run-1` });
    expect(run.parentContexts).toEqual([EXP]);
    expect((plain(run.metadata)._params as Record<string, unknown>).optimizer).toBe('adam');
    const [remaining] = await md.listContexts({ parent: store, filter: `parent_contexts:"${EXP}"` });
    expect(remaining.map((c) => c.displayName)).toEqual(['run-1']);
  });
});
