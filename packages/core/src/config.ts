import type { GoogleAuthOptions } from 'google-auth-library';
import { ConfigurationError, ValidationError } from './errors.ts';
import { DEFAULT_LOCATION } from './regions.ts';
import { normalizeStagingBucket, validateLocation, validateProject } from './validation.ts';

/** Where the local emulator listens. */
export interface EmulatorAddress {
  /** Vertex AI gRPC, `host:port`. */
  vertex: string;
  /** Cloud Storage JSON API, Cloud Logging and admin routes, `http://host:port`. */
  http: string;
}

/** Options for {@link init}; every one is optional and falls back to the environment. */
export interface InitOptions {
  /** Google Cloud project id that runs Vertex AI. Falls back to GOOGLE_CLOUD_PROJECT, then ADC. */
  project?: string;
  /** Vertex AI region, default `us-central1` (GOOGLE_CLOUD_REGION). */
  location?: string;
  /** `gs://bucket[/prefix]` for staging packages and job outputs. */
  stagingBucket?: string;
  /** Credentials for the cloud (passed to google-auth-library); unused with the emulator. */
  credentials?: GoogleAuthOptions;
  /** Service account that jobs run as. */
  serviceAccount?: string;
  /** VPC network for jobs, `projects/{number}/global/networks/{name}`. */
  network?: string;
  /** Default Cloud KMS key for resources that take one. */
  encryptionSpecKeyName?: string;
  /** Use the local emulator at this address (or `false` to force the cloud even if env vars are set). */
  emulator?: EmulatorAddress | false;
  /** Vertex AI transport: `grpc` (default) or `rest` (HTTP/JSON, for networks that block HTTP/2). */
  apiTransport?: ApiTransport;
  /**
   * Vertex AI Experiment that {@link startRun} and the other tracking calls use; created on first use if it
   * does not exist (Python SDK: `init(experiment=…)`). Lowercase letters, digits and hyphens.
   */
  experiment?: string;
  /** Description of {@link InitOptions.experiment}; needs `experiment` in the same call, as in the Python SDK. */
  experimentDescription?: string;
  /**
   * TensorBoard backing the experiment's time-series metrics: a resource name
   * (`projects/…/locations/…/tensorboards/123`), `true` for the project's default TensorBoard (created if
   * none exists, as the Python SDK does), or `false`/unset for none.
   */
  experimentTensorboard?: string | boolean;
}

/**
 * The two transports the Vertex AI clients speak, as in the Python SDK's `init(api_transport=…)`.
 * @inline
 */
export type ApiTransport = 'grpc' | 'rest';
const TRANSPORTS: readonly ApiTransport[] = ['grpc', 'rest'];

/** Where a resolved setting came from, so notebooks can explain themselves. */
export type SettingSource =
  | 'explicit'
  | 'environment'
  | 'terra-workspace'
  | 'adc'
  | 'emulator-default'
  | 'default';

/** The configuration in force after explicit options, the environment and ADC have been consulted. */
export interface ResolvedConfig {
  project: string;
  projectSource: SettingSource;
  location: string;
  stagingBucket?: string;
  stagingBucketSource?: SettingSource;
  credentials?: GoogleAuthOptions;
  serviceAccount?: string;
  network?: string;
  encryptionSpecKeyName?: string;
  emulator?: EmulatorAddress;
  apiTransport: ApiTransport;
  /** The Terra user, when running in a Terra cloud environment (`OWNER_EMAIL`). */
  terraUser?: string;
  experiment?: string;
  experimentDescription?: string;
  experimentTensorboard?: string | boolean;
  /** Things the user should know (e.g. that the Terra workspace project was used). */
  notices: string[];
}

/** The project id used with the emulator when none is configured (Firebase's `demo-` convention). */
export const EMULATOR_DEFAULT_PROJECT = 'demo-terra-vertex';
/** The staging bucket used with the emulator when none is configured. */
export const EMULATOR_DEFAULT_BUCKET = 'gs://demo-terra-vertex-staging';

let globalOptions: InitOptions = {};

/** Sets defaults for every later call, like `aiplatform.init()`: only the keys given are replaced. */
export function init(options: InitOptions = {}): void {
  if (options.apiTransport !== undefined) validateTransport(options.apiTransport);
  if (options.location !== undefined) validateLocation(options.location);
  if (options.project !== undefined) validateProject(options.project);
  if (options.stagingBucket !== undefined) normalizeStagingBucket(options.stagingBucket);
  validateExperimentOptions(options);
  const changesExperiment =
    options.experiment !== undefined && options.experiment !== globalOptions.experiment;
  globalOptions = { ...globalOptions, ...stripUndefined(options) };
  // A new experiment starts without the previous one's description (Python: set_experiment resets).
  if (changesExperiment && options.experimentDescription === undefined)
    delete globalOptions.experimentDescription;
}

