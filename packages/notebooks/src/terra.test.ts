import type { ResolvedConfig } from '@terra-vertex/core';
import { describe, expect, it } from 'vitest';
import { sessionBackend, sessionHtml, terraEnvironment } from './terra.ts';

const TERRA = {
  GOOGLE_PROJECT: 'terra-abc123',
  WORKSPACE_BUCKET: 'gs://fc-0000',
  OWNER_EMAIL: 'ada@example.org',
  WORKSPACE_NAME: 'ml',
  WORKSPACE_NAMESPACE: 'lab',
};

describe('Terra environment', () => {
  it("reads Terra's variables and the user's name", () => {
    const t = terraEnvironment(TERRA);
    expect(t).toMatchObject({
      inTerra: true,
      workspaceBucket: 'gs://fc-0000',
      googleProject: 'terra-abc123',
      user: 'ada',
    });
    expect(terraEnvironment({})).toMatchObject({ inTerra: false, workspaceBucket: '', user: '' });
  });

  it('summarizes the session: emulator or Vertex AI, the Terra variables, and notices', () => {
    const emulator: ResolvedConfig = {
      project: 'demo-terra-vertex',
      projectSource: 'emulator-default',
      location: 'us-central1',
      apiTransport: 'grpc',
      notices: [],
      emulator: { vertex: '127.0.0.1:1', http: 'http://127.0.0.1:2' },
    };
    expect(sessionBackend(emulator)).toMatch(/^the embedded terra-vertex emulator/);
    const outside = sessionHtml(terraEnvironment({}), emulator);
    expect(outside).toContain('not in Terra');
    expect(outside).toContain('none: set TVX_STAGING_BUCKET');
    const cloud: ResolvedConfig = {
      ...emulator,
      emulator: undefined,
      project: 'my-lab',
      projectSource: 'explicit',
      stagingBucket: 'gs://fc-0000',
      stagingBucketSource: 'terra-workspace',
      notices: ['Staging in the Terra workspace bucket <gs://fc-0000>'],
    };
    const html = sessionHtml(terraEnvironment(TERRA), cloud);
    expect(sessionBackend(cloud)).toBe('Vertex AI in project my-lab, us-central1');
    expect(html).toContain('lab/ml');
    expect(html).toContain('terra-abc123');
    expect(html).toContain('ada@example.org');
    expect(html).toContain('gs://fc-0000 (terra-workspace)');
    expect(html).toContain('&lt;gs://fc-0000&gt;');
  });
});
