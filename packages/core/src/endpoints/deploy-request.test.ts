import { readFileSync } from 'node:fs';
import type { protos } from '@google-cloud/aiplatform';
import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../test/field-of.ts';
import { buildCreateEndpointRequest } from './create-request.ts';
import { buildDeployRequest, planDeploy, versionedModelName } from './deploy-request.ts';
import { defaultEndpointName } from './model-deploy.ts';

const ENDPOINT = 'projects/test-project/locations/us-central1/endpoints/1028944691210842416';
const MODEL = 'projects/test-project/locations/us-central1/models/1028944691210842416';
const conformance = (f: string) =>
  JSON.parse(readFileSync(new URL(`../../../../conformance/${f}`, import.meta.url), 'utf8'));

type IModel = protos.google.cloud.aiplatform.v1.IModel;
/** Resources as the clients decode them: enum values by name. */
const model = (types: string[], extra: Record<string, unknown> = {}) =>
  ({ name: MODEL, supportedDeploymentResourcesTypes: types, ...extra }) as unknown as IModel;
const dedicated = model(['DEDICATED_RESOURCES'], { versionId: '2' });
const automatic = model(['AUTOMATIC_RESOURCES']);
const both = model(['DEDICATED_RESOURCES', 'AUTOMATIC_RESOURCES']);
const empty = { name: ENDPOINT };

describe('buildDeployRequest', () => {
  it('builds the conformance case exactly (automatic resources, 70% rescaling model1)', () => {
    const c = conformance('sdk-endpoint-deploy-traffic-percentage.json');
    const request = buildDeployRequest(c.inputs.state.GetEndpoint, c.inputs.state.GetModel, {
      trafficPercentage: c.inputs.args.traffic_percentage,
    });
    expect(request).toEqual(c.expected_request);
  });

  it('deploys the versioned model with dedicated resources and the default machine type', () => {
    expect(buildDeployRequest(empty, dedicated, { minReplicaCount: 1, maxReplicaCount: 2 })).toEqual({
      endpoint: ENDPOINT,
      deployedModel: {
        model: `${MODEL}@2`,
        dedicatedResources: {
          machineSpec: { machineType: 'n1-standard-2' },
          minReplicaCount: 1,
          maxReplicaCount: 2,
        },
      },
      trafficSplit: { '0': 100 },
    });
  });

  it('raises maxReplicaCount to minReplicaCount', () => {
    const r = buildDeployRequest(empty, automatic, { minReplicaCount: 3 });
    expect(r.deployedModel?.automaticResources).toEqual({ minReplicaCount: 3, maxReplicaCount: 3 });
  });

  it('uses dedicated resources for a model supporting both only when a machine argument is given', () => {
    expect(buildDeployRequest(empty, both).deployedModel?.automaticResources).toEqual({
      minReplicaCount: 1,
      maxReplicaCount: 1,
    });
    const r = buildDeployRequest(empty, both, {
      machineType: 'n1-highmem-4',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 2,
    });
    expect(r.deployedModel?.dedicatedResources?.machineSpec).toEqual({
      machineType: 'n1-highmem-4',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 2,
    });
    expect(r.deployedModel?.automaticResources).toBeUndefined();
  });

  it('ignores machine arguments for an automatic-only model, with a notice', () => {
    const { request, notices } = planDeploy(empty, automatic, { machineType: 'n1-standard-8' });
    expect(request.deployedModel?.dedicatedResources).toBeUndefined();
    expect(notices.join('\n')).toMatch(/does not support dedicated deployment resources/);
  });

  it('sends no resources for a model that supports no deployment type, with a notice', () => {
    const { request, notices } = planDeploy(empty, { name: MODEL }, {});
    expect(request.deployedModel).toEqual({ model: MODEL });
    expect(notices.join('\n')).toMatch(/does not support deployment/);
  });

  it('reads enum numbers too (hand-built resources)', () => {
    const r = buildDeployRequest(empty, { name: MODEL, supportedDeploymentResourcesTypes: [2] });
    expect(r.deployedModel?.automaticResources).toBeDefined();
  });

  it('sends displayName, serviceAccount (default from init) and explanationSpec only when given', () => {
    const spec = { parameters: { sampledShapleyAttribution: { pathCount: 10 } } };
    const r = buildDeployRequest(
      empty,
      automatic,
      { deployedModelDisplayName: 'v1', explanationSpec: spec },
      { serviceAccount: 'sa@p.iam.gserviceaccount.com' },
    );
    expect(r.deployedModel).toMatchObject({
      displayName: 'v1',
      serviceAccount: 'sa@p.iam.gserviceaccount.com',
      explanationSpec: spec,
    });
    expect(
      buildDeployRequest(
        empty,
        automatic,
        { serviceAccount: 'me@x.iam.gserviceaccount.com' },
        {
          serviceAccount: 'sa@p.iam.gserviceaccount.com',
        },
      ).deployedModel?.serviceAccount,
    ).toBe('me@x.iam.gserviceaccount.com');
  });

  it('a private endpoint gets no traffic split', () => {
    const r = buildDeployRequest({ name: ENDPOINT, network: 'projects/1/global/networks/v' }, automatic);
    expect(r).not.toHaveProperty('trafficSplit');
  });

  it('rejects what the SDK rejects, naming the field', () => {
    expect(() => buildDeployRequest(empty, automatic, { minReplicaCount: -1 })).toThrow(
      /minReplicaCount: Min replica cannot be negative/,
    );
    expect(() => buildDeployRequest(empty, automatic, { maxReplicaCount: -1 })).toThrow(
      /maxReplicaCount: Max replica cannot be negative/,
    );
    expect(fieldOf(() => buildDeployRequest(empty, automatic, { minReplicaCount: 1.5 }))).toBe(
      'minReplicaCount',
    );
    expect(fieldOf(() => buildDeployRequest(empty, automatic, { trafficPercentage: 101 }))).toBe(
      'trafficPercentage',
    );
    expect(fieldOf(() => buildDeployRequest(empty, automatic, { trafficPercentage: 50 }))).toBe(
      'trafficPercentage',
    );
    expect(fieldOf(() => buildDeployRequest(empty, automatic, { trafficSplit: { '0': 50 } }))).toBe(
      'trafficSplit',
    );
    expect(() => buildDeployRequest(empty, dedicated, { acceleratorType: 'NVIDIA_TESLA_T4' })).toThrow(
      /acceleratorCount: both `accelerator_type` and `accelerator_count` should be specified or None/,
    );
    expect(fieldOf(() => buildDeployRequest(empty, dedicated, { acceleratorCount: 1 }))).toBe(
      'acceleratorType',
    );
    expect(() =>
      buildDeployRequest(empty, dedicated, {
        acceleratorType: 'NVIDIA_GTX_1080' as never,
        acceleratorCount: 1,
      }),
    ).toThrow(/acceleratorType: given accelerator_type `NVIDIA_GTX_1080` invalid/);
    expect(
      fieldOf(() => buildDeployRequest(empty, automatic, { deployedModelDisplayName: 'x'.repeat(129) })),
    ).toBe('deployedModelDisplayName');
  });

  it('versionedModelName keeps a name without version as it is', () => {
    expect(versionedModelName({ name: MODEL })).toBe(MODEL);
    expect(versionedModelName({ name: MODEL, versionId: '3' })).toBe(`${MODEL}@3`);
  });
});

