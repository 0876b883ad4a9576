/**
 * The part of the Cloud Monitoring filter language the emulator understands: `AND`-joined equalities on the
 * metric type, the resource type and the labels of the prediction-count metric. Anything else is refused with
 * a message saying what is supported, as the real API refuses filters it cannot parse.
 */

/** The supported left-hand sides and what they compare against. */
const FIELDS: Record<string, keyof TimeSeriesFilter> = {
  'metric.type': 'metricType',
  'resource.type': 'resourceType',
  'resource.labels.endpoint_id': 'endpointId',
  'resource.label.endpoint_id': 'endpointId',
  'resource.labels.location': 'location',
  'resource.label.location': 'location',
  'resource.labels.resource_container': 'resourceContainer',
  'resource.label.resource_container': 'resourceContainer',
  'metric.labels.deployed_model_id': 'deployedModelId',
  'metric.label.deployed_model_id': 'deployedModelId',
};

/** A parsed filter: every field set must equal. */
export interface TimeSeriesFilter {
  metricType: string;
  resourceType?: string;
  endpointId?: string;
  location?: string;
  resourceContainer?: string;
  deployedModelId?: string;
}

const TERM = /^\s*([a-z_.]+)\s*=\s*"([^"]*)"\s*$/;

/** Parses `metric.type = "…" AND resource.labels.endpoint_id = "…"`; throws naming what is supported. */
export function parseTimeSeriesFilter(filter: string): TimeSeriesFilter {
  const supported = `supported: equalities joined by AND on ${Object.keys(FIELDS)
    .filter((k) => !k.includes('.label.'))
    .join(
      ', ',
    )}, values in double quotes, e.g. metric.type = "aiplatform.googleapis.com/prediction/online/prediction_count" AND resource.labels.endpoint_id = "123"`;
  if (!filter.trim()) throw new Error(`filter is required (it must name one metric.type); ${supported}.`);
  const out: Partial<TimeSeriesFilter> = {};
  for (const term of filter.split(/\s+AND\s+/)) {
    const m = TERM.exec(term);
    const field = m ? FIELDS[m[1]!] : undefined;
    if (!m || !field)
      throw new Error(
        `The emulator cannot evaluate the filter term ${JSON.stringify(term.trim())}; ${supported}.`,
      );
    out[field] = m[2]!;
  }
  if (!out.metricType) throw new Error(`filter must name exactly one metric.type; ${supported}.`);
  return out as TimeSeriesFilter;
}
