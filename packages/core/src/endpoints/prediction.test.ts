import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../test/field-of.ts';
import { toDeployedModel } from './deployed-model.ts';
import { predictRequest, rawPredictRequest, toPrediction, toRawPrediction } from './prediction.ts';

const ENDPOINT = 'projects/test-project/locations/us-central1/endpoints/1028944691210842416';
const MODEL = 'projects/test-project/locations/us-central1/models/1028944691210842416';
const conformance = (f: string) =>
  JSON.parse(readFileSync(new URL(`../../../../conformance/${f}`, import.meta.url), 'utf8'));

describe('prediction requests and results', () => {
  it('sends instances and parameters as Values; parameters only when given', () => {
    const c = conformance('sdk-endpoint-predict.json');
    const r = predictRequest(ENDPOINT, c.inputs.args.instances, c.inputs.args.parameters);
    expect(r.instances).toHaveLength(2);
    expect(r.instances?.[0]).toEqual({
      listValue: { values: [{ numberValue: 1 }, { numberValue: 2 }, { numberValue: 3 }] },
    });
    expect(r.parameters).toEqual({ structValue: { fields: { param: { numberValue: 3 } } } });
    expect(predictRequest(ENDPOINT, [{ a: 'x' }])).not.toHaveProperty('parameters');
    expect(fieldOf(() => predictRequest(ENDPOINT, 'x' as never))).toBe('instances');
  });

  it('turns a response into plain JSON (lists, scalars and metadata)', () => {
    expect(
      toPrediction({
        predictions: [{ numberValue: 1 }, { listValue: { values: [{ stringValue: 'a' }] } }],
        deployedModelId: '7',
        model: MODEL,
        modelVersionId: '1',
        modelDisplayName: 'iris',
        metadata: { structValue: { fields: { foo: { stringValue: 'bar' } } } },
      }),
    ).toEqual({
      predictions: [1, ['a']],
      deployedModelId: '7',
      model: MODEL,
      modelVersionId: '1',
      modelDisplayName: 'iris',
      metadata: { foo: 'bar' },
    });
    expect(toPrediction({ predictions: [], deployedModelId: '7', metadata: null })).not.toHaveProperty(
      'metadata',
    );
  });

  it('raw bodies: strings, bytes and objects in; bytes, text and JSON out', () => {
    const text = (b: unknown) => Buffer.from(b as Uint8Array).toString('utf8');
    expect(text(rawPredictRequest(ENDPOINT, '{"instances":[]}').httpBody?.data)).toBe('{"instances":[]}');
    expect(text(rawPredictRequest(ENDPOINT, { instances: [1] }).httpBody?.data)).toBe('{"instances":[1]}');
    expect(rawPredictRequest(ENDPOINT, new Uint8Array([1, 2]), 'application/octet-stream').httpBody).toEqual({
      contentType: 'application/octet-stream',
      data: new Uint8Array([1, 2]),
    });
    expect(fieldOf(() => rawPredictRequest(ENDPOINT, 42 as never))).toBe('body');
    const out = toRawPrediction({
      contentType: 'application/json',
      data: Buffer.from('{"predictions":[2]}'),
    });
    expect(out.json()).toEqual({ predictions: [2] });
    expect(out.text()).toBe('{"predictions":[2]}');
    expect(toRawPrediction({ data: Buffer.from('x').toString('base64') }).text()).toBe('x');
  });

  it('deployed models as plain data', () => {
    expect(
      toDeployedModel({
        id: '1',
        model: MODEL,
        modelVersionId: '2',
        displayName: 'iris',
        dedicatedResources: {
          machineSpec: { machineType: 'n1-standard-2' },
          minReplicaCount: 1,
          maxReplicaCount: 2,
        },
      }),
    ).toEqual({
      id: '1',
      model: MODEL,
      modelVersionId: '2',
      displayName: 'iris',
      minReplicaCount: 1,
      maxReplicaCount: 2,
      machineType: 'n1-standard-2',
    });
  });
});