describe('buildCreateEndpointRequest', () => {
  const cloud = { project: 'test-project', location: 'us-central1' };

  it('matches the SDK test_create request', () => {
    expect(
      buildCreateEndpointRequest(
        { displayName: 'test-display-name', encryptionSpecKeyName: 'key_1234' },
        cloud,
      ),
    ).toEqual({
      parent: 'projects/test-project/locations/us-central1',
      endpoint: { displayName: 'test-display-name', encryptionSpec: { kmsKeyName: 'key_1234' } },
    });
  });

  it('sends the optional fields when given, the init key as default, and a generated name', () => {
    const r = buildCreateEndpointRequest(
      {
        displayName: 'e',
        description: 'd',
        labels: { team: 'x' },
        endpointId: 'my-endpoint',
        network: 'projects/1/global/networks/v',
      },
      { ...cloud, encryptionSpecKeyName: 'init-key' },
    );
    expect(r).toEqual({
      parent: 'projects/test-project/locations/us-central1',
      endpoint: {
        displayName: 'e',
        description: 'd',
        labels: { team: 'x' },
        encryptionSpec: { kmsKeyName: 'init-key' },
        network: 'projects/1/global/networks/v',
      },
      endpointId: 'my-endpoint',
    });
    expect(buildCreateEndpointRequest({}, cloud).endpoint?.displayName).toMatch(
      /^Endpoint \d{4}-\d\d-\d\d \d\d:/,
    );
  });

  it('refuses a private endpoint on the emulator and bad names or labels', () => {
    const emulator = { ...cloud, emulator: { vertex: 'localhost:1', http: 'http://localhost:2' } };
    expect(() =>
      buildCreateEndpointRequest({ displayName: 'p', network: 'projects/1/global/networks/v' }, emulator),
    ).toThrow(/network: private endpoints need Vertex AI/);
    expect(fieldOf(() => buildCreateEndpointRequest({ displayName: 'x'.repeat(129) }, cloud))).toBe(
      'displayName',
    );
    expect(fieldOf(() => buildCreateEndpointRequest({ displayName: 'x', labels: { Bad: 'x' } }, cloud))).toBe(
      'labels.Bad',
    );
  });

  it('Model.deploy names its endpoint after the model, 118 characters at most', () => {
    expect(defaultEndpointName('iris')).toBe('iris_endpoint');
    expect(defaultEndpointName('m'.repeat(200))).toBe(`${'m'.repeat(118)}_endpoint`);
  });
});
