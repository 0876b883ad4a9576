import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '@terra-vertex/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  CustomJob,
  type CustomJobRunOptions,
  CustomPythonPackageTrainingJob,
  type CustomPythonPackageTrainingJobOptions,
  CustomTrainingJob,
  type CustomTrainingJobOptions,
  categoricalParameter,
  type DeployOptions,
  discreteParameter,
  doubleParameter,
  Endpoint,
  HyperparameterTuningJob,
  ImageDataset,
  type ImageDatasetCreateOptions,
  init,
  integerParameter,
  Model,
  type ModelUploadOptions,
  type ParameterScale,
  type ParameterSpec,
  resetConfig,
  resolveConfig,
  type TrainingRunOptions,
  type WorkerPoolSpec,
} from '../src/index.ts';
import { recordedRequests, repoRoot, stopEmulator, useEmulator } from './helpers.ts';

/** The conformance cases: requests the official Python SDK sends for given inputs (vendored from shared/). */
const casesDir = join(repoRoot, 'conformance');
const sharedDir = join(repoRoot, '../shared/conformance');

interface Case {
  file: string;
  rpc: string | string[];
  inputs: {
    init: Record<string, unknown>;
    class: string;
    constructor?: Record<string, unknown>;
    method?: string;
    args: Record<string, unknown>;
    mocked?: Record<string, string>;
    /** Mocked GET responses the call depends on. */
    state?: Record<string, Record<string, unknown>>;
  };
  expected_request: unknown;
}

const cases: Case[] = readdirSync(casesDir)
  .filter((f) => f.startsWith('sdk-') && f.endsWith('.json'))
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as Omit<Case, 'file'>) }));

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** Fields whose values are maps: their keys are data (label names, feature names), not field names. */
const MAPS = new Set([
  'labels',
  'inputs',
  'outputs',
  'environmentVariables',
  'servingContainerEnvironmentVariables',
  'modelLabels',
]);

function camelKeys(v: unknown, keepKeys = false): unknown {
  if (Array.isArray(v)) return v.map((x) => camelKeys(x));
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => {
        const key = keepKeys ? k : camel(k);
        return [key, keepKeys ? camelKeys(x) : camelKeys(x, MAPS.has(key))];
      }),
    );
  }
  return v;
}

/** Python arguments that are call options or blocking behaviour, not part of the request. */
const CALL_OPTIONS = new Set(['sync', 'create_request_timeout', 'upload_request_timeout']);

/** The case's arguments in our API's names (camelCase), without call options. */
function ourOptions(args: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args)
      .filter(([k, v]) => !CALL_OPTIONS.has(k) && v !== null)
      .map(([k, v]) => [camel(k), camelKeys(v, MAPS.has(camel(k)))]),
  );
}

/** A Python SDK `hpt.*ParameterSpec`, as the case writes it. */
interface PySpec {
  type: string;
  min?: number;
  max?: number;
  values?: (number | string)[];
  scale?: ParameterScale;
  parent_values?: (number | string)[];
  conditional_parameter_spec?: Record<string, PySpec>;
}

function toSpec(py: PySpec): ParameterSpec & { parentValues?: (number | string)[] } {
  const children = Object.entries(py.conditional_parameter_spec ?? {});
  const extra = children.length
    ? {
        conditionalParameterSpec: Object.fromEntries(
          children.map(([id, child]) => [id, { ...toSpec(child), parentValues: child.parent_values! }]),
        ),
      }
    : {};
  switch (py.type) {
    case 'DoubleParameterSpec':
      return doubleParameter(py.min!, py.max!, py.scale, extra);
    case 'IntegerParameterSpec':
      return integerParameter(py.min!, py.max!, py.scale, extra);
    case 'CategoricalParameterSpec':
      return categoricalParameter(py.values as string[], extra);
    case 'DiscreteParameterSpec':
      return discreteParameter(py.values as number[], py.scale, extra);
    default:
      throw new Error(`unknown parameter spec ${py.type}`);
  }
}

