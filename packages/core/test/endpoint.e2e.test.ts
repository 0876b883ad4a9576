import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  type DeployedModel,
  Endpoint,
  init,
  Model,
  type ProgressEvent,
  ValidationError,
} from '../src/index.ts';
import { recordedRequests, stopEmulator, useEmulator } from './helpers.ts';

const SERVING = 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest';
const PY = '/usr/bin/python3';
/** One iris flower of each class: setosa, versicolor, virginica. */
const IRIS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.1, 4.7, 1.5],
  [7.7, 3.0, 6.1, 2.3],
];
const NETWORK = 'projects/123456789/global/networks/my-vpc';

/** Trains an iris classifier with the system Python and saves it as `<dir>/model.joblib`. */
function trainIris(dir: string, estimator: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync(PY, [
    '-c',
    [
      'import sys, joblib',
      'from sklearn.datasets import load_iris',
      'from sklearn.linear_model import LogisticRegression',
      'from sklearn.tree import DecisionTreeClassifier',
      'X, y = load_iris(return_X_y=True)',
      `joblib.dump(${estimator}.fit(X, y), sys.argv[1])`,
    ].join('\n'),
    join(dir, 'model.joblib'),
  ]);
  return dir;
}

describe('endpoints: deploy, predict, split traffic, undeploy', () => {
  let emu: RunningEmulator;
  let work: string;
  let v1: Model;
  let v2: Model;
  let endpoint: Endpoint;
  let first: DeployedModel;
  let second: DeployedModel;

  beforeAll(async () => {
    emu = await useEmulator();
    work = mkdtempSync(join(tmpdir(), 'tvx-endpoint-'));
    v1 = await Model.upload({
      displayName: 'iris-classifier',
      artifactUri: trainIris(join(work, 'v1'), 'LogisticRegression(max_iter=1000)'),
      servingContainerImageUri: SERVING,
    });
    v2 = await Model.upload({
      parentModel: v1.resourceName,
      artifactUri: trainIris(join(work, 'v2'), 'DecisionTreeClassifier(max_depth=3, random_state=0)'),
      servingContainerImageUri: SERVING,
    });
  }, 120_000);
  afterAll(async () => {
    await stopEmulator(emu);
    rmSync(work, { recursive: true, force: true });
  });

  it('creates an endpoint, deploys a model on 1 to 2 replicas and predicts iris classes', async () => {
    endpoint = await Endpoint.create({ displayName: 'iris', labels: { team: 'genomics' } });
    expect(endpoint.resourceName).toMatch(
      /^projects\/demo-terra-vertex\/locations\/us-central1\/endpoints\/\w+$/,
    );
    expect(endpoint.trafficSplit).toEqual({});
    const events: ProgressEvent[] = [];
    first = await endpoint.deploy(v1, {
      minReplicaCount: 1,
      maxReplicaCount: 2,
      onProgress: (e) => events.push(e),
    });
    expect(first).toMatchObject({
      model: v1.resourceName,
      modelVersionId: '1',
      displayName: 'iris-classifier',
      minReplicaCount: 1,
      maxReplicaCount: 2,
      machineType: 'n1-standard-2',
    });
    expect(endpoint.trafficSplit).toEqual({ [first.id]: 100 });
    expect(endpoint.deployedModels.map((d) => d.id)).toEqual([first.id]);
    expect(events.some((e) => e.type === 'notice' && e.message.includes('Deployed as deployed model'))).toBe(
      true,
    );
    const [sent] = (await recordedRequests(emu, 'EndpointService/DeployModel')).slice(-1);
    expect(sent!.request).toEqual({
      endpoint: endpoint.resourceName,
      deployedModel: {
        model: `${v1.resourceName}@1`,
        dedicatedResources: {
          machineSpec: { machineType: 'n1-standard-2' },
          minReplicaCount: 1,
          maxReplicaCount: 2,
        },
      },
      trafficSplit: { '0': 100 },
    });

    const prediction = await endpoint.predict(IRIS);
    expect(prediction).toMatchObject({
      predictions: [0, 1, 2],
      deployedModelId: first.id,
      model: v1.resourceName,
      modelVersionId: '1',
    });
    // The lazy constructor: an id is enough, nothing is fetched to predict.
    expect((await new Endpoint(endpoint.id).predict([IRIS[2]])).predictions).toEqual([2]);
    expect((await Endpoint.get(endpoint.resourceName)).deployedModels).toHaveLength(1);
    expect((await Endpoint.list()).map((e) => e.resourceName)).toContain(endpoint.resourceName);
  });

  it('a second version with 30% gets the split 70/30, and both answer', async () => {
    second = await endpoint.deploy(v2, { trafficPercentage: 30, deployedModelDisplayName: 'tree' });
    expect(second).toMatchObject({ modelVersionId: '2', displayName: 'tree', minReplicaCount: 1 });
    expect(endpoint.trafficSplit).toEqual({ [first.id]: 70, [second.id]: 30 });
    const [sent] = (await recordedRequests(emu, 'EndpointService/DeployModel')).slice(-1);
    expect((sent!.request as { trafficSplit: unknown }).trafficSplit).toEqual({ [first.id]: 70, '0': 30 });
    const answered = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const p = await endpoint.predict(IRIS);
      expect(p.predictions).toEqual([0, 1, 2]);
      expect(p.modelVersionId).toBe(p.deployedModelId === second.id ? '2' : '1');
      answered.set(p.deployedModelId, (answered.get(p.deployedModelId) ?? 0) + 1);
    }
    expect([...answered.keys()].sort()).toEqual([first.id, second.id].sort());
  });

  it('updateTrafficSplit sends every request to one model', async () => {
    await endpoint.updateTrafficSplit({ [first.id]: 100, [second.id]: 0 });
    expect(endpoint.trafficSplit).toEqual({ [first.id]: 100, [second.id]: 0 });
    const [sent] = (await recordedRequests(emu, 'EndpointService/UpdateEndpoint')).slice(-1);
    // proto3 JSON writes a FieldMask as one string.
    expect((sent!.request as { updateMask: unknown }).updateMask).toMatch(/^(traffic_split|trafficSplit)$/);
    for (let i = 0; i < 10; i++) expect((await endpoint.predict(IRIS)).deployedModelId).toBe(first.id);
    await expect(endpoint.updateTrafficSplit({ [first.id]: 50, [second.id]: 40 })).rejects.toThrow(
      /trafficSplit: sum of all traffic within traffic split needs to be 100/,
    );
  });

  it('rawPredict passes the body and the answer through', async () => {
    const raw = await endpoint.rawPredict({ instances: IRIS });
    expect(raw.contentType).toMatch(/application\/json/);
    expect(raw.json<{ predictions: number[] }>().predictions).toEqual([0, 1, 2]);
    const text = await endpoint.rawPredict(JSON.stringify({ instances: [IRIS[0]] }));
    expect(JSON.parse(text.text())).toMatchObject({ predictions: [0] });
  });

  it('predicts the same over the REST transport', async () => {
    init({ apiTransport: 'rest' });
    try {
      const p = await endpoint.predict(IRIS, { note: 'ignored by sklearn' });
      expect(p.predictions).toEqual([0, 1, 2]);
      expect(p.deployedModelId).toBe(first.id);
      expect((await endpoint.rawPredict({ instances: IRIS })).json()).toMatchObject({
        predictions: [0, 1, 2],
      });
      const err = await endpoint.predict([[1, 2]]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
    } finally {
      init({ apiTransport: 'grpc' });
    }
  });

  it("a bad instance gives an ApiError with the model server's message", async () => {
    const err = await endpoint.predict([[1, 2]]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe('INVALID_ARGUMENT');
    expect((err as ApiError).serverMessage).toMatch(/2 features.*expecting 4 features/);
  });

  it('undeploys with the SDK rules, then deletes with force', async () => {
    await expect(endpoint.undeploy(first.id)).rejects.toThrow(
      new RegExp(`undeploying deployed model '${first.id}' would leave the remaining traffic split at 0%`),
    );
    await expect(
      endpoint.undeploy(first.id, { trafficSplit: { [first.id]: 10, [second.id]: 90 } }),
    ).rejects.toThrow(ValidationError);
    await endpoint.undeploy(second.id);
    expect(endpoint.trafficSplit).toEqual({ [first.id]: 100 });
    expect(endpoint.deployedModels.map((d) => d.id)).toEqual([first.id]);
    const [sent] = (await recordedRequests(emu, 'EndpointService/UndeployModel')).slice(-1);
    expect(sent!.request).toEqual({
      endpoint: endpoint.resourceName,
      deployedModelId: second.id,
      trafficSplit: { [first.id]: 100 },
    });

    const refused = await endpoint.delete().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe('FAILED_PRECONDITION');
    await endpoint.delete({ force: true });
    await expect(Endpoint.get(endpoint.resourceName)).rejects.toThrow(/NOT_FOUND/);
  });

  it('refuses a private endpoint locally, before sending anything', async () => {
    const before = (await recordedRequests(emu, 'EndpointService/CreateEndpoint')).length;
    const err = await Endpoint.create({ displayName: 'private', network: NETWORK }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('network');
    expect((err as Error).message).toMatch(/private endpoints need Vertex AI/);
    await expect(v1.deploy({ network: NETWORK })).rejects.toThrow(
      /network: private endpoints need Vertex AI/,
    );
    expect(await recordedRequests(emu, 'EndpointService/CreateEndpoint')).toHaveLength(before);
  });

  it('Model.deploy() creates <name>_endpoint; sync: false returns at once and wait() waits', async () => {
    const events: ProgressEvent[] = [];
    const created = await v1.deploy({ onProgress: (e) => events.push(e) });
    expect(created.displayName).toBe('iris-classifier_endpoint');
    expect(events.find((e) => e.type === 'created')).toMatchObject({
      type: 'created',
      resourceName: created.resourceName,
    });
    expect(Object.values(created.trafficSplit)).toEqual([100]);
    expect((await created.predict(IRIS)).predictions).toEqual([0, 1, 2]);

    const pending = await created.deploy(`${v2.resourceName}@2`, { trafficPercentage: 50, sync: false });
    expect(pending).toMatchObject({ id: '', model: `${v2.resourceName}@2` });
    await created.wait();
    expect(Object.values(created.trafficSplit).sort()).toEqual([50, 50]);
    expect(created.deployedModels.map((d) => d.modelVersionId).sort()).toEqual(['1', '2']);
    await created.delete({ force: true });
  });

  it("a model whose server cannot start fails the deployment with the server's error", async () => {
    const broken = join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'model.joblib'), 'not a model');
    const model = await Model.upload({
      displayName: 'broken',
      artifactUri: broken,
      servingContainerImageUri: SERVING,
    });
    const target = await Endpoint.create({ displayName: 'broken' });
    const err = await target.deploy(model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/^Deploying model .*@1 to endpoint /);
    expect((err as ApiError).serverMessage).toMatch(/cannot load sklearn model model\.joblib/);
    await target.refresh();
    expect(target.deployedModels).toHaveLength(0);
    await target.delete();
  });
});