/** Vertex ML Metadata context ids: lowercase letters, digits and hyphens, at most 128 (metadata_service.proto). */
export const EXPERIMENT_NAME = /^[a-z0-9][a-z0-9-]{0,127}$/;

function validateExperimentOptions(options: InitOptions): void {
  if (options.experimentDescription !== undefined && options.experiment === undefined) {
    throw new ValidationError(
      'experimentDescription',
      'Experiment needs to be set in `init` in order to add experiment descriptions',
      "Pass both together: init({ experiment: 'my-experiment', experimentDescription: '…' }).",
    );
  }
  if (options.experiment !== undefined && !EXPERIMENT_NAME.test(options.experiment)) {
    throw new ValidationError(
      'experiment',
      `${JSON.stringify(options.experiment)} is not a valid experiment name`,
      'Use 1-128 lowercase letters, digits and hyphens, starting with a letter or digit, e.g. "pcam-resnet-2024".',
    );
  }
  const tb = options.experimentTensorboard;
  if (typeof tb === 'string' && !/^(projects\/[^/]+\/locations\/[^/]+\/tensorboards\/)?[\w-]+$/.test(tb)) {
    throw new ValidationError(
      'experimentTensorboard',
      `${JSON.stringify(tb)} is not a TensorBoard resource name`,
      'Give projects/{project}/locations/{location}/tensorboards/{id} or its id, true for the default TensorBoard, or false for none.',
    );
  }
}

/** Forgets everything {@link init} set (for tests and notebooks that start over). */
export function resetConfig(): void {
  globalOptions = {};
}

/** Environment variables, as `process.env` holds them. @inline */
type Env = Record<string, string | undefined>;