/** The emulator answers an error the case expects: only the request it recorded is compared. */
async function refusedByEmulator(call: Promise<unknown>): Promise<void> {
  await call.then(
    () => {
      throw new Error('expected the emulator to refuse the call');
    },
    (err: unknown) => {
      if (!(err instanceof ApiError)) throw err;
    },
  );
}

/** Runs a case's call through our API; each class the port has is listed here. */
const ADAPTERS: Record<string, { rpc: string | ((c: Case) => string); run: (c: Case) => Promise<unknown> }> =
  {
    CustomJob: {
      rpc: 'CreateCustomJob',
      run: (c) => {
        const o = c.inputs.constructor!;
        const job = new CustomJob({
          displayName: o.display_name as string,
          workerPoolSpecs: camelKeys(o.worker_pool_specs) as WorkerPoolSpec[],
          baseOutputDir: o.base_output_dir as string | undefined,
          labels: o.labels as Record<string, string> | undefined,
        });
        // The case's image cannot run locally: we compare the request, not the run.
        return job.run({ ...ourOptions(c.inputs.args), sync: false } as CustomJobRunOptions);
      },
    },
    CustomTrainingJob: {
      rpc: 'CreateTrainingPipeline',
      run: (c) => {
        const options = {
          ...ourOptions(c.inputs.constructor),
          stagedPackageUri: c.inputs.mocked!.package_and_copy_to_gcs_returns,
        };
        return new CustomTrainingJob(options as unknown as CustomTrainingJobOptions).run({
          ...ourOptions(c.inputs.args),
          sync: false,
        } as TrainingRunOptions);
      },
    },
    CustomPythonPackageTrainingJob: {
      rpc: 'CreateTrainingPipeline',
      run: (c) =>
        new CustomPythonPackageTrainingJob(
          ourOptions(c.inputs.constructor) as unknown as CustomPythonPackageTrainingJobOptions,
        ).run({
          ...ourOptions(c.inputs.args),
          sync: false,
        } as TrainingRunOptions),
    },
    Model: { rpc: 'UploadModel', run: (c) => Model.upload(ourOptions(c.inputs.args) as ModelUploadOptions) },
    Endpoint: {
      rpc: (c) =>
        c.inputs.method === 'deploy' ? 'EndpointService/DeployModel' : 'PredictionService/Predict',
      run: async (c) => {
        if (c.inputs.method === 'predict') {
          // The lazy constructor: predict() goes out without a GetEndpoint; the endpoint does not exist here.
          const endpoint = new Endpoint(c.inputs.constructor!.endpoint_name as string);
          return refusedByEmulator(
            endpoint.predict(c.inputs.args.instances as unknown[], c.inputs.args.parameters),
          );
        }
        // The case's GetEndpoint / GetModel answers stand in for the server's; the emulator has neither and
        // refuses the deployment after recording the request.
        const config = await resolveConfig();
        const state = c.inputs.state!;
        const endpoint = Endpoint.fromResource(state.GetEndpoint as never, config);
        const model = Model.fromResource(state.GetModel as never, config);
        const { model: _model, ...args } = ourOptions(c.inputs.args);
        return refusedByEmulator(endpoint.deploy(model, args as DeployOptions));
      },
    },
    HyperparameterTuningJob: {
      rpc: 'CreateHyperparameterTuningJob',
      run: (c) => {
        const inner = (c.inputs as unknown as { custom_job: { constructor: Record<string, unknown> } })
          .custom_job.constructor;
        const customJob = new CustomJob({
          displayName: inner.display_name as string,
          workerPoolSpecs: camelKeys(inner.worker_pool_specs) as WorkerPoolSpec[],
          baseOutputDir: inner.base_output_dir as string,
        });
        const o = c.inputs.constructor!;
        const parameterSpec = Object.fromEntries(
          Object.entries(o.parameter_spec as Record<string, PySpec>).map(([id, spec]) => [id, toSpec(spec)]),
        );
        return new HyperparameterTuningJob({
          displayName: o.display_name as string,
          customJob,
          metricSpec: o.metric_spec as Record<string, 'maximize' | 'minimize'>,
          parameterSpec,
          maxTrialCount: o.max_trial_count as number,
          parallelTrialCount: o.parallel_trial_count as number,
          maxFailedTrialCount: o.max_failed_trial_count as number,
          searchAlgorithm: o.search_algorithm as 'grid' | 'random',
          measurementSelection: o.measurement_selection as 'best' | 'last',
          labels: o.labels as Record<string, string>,
        }).run({ ...ourOptions(c.inputs.args), sync: false } as CustomJobRunOptions);
      },
    },
    ImageDataset: {
      // Two requests: the loop below takes them from the case's `rpc` list.
      rpc: 'DatasetService',
      run: async (c) => {
        const { gcsSource, importSchemaUri, ...create } = ourOptions(c.inputs.args);
        await ImageDataset.create(create as ImageDatasetCreateOptions);
        // The case's CreateDataset answer stands in for the server's (the ids differ): ImportData goes to its
        // dataset, which the emulator does not have; it records the request and refuses it. The whole
        // create + import is checked against this case in datasets.e2e.test.ts.
        const created = c.inputs.state!['CreateDataset LRO result']!;
        const dataset = ImageDataset.fromResource(created, await resolveConfig());
        return refusedByEmulator(
          dataset.importData({
            gcsSource: gcsSource as string[],
            importSchemaUri: importSchemaUri as string,
          }),
        );
      },
    },
  };

