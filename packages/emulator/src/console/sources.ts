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
