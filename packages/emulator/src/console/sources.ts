import type { LogStore } from '../logging/log-store.ts';
import type { EndpointRuntime } from '../runtime/endpoint-runtime.ts';
import type { Json } from '../vertex/protos.ts';

/** What the console reads: every Vertex resource through the served RPC handlers, logs and replicas directly. */
export interface ConsoleSources {
  /** Calls a served method unlogged, e.g. `call('google.cloud.aiplatform.v1.JobService/ListCustomJobs', { parent })`. */
  call(method: string, request: Json): Promise<Json>;
  logs: LogStore;
  endpoints: EndpointRuntime;
  /** Every `projects/{p}/locations/{l}` that holds a resource, the emulator's default one first. */
  parents(): string[];
}

/** `projects/{p}/locations/{l}` of every resource name, the emulator's default project first. */
export function projectLocations(names: string[]): string[] {
  const found = new Set(['projects/demo-terra-vertex/locations/us-central1']);
  for (const name of names) {
    const m = /^projects\/[^/]+\/locations\/[^/]+/.exec(name);
    if (m) found.add(m[0]);
  }
  return [...found];
}