describe.each(['grpc', 'rest'] as const)('conformance with the Python SDK over %s', (transport) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await useEmulator();
  });
  afterAll(() => stopEmulator(emu));

  it('vendored cases are the same as ../shared/conformance (when present)', () => {
    if (!existsSync(sharedDir)) return;
    for (const c of cases)
      expect(readFileSync(join(casesDir, c.file), 'utf8')).toBe(
        readFileSync(join(sharedDir, c.file), 'utf8'),
      );
  });

  const covered = cases.filter((c) => c.inputs.class in ADAPTERS);
  it('covers every class the port has', () => {
    expect(covered.map((c) => c.inputs.class).sort()).toEqual([
      'CustomJob',
      'CustomPythonPackageTrainingJob',
      'CustomTrainingJob',
      'Endpoint',
      'Endpoint',
      'HyperparameterTuningJob',
      'ImageDataset',
      'Model',
    ]);
  });

  it.each(covered.map((c) => [c.file, c] as const))(
    '%s: the recorded request equals expected_request',
    async (_f, c) => {
      const i = c.inputs.init;
      const emulator = { vertex: emu.vertexAddress, http: emu.httpAddress };
      resetConfig();
      init({
        emulator,
        apiTransport: transport,
        project: i.project as string,
        location: i.location as string | undefined,
        stagingBucket: i.staging_bucket as string | undefined,
        encryptionSpecKeyName: i.encryption_spec_key_name as string | undefined,
        network: i.network as string | undefined,
        serviceAccount: i.service_account as string | undefined,
      });
      const adapter = ADAPTERS[c.inputs.class]!;
      // A case with several RPCs lists its methods and requests in order (`rpc`, `expected_request`).
      const rpcs = Array.isArray(c.rpc)
        ? c.rpc.map((m) => m.replace(/\.(\w+)$/, '/$1'))
        : [typeof adapter.rpc === 'function' ? adapter.rpc(c) : adapter.rpc];
      const expected = Array.isArray(c.rpc) ? (c.expected_request as unknown[]) : [c.expected_request];
      const before = await Promise.all(rpcs.map(async (r) => (await recordedRequests(emu, r)).length));
      await adapter.run(c);
      for (const [i, rpc] of rpcs.entries()) {
        const after = await recordedRequests(emu, rpc);
        expect(after).toHaveLength(before[i]! + 1);
        expect(after.at(-1)!.request).toEqual(expected[i]);
      }
    },
  );
});
