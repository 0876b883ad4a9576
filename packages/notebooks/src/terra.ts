/**
 * What a Terra cloud environment tells a notebook about itself (the variables Leonardo and Terra UI set in
 * the container, reference: terra-tslab-nx.md §2.1), and a summary of the session a setup cell chose.
 */
import { escapeHtml, keyValueTable, type ResolvedConfig } from '@terra-vertex/core';

/** Terra's variables, trimmed; empty strings when not running on Terra. */
export interface TerraEnvironment {
  /** Whether this looks like a Terra cloud environment (GOOGLE_PROJECT or WORKSPACE_BUCKET is set). */
  inTerra: boolean;
  /** `gs://fc-…`: the workspace bucket (WORKSPACE_BUCKET). */
  workspaceBucket: string;
  /** The workspace's Google project, managed by Terra (GOOGLE_PROJECT). */
  googleProject: string;
  /** The Terra user (OWNER_EMAIL). */
  ownerEmail: string;
  workspaceName: string;
  workspaceNamespace: string;
  /** The part of OWNER_EMAIL before `@`, for naming resources (`pcam-<user>-…` in the seed notebooks). */
  user: string;
}

/** Reads Terra's variables from `env` (default `process.env`). */
export function terraEnvironment(env: Record<string, string | undefined> = process.env): TerraEnvironment {
  const read = (key: string) => env[key]?.trim() ?? '';
  const ownerEmail = read('OWNER_EMAIL');
  const workspaceBucket = read('WORKSPACE_BUCKET');
  const googleProject = read('GOOGLE_PROJECT');
  return {
    inTerra: Boolean(googleProject || workspaceBucket),
    workspaceBucket,
    googleProject,
    ownerEmail,
    workspaceName: read('WORKSPACE_NAME'),
    workspaceNamespace: read('WORKSPACE_NAMESPACE'),
    user: ownerEmail.split('@')[0] ?? '',
  };
}

/** Where the jobs of this session run, in words. */
export function sessionBackend(config: ResolvedConfig): string {
  return config.emulator
    ? `the embedded terra-vertex emulator (Vertex AI at ${config.emulator.vertex}, Cloud Storage at ${config.emulator.http})`
    : `Vertex AI in project ${config.project}, ${config.location}`;
}

/** The setup cell's summary: where jobs run, the Terra variables seen, and any notices, as HTML. */
export function sessionHtml(terra: TerraEnvironment, config: ResolvedConfig): string {
  const table = keyValueTable(
    {
      'jobs run on': sessionBackend(config),
      project: `${config.project} (${config.projectSource})`,
      'staging bucket': config.stagingBucket
        ? `${config.stagingBucket} (${config.stagingBucketSource})`
        : 'none: set TVX_STAGING_BUCKET or pass stagingBucket',
      'Terra workspace': terra.inTerra
        ? `${terra.workspaceNamespace}/${terra.workspaceName}`
        : 'not in Terra (no GOOGLE_PROJECT / WORKSPACE_BUCKET)',
      'Terra workspace project (GOOGLE_PROJECT)': terra.googleProject || undefined,
      'Terra workspace bucket (WORKSPACE_BUCKET)': terra.workspaceBucket || undefined,
      'Terra user (OWNER_EMAIL)': terra.ownerEmail || undefined,
    },
    { caption: 'Session' },
  );
  const notices = config.notices.map((n) => `<p style="color:#ef6c00">${escapeHtml(n)}</p>`);
  return table + notices.join('');
}
