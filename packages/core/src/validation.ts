import { ValidationError } from './errors.ts';
import { MULTI_REGIONS, SUPPORTED_REGIONS } from './regions.ts';

/** Checks a Vertex AI location the way the Python SDK does. */
export function validateLocation(location: string, field = 'location'): string {
  if (SUPPORTED_REGIONS.has(location) || MULTI_REGIONS.has(location)) return location;
  const near = [...SUPPORTED_REGIONS].filter((r) => r.startsWith(location.split('-')[0] ?? '')).slice(0, 6);
  throw new ValidationError(
    field,
    `unsupported region for Vertex AI: ${JSON.stringify(location)}`,
    `Use one of the Vertex AI regions, e.g. 'us-central1'${near.length ? ` (close matches: ${near.join(', ')})` : ''}.`,
  );
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const PROJECT_NUMBER = /^\d+$/;
const DOMAIN_PROJECT = /^[a-z][a-z0-9.-]*:[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Checks a Google Cloud project id (or number). */
export function validateProject(project: string, field = 'project'): string {
  if (PROJECT_ID.test(project) || PROJECT_NUMBER.test(project) || DOMAIN_PROJECT.test(project))
    return project;
  throw new ValidationError(
    field,
    `${JSON.stringify(project)} is not a valid Google Cloud project id`,
    'A project id has 6 to 30 lowercase letters, digits or hyphens, starts with a letter and does not end with a hyphen (e.g. "my-lab-vertex").',
  );
}

const RESOURCE_ID = /^[\w-]+$/;

/** Checks a short resource id, as the Python SDK's `utils.full_resource_name` does. */
export function validateResourceId(id: string, field = 'resource id'): string {
  if (RESOURCE_ID.test(id)) return id;
  throw new ValidationError(
    field,
    `${JSON.stringify(id)} is not a valid resource id`,
    'Give a full resource name (projects/…/locations/…/customJobs/123) or an id of letters, digits, "_" and "-".',
  );
}

/** Display names are limited to 128 characters (Python SDK: `_validate_display_name`). */
export function validateDisplayName(name: string, field = 'displayName'): string {
  if (name.length === 0) {
    throw new ValidationError(
      field,
      'must not be empty',
      'Give a short human-readable name, e.g. "train-sklearn".',
    );
  }
  if (name.length > 128) {
    throw new ValidationError(
      field,
      `is ${name.length} characters long; display names need to be less than 128 characters`,
      'Shorten the name.',
    );
  }
  return name;
}

const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** Labels must be a string-to-string map following Google Cloud's label rules. */
export function validateLabels(labels: unknown, field = 'labels'): Record<string, string> {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw new ValidationError(
      field,
      'expected a mapping of string keys to string values',
      'Pass e.g. { team: "genomics" }.',
    );
  }
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > 64)
    throw new ValidationError(field, `has ${entries.length} labels`, 'Use at most 64 labels.');
  for (const [k, v] of entries) {
    if (typeof v !== 'string') {
      throw new ValidationError(
        `${field}.${k}`,
        `value must be a string, got ${typeof v}`,
        `Write it as a string, e.g. "${String(v)}".`,
      );
    }
    if (!LABEL_KEY.test(k)) {
      throw new ValidationError(
        `${field}.${k}`,
        'is not a valid label key',
        'Label keys start with a lowercase letter and hold up to 63 lowercase letters, digits, "_" or "-".',
      );
    }
    if (!LABEL_VALUE.test(v)) {
      throw new ValidationError(
        `${field}.${k}`,
        `value ${JSON.stringify(v)} is not a valid label value`,
        'Label values hold up to 63 lowercase letters, digits, "_" or "-".',
      );
    }
  }
  return labels as Record<string, string>;
}

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** Parses a staging bucket given as `my-bucket` or `gs://my-bucket/prefix` into `gs://bucket[/prefix]`. */
export function normalizeStagingBucket(value: string, field = 'stagingBucket'): string {
  const stripped = value.replace(/^gs:\/\//, '').replace(/\/+$/, '');
  const [bucket = '', ...rest] = stripped.split('/');
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new ValidationError(
      field,
      `${JSON.stringify(value)} is not a Cloud Storage bucket`,
      "Give a bucket as 'gs://my-bucket' or 'gs://my-bucket/prefix' (3-63 lowercase letters, digits, '-', '_' or '.').",
    );
  }
  return [`gs://${bucket}`, ...rest].join('/');
}

/** Positive whole number check used for counts, sizes and durations. */
export function validatePositiveInt(value: number, field: string, { allowZero = false } = {}): number {
  if (!Number.isInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ValidationError(
      field,
      `must be a ${allowZero ? 'non-negative' : 'positive'} whole number, got ${JSON.stringify(value)}`,
      `Pass e.g. ${allowZero ? 0 : 1}.`,
    );
  }
  return value;
}
