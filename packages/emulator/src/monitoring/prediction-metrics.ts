/**
 * The samples behind Cloud Monitoring's `aiplatform.googleapis.com/prediction/online/prediction_count`: every
 * Predict, RawPredict and Explain call the emulator serves, kept in memory (idle detection needs recent
 * history only, so nothing is persisted).
 */

/** The metric type Vertex AI writes for online predictions. */
export const PREDICTION_COUNT_METRIC = 'aiplatform.googleapis.com/prediction/online/prediction_count';
/** The monitored resource type of Vertex AI endpoints. */
export const ENDPOINT_RESOURCE_TYPE = 'aiplatform.googleapis.com/Endpoint';

/** One served call: `count` predictions (instances) at `time` (ms since the epoch). */
export interface PredictionSample {
  time: number;
  count: number;
}

/** One time series: an endpoint's deployed model. */
export interface PredictionSeries {
  project: string;
  location: string;
  endpointId: string;
  deployedModelId: string;
  /** Oldest first. */
  samples: PredictionSample[];
}

const ENDPOINT_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/]+)$/;

/** Prediction counts per endpoint and deployed model. */
export class PredictionMetrics {
  private readonly series = new Map<string, PredictionSeries>();

  /** Records `count` predictions served by `deployedModelId` of the endpoint `endpointName`. */
  record(endpointName: string, deployedModelId: string, count: number, time = Date.now()): void {
    const m = ENDPOINT_NAME.exec(endpointName);
    if (!m || count <= 0) return;
    const key = `${endpointName}|${deployedModelId}`;
    let s = this.series.get(key);
    if (!s) {
      s = { project: m[1]!, location: m[2]!, endpointId: m[3]!, deployedModelId, samples: [] };
      this.series.set(key, s);
    }
    s.samples.push({ time, count });
  }

  /** Every series, in the order they were first written. */
  all(): PredictionSeries[] {
    return [...this.series.values()];
  }

  clear(): void {
    this.series.clear();
  }
}

/** How many predictions a request body asks for: its `instances`, or 1 (a raw body of another shape). */
export function instanceCount(body: unknown): number {
  const instances = (body as { instances?: unknown } | null | undefined)?.instances;
  return Array.isArray(instances) ? instances.length : 1;
}
