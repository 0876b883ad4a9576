import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { buildCreateTensorboardRequest } from './tensorboard.ts';
import { buildCreateExperimentRequest } from './tensorboard-experiment.ts';
import { buildCreateRunRequest } from './tensorboard-run.ts';
import { buildCreateTimeSeriesRequest } from './tensorboard-time-series.ts';

const config = {
  project: 'my-lab',
  location: 'us-central1',
  projectSource: 'explicit',
  apiTransport: 'grpc',
  notices: [],
} as ResolvedConfig;
const TB = 'projects/my-lab/locations/us-central1/tensorboards/7';

describe('TensorboardService requests', () => {
  it('CreateTensorboard: as the Python SDK (test_create_tensorboard), isDefault only when true', () => {
    expect(
      buildCreateTensorboardRequest(
        { displayName: 'my_tensorboard_1234', encryptionSpecKeyName: 'key_1234' },
        config,
      ),
    ).toEqual({
      parent: 'projects/my-lab/locations/us-central1',
      tensorboard: { displayName: 'my_tensorboard_1234', encryptionSpec: { kmsKeyName: 'key_1234' } },
    });
    const withAll = buildCreateTensorboardRequest(
      { displayName: 'tb', description: 'd', labels: { team: 'g' }, isDefault: true },
      { ...config, encryptionSpecKeyName: 'init-key' },
    );
    expect(withAll.tensorboard).toEqual({
      displayName: 'tb',
      description: 'd',
      labels: { team: 'g' },
      isDefault: true,
      encryptionSpec: { kmsKeyName: 'init-key' },
    });
    expect(buildCreateTensorboardRequest({}, config).tensorboard.displayName).toMatch(
      /^Tensorboard \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/,
    );
    expect(() => buildCreateTensorboardRequest({ labels: { Bad: 'x' } }, config)).toThrow(ValidationError);
  });

  it('CreateTensorboardExperiment and CreateTensorboardRun: ids checked, run display name defaults to its id', () => {
    expect(
      buildCreateExperimentRequest(
        { tensorboardExperimentId: 'exp-1', tensorboardName: '7', description: 'x' },
        config,
      ),
    ).toEqual({
      parent: TB,
      tensorboardExperimentId: 'exp-1',
      tensorboardExperiment: { description: 'x' },
    });
    expect(() =>
      buildCreateExperimentRequest({ tensorboardExperimentId: 'My_Exp', tensorboardName: '7' }, config),
    ).toThrow(/tensorboardExperimentId: "My_Exp" is not a valid id/);
    expect(
      buildCreateRunRequest(
        { tensorboardRunId: 'run-1', tensorboardExperimentName: 'exp-1', tensorboardId: '7' },
        config,
      ),
    ).toEqual({
      parent: `${TB}/experiments/exp-1`,
      tensorboardRunId: 'run-1',
      tensorboardRun: { displayName: 'run-1' },
    });
    expect(() =>
      buildCreateRunRequest({ tensorboardRunId: 'r', tensorboardExperimentName: 'exp-1' }, config),
    ).toThrow(/tensorboard: is needed/);
  });

  it('CreateTensorboardTimeSeries: SCALAR and plugin scalars by default', () => {
    expect(
      buildCreateTimeSeriesRequest(
        { displayName: 'loss', tensorboardRunName: `${TB}/experiments/e/runs/r` },
        config,
      ),
    ).toEqual({
      parent: `${TB}/experiments/e/runs/r`,
      tensorboardTimeSeries: { displayName: 'loss', valueType: 'SCALAR', pluginName: 'scalars' },
    });
    expect(() =>
      buildCreateTimeSeriesRequest(
        { displayName: 'x', tensorboardRunName: `${TB}/experiments/e/runs/r`, valueType: 'IMAGE' as never },
        config,
      ),
    ).toThrow(/valueType/);
  });
});
