import { status } from '@grpc/grpc-js';
import type { Json } from '../vertex/protos.ts';
import { RpcError } from '../vertex/rpc-error.ts';
import type { ConsoleSources } from './sources.ts';

const V1 = 'google.cloud.aiplatform.v1';

/** A section's data, or why it could not be read (shown on the page instead of failing it). */
export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string };

/** A readable sentence for a failed call: which service, and what it said. */
export function describeFailure(method: string, err: unknown): string {
  const service = method.split('/')[0]!.replace(`${V1}.`, '');
  if (err instanceof RpcError && err.code === status.UNIMPLEMENTED)
    return `${service} is not available in this emulator yet (${method.split('/')[1]} is unimplemented).`;
  return `${service} could not be read: ${(err as Error).message}`;
}

/** Reads resources for the console through the served RPC handlers. */
export class ConsoleData {
  readonly sources: ConsoleSources;

  constructor(sources: ConsoleSources) {
    this.sources = sources;
  }

  /** One call, e.g. `call('JobService/GetCustomJob', { name })` (the `google.cloud.aiplatform.v1.` prefix is implied). */
  async call(method: string, request: Json): Promise<Json> {
    return this.sources.call(method.includes('.') ? method : `${V1}.${method}`, request);
  }

  /** Every page of a List method, concatenated. */
  async listAll(method: string, request: Json, field: string): Promise<Json[]> {
    const out: Json[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.call(method, { ...request, pageSize: 100, ...(pageToken ? { pageToken } : {}) });
      out.push(...((res[field] as Json[] | undefined) ?? []));
      pageToken = (res.nextPageToken as string | undefined) || undefined;
    } while (pageToken);
    return out;
  }

  /** A List method over every project/location that holds resources, newest first. */
  async listEverywhere(method: string, field: string, extra: Json = {}): Promise<Loaded<Json[]>> {
    try {
      const all = await Promise.all(
        this.sources.parents().map((parent) => this.listAll(method, { parent, ...extra }, field)),
      );
      return { ok: true, value: all.flat().sort(newestFirst) };
    } catch (err) {
      return { ok: false, error: describeFailure(method, err) };
    }
  }

  /**
   * Finds a resource by collection and id in any project/location (`customJobs`, `123`), or undefined.
   * Errors other than NOT_FOUND are thrown.
   */
  async find(method: string, collection: string, id: string): Promise<Json | undefined> {
    for (const parent of this.sources.parents()) {
      try {
        return await this.call(method, { name: `${parent}/${collection}/${id}` });
      } catch (err) {
        if (!(err instanceof RpcError && err.code === status.NOT_FOUND)) throw err;
      }
    }
    return undefined;
  }

  /** Runs a read and turns a failure into a readable message. */
  async attempt<T>(method: string, read: () => Promise<T>): Promise<Loaded<T>> {
    try {
      return { ok: true, value: await read() };
    } catch (err) {
      return { ok: false, error: describeFailure(method, err) };
    }
  }
}

function newestFirst(a: Json, b: Json): number {
  return String(b.createTime ?? '').localeCompare(String(a.createTime ?? ''));
}
