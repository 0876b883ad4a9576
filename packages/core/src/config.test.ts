import { afterEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_DEFAULT_BUCKET,
  EMULATOR_DEFAULT_PROJECT,
  init,
  resetConfig,
  resolveConfig,
} from './config.ts';
import { ConfigurationError, ValidationError } from './errors.ts';

const emulatorEnv = {
  VERTEX_AI_EMULATOR_HOST: '127.0.0.1:9010',
  STORAGE_EMULATOR_HOST: 'http://127.0.0.1:9011',
};

describe('configuration', () => {
  afterEach(() => resetConfig());

  it('uses the emulator from the environment with demo defaults and no credential lookup', async () => {
    const c = await resolveConfig({}, emulatorEnv);
    expect(c.emulator).toEqual({ vertex: '127.0.0.1:9010', http: 'http://127.0.0.1:9011' });
    expect(c.project).toBe(EMULATOR_DEFAULT_PROJECT);
    expect(c.stagingBucket).toBe(EMULATOR_DEFAULT_BUCKET);
    expect(c.location).toBe('us-central1');
  });

  it('resolves explicit options over init() over the environment', async () => {
    init({ project: 'from-init-1', location: 'europe-west4' });
    const env = { ...emulatorEnv, GOOGLE_CLOUD_PROJECT: 'from-env-1', GOOGLE_CLOUD_REGION: 'asia-east1' };
    const c = await resolveConfig({ location: 'us-east1' }, env);
    expect(c.project).toBe('from-init-1');
    expect(c.location).toBe('us-east1');
    expect((await resolveConfig({}, { ...emulatorEnv, GOOGLE_CLOUD_REGION: 'asia-east1' })).location).toBe(
      'europe-west4',
    );
  });

  it("explains that Terra's workspace project is not a Vertex project when it is all there is", async () => {
    const env = {
      GOOGLE_PROJECT: 'terra-abc123',
      WORKSPACE_BUCKET: 'gs://fc-secure-1234',
      OWNER_EMAIL: 'me@lab.org',
    };
    // No explicit project, no GOOGLE_CLOUD_PROJECT; ADC finds none on this machine.
    const c = await resolveConfig({ credentials: { keyFile: '/nonexistent.json' } }, env);
    expect(c.projectSource).toBe('terra-workspace');
    expect(c.notices.join(' ')).toMatch(
      /Terra workspace project terra-abc123.*your own Google Cloud project/s,
    );
    expect(c.stagingBucket).toBe('gs://fc-secure-1234');
    expect(c.terraUser).toBe('me@lab.org');
  });

  it('asks for both emulator variables', async () => {
    await expect(resolveConfig({}, { VERTEX_AI_EMULATOR_HOST: '127.0.0.1:1' })).rejects.toThrow(
      ConfigurationError,
    );
  });

  it('validates the region from the environment and says where it came from', async () => {
    await expect(resolveConfig({}, { ...emulatorEnv, GOOGLE_CLOUD_REGION: 'us-moon1' })).rejects.toThrow(
      /location \(from GOOGLE_CLOUD_REGION\)/,
    );
    expect(() => init({ location: 'nowhere' })).toThrow(ValidationError);
  });
  it('keeps the experiment options and refuses them as the Python SDK does', async () => {
    init({ experiment: 'pcam-exp', experimentDescription: 'PCam baselines', experimentTensorboard: 'tb-1' });
    const c = await resolveConfig({}, emulatorEnv);
    expect(c.experiment).toBe('pcam-exp');
    expect(c.experimentDescription).toBe('PCam baselines');
    expect(c.experimentTensorboard).toBe('tb-1');
    init({ experiment: 'other-exp' });
    const d = await resolveConfig({}, emulatorEnv);
    expect(d.experiment).toBe('other-exp');
    expect(d.experimentDescription).toBeUndefined();
    expect(() => init({ experimentDescription: 'no experiment' })).toThrow(
      /experimentDescription: Experiment needs to be set in `init` in order to add experiment descriptions/,
    );
    expect(() => init({ experiment: 'My_Experiment' })).toThrow(
      /experiment: "My_Experiment" is not a valid experiment name/,
    );
    expect(() => init({ experiment: 'x', experimentTensorboard: 'projects/p/tensorboards/1' })).toThrow(
      /experimentTensorboard: .* is not a TensorBoard resource name/,
    );
    expect(() => init({ experiment: 'x', experimentTensorboard: false })).not.toThrow();
    expect((await resolveConfig({}, emulatorEnv)).experimentTensorboard).toBe(false);
  });
});