/** Reads the emulator addresses from VERTEX_AI_EMULATOR_HOST / STORAGE_EMULATOR_HOST. */
export function emulatorFromEnv(env: Env = process.env): EmulatorAddress | undefined {
  const vertex = env.VERTEX_AI_EMULATOR_HOST?.trim();
  if (!vertex) return undefined;
  const http = env.STORAGE_EMULATOR_HOST?.trim();
  if (!http) {
    throw new ConfigurationError(
      'VERTEX_AI_EMULATOR_HOST is set but STORAGE_EMULATOR_HOST is not: jobs on the emulator read and write its local Cloud Storage. ' +
        'Set both (`eval "$(tvx emulator env)"` prints them), or unset VERTEX_AI_EMULATOR_HOST to use the cloud.',
    );
  }
  return {
    vertex: vertex.replace(/^https?:\/\//, ''),
    http: http.startsWith('http') ? http : `http://${http}`,
  };
}

/**
 * Resolves the configuration: explicit options → `init()` → environment (incl. Terra's) → Application
 * Default Credentials. With the emulator no credentials are looked up at all.
 */
export async function resolveConfig(
  overrides: InitOptions = {},
  env: Env = process.env,
): Promise<ResolvedConfig> {
  const opts: InitOptions = { ...globalOptions, ...stripUndefined(overrides) };
  const notices: string[] = [];
  const emulator = opts.emulator === false ? undefined : (opts.emulator ?? emulatorFromEnv(env));
  const terraProject = env.GOOGLE_PROJECT?.trim() || undefined;
  const terraUser = env.OWNER_EMAIL?.trim() || undefined;

  let project: string | undefined = opts.project;
  let projectSource: SettingSource = 'explicit';
  if (!project && (env.GOOGLE_CLOUD_PROJECT || env.CLOUD_ML_PROJECT_ID)) {
    project = env.GOOGLE_CLOUD_PROJECT || env.CLOUD_ML_PROJECT_ID;
    projectSource = 'environment';
  }
  if (!project && emulator) {
    project = EMULATOR_DEFAULT_PROJECT;
    projectSource = 'emulator-default';
  }
  let adcProblem = '';
  if (!project && !emulator) {
    const adc = await adcProject(opts.credentials);
    project = adc.project;
    adcProblem = adc.problem ? ` (Application Default Credentials: ${adc.problem})` : '';
    projectSource = 'adc';
  }
  if (!project && terraProject) {
    project = terraProject;
    projectSource = 'terra-workspace';
    notices.push(
      `Using the Terra workspace project ${terraProject} (GOOGLE_PROJECT) for Vertex AI. Terra workspace projects usually ` +
        'cannot run Vertex AI jobs: use your own Google Cloud project, grant your Terra group (or pet service account) ' +
        "the Vertex AI User role there, and pass it as init({ project: 'my-project' }) or GOOGLE_CLOUD_PROJECT.",
    );
  }
  if (!project) {
    throw new ConfigurationError(
      'Unable to find your project. Provide a project id by: passing init({ project }), setting GOOGLE_CLOUD_PROJECT, ' +
        `or running \`gcloud config set project\` so Application Default Credentials carry one${adcProblem}. ` +
        'To work without a cloud project, start the local emulator: `tvx emulator start`.',
    );
  }
  validateProject(project, projectSource === 'explicit' ? 'project' : `project (from ${projectSource})`);

  const location = opts.location ?? env.GOOGLE_CLOUD_REGION ?? env.CLOUD_ML_REGION ?? DEFAULT_LOCATION;
  validateLocation(location, opts.location ? 'location' : 'location (from GOOGLE_CLOUD_REGION)');

  let stagingBucket = opts.stagingBucket;
  let stagingBucketSource: SettingSource | undefined = stagingBucket ? 'explicit' : undefined;
  if (!stagingBucket && env.TVX_STAGING_BUCKET) {
    stagingBucket = env.TVX_STAGING_BUCKET;
    stagingBucketSource = 'environment';
  }
  if (!stagingBucket && emulator) {
    stagingBucket = EMULATOR_DEFAULT_BUCKET;
    stagingBucketSource = 'emulator-default';
  }
  if (!stagingBucket && env.WORKSPACE_BUCKET) {
    stagingBucket = env.WORKSPACE_BUCKET;
    stagingBucketSource = 'terra-workspace';
    notices.push(
      `Staging in the Terra workspace bucket ${env.WORKSPACE_BUCKET} (WORKSPACE_BUCKET). Vertex AI jobs in your own project ` +
        "can only read it if that project's service agent has access; a bucket in your project is simpler: init({ stagingBucket: 'gs://…' }).",
    );
  }
  const apiTransport = validateTransport(opts.apiTransport ?? 'grpc');
  const resolved: ResolvedConfig = { project, projectSource, location, apiTransport, notices };
  if (stagingBucket) {
    resolved.stagingBucket = normalizeStagingBucket(stagingBucket);
    resolved.stagingBucketSource = stagingBucketSource;
  }
  if (opts.credentials) resolved.credentials = opts.credentials;
  if (opts.serviceAccount) resolved.serviceAccount = opts.serviceAccount;
  if (opts.network) resolved.network = opts.network;
  if (opts.encryptionSpecKeyName) resolved.encryptionSpecKeyName = opts.encryptionSpecKeyName;
  if (emulator) resolved.emulator = emulator;
  if (terraUser) resolved.terraUser = terraUser;
  if (opts.experiment) resolved.experiment = opts.experiment;
  if (opts.experimentDescription) resolved.experimentDescription = opts.experimentDescription;
  if (opts.experimentTensorboard !== undefined) resolved.experimentTensorboard = opts.experimentTensorboard;
  for (const notice of notices) warnOnce(notice);
  return resolved;
}

const warned = new Set<string>();

/** Shows each notice once per process (notebooks and the CLI print Node warnings on stderr). */
function warnOnce(notice: string): void {
  if (warned.has(notice)) return;
  warned.add(notice);
  process.emitWarning(notice, { type: 'TerraVertexNotice' });
}

function validateTransport(t: string): ApiTransport {
  if ((TRANSPORTS as readonly string[]).includes(t)) return t as ApiTransport;
  throw new ValidationError(
    'apiTransport',
    `${JSON.stringify(t)} is not a valid transport type`,
    `Valid transport types: ['grpc', 'rest'].`,
  );
}

/** The staging bucket, or the Python SDK's error when there is none. */
export function requireStagingBucket(config: ResolvedConfig, what: string): string {
  if (config.stagingBucket) return config.stagingBucket;
  throw new ConfigurationError(
    `staging_bucket should be passed to ${what} or should be set using init({ stagingBucket: 'gs://my-bucket' }) ` +
      '(or TVX_STAGING_BUCKET).',
  );
}

async function adcProject(
  credentials: GoogleAuthOptions | undefined,
): Promise<{ project?: string; problem?: string }> {
  const { GoogleAuth } = await import('google-auth-library');
  try {
    const project = await new GoogleAuth(credentials).getProjectId();
    return project ? { project } : { problem: 'no project' };
  } catch (err) {
    // Having no ADC project is a normal state: the problem is reported if no other source has one.
    return { problem: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
