/**
 * Regions where Vertex AI is offered, checked client-side like the Python SDK's `utils.validate_region`
 * (a fixed list plus `global` and the multi-region jurisdiction `us`).
 */
export const SUPPORTED_REGIONS: ReadonlySet<string> = new Set([
  'africa-south1',
  'asia-east1',
  'asia-east2',
  'asia-northeast1',
  'asia-northeast2',
  'asia-northeast3',
  'asia-south1',
  'asia-south2',
  'asia-southeast1',
  'asia-southeast2',
  'australia-southeast1',
  'australia-southeast2',
  'europe-central2',
  'europe-north1',
  'europe-southwest1',
  'europe-west1',
  'europe-west2',
  'europe-west3',
  'europe-west4',
  'europe-west6',
  'europe-west8',
  'europe-west9',
  'europe-west12',
  'me-central1',
  'me-central2',
  'me-west1',
  'northamerica-northeast1',
  'northamerica-northeast2',
  'southamerica-east1',
  'southamerica-west1',
  'us-central1',
  'us-east1',
  'us-east4',
  'us-east5',
  'us-south1',
  'us-west1',
  'us-west2',
  'us-west3',
  'us-west4',
  'global',
]);

/** Multi-regional jurisdictions served from `aiplatform.<jurisdiction>.rep.googleapis.com`. */
export const MULTI_REGIONS: ReadonlySet<string> = new Set(['us']);

/** The Vertex AI location used when neither `init()` nor the environment names one (the Python SDK's default). */
export const DEFAULT_LOCATION = 'us-central1';

/** The regional API host the Python SDK uses for a location (`initializer.get_client_options`). */
export function vertexApiHost(location: string): string {
  if (location === 'global') return 'aiplatform.googleapis.com';
  if (MULTI_REGIONS.has(location)) return `aiplatform.${location}.rep.googleapis.com`;
  return `${location}-aiplatform.googleapis.com`;
}
