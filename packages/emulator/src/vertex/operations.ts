import { ResourceStore } from '../state/resource-store.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { newId } from './ids.ts';
import type { Json } from './protos.ts';
import { notFound } from './rpc-error.ts';

const TYPE = 'type.googleapis.com/';

/** Long-running operations (`google.longrunning.Operation`), stored like any other resource. */
export class OperationStore {
  readonly store: ResourceStore;

  constructor(dataDir: string) {
    this.store = new ResourceStore(dataDir, 'operations');
  }

  /** Records an operation that is already done, with its metadata and response messages. */
  completed(parent: string, metadataType: string, response: { type: string; value: Json } | undefined): Json {
    const now = new Date().toISOString();
    const op: Json = {
      name: `${parent}/operations/${newId()}`,
      metadata: { '@type': TYPE + metadataType, genericMetadata: { createTime: now, updateTime: now } },
      done: true,
    };
    if (response) op.response = { '@type': TYPE + response.type, ...response.value };
    return this.store.put(op);
  }

  /** Records an operation still running; finish it with {@link OperationStore.finish}. */
  pending(parent: string, metadataType: string, metadata: Json = {}): Json {
    const now = new Date().toISOString();
    return this.store.put({
      name: `${parent}/operations/${newId()}`,
      metadata: {
        '@type': TYPE + metadataType,
        genericMetadata: { createTime: now, updateTime: now },
        ...metadata,
      },
      done: false,
    });
  }

  /** Ends a pending operation with its response message, or with an error (`google.rpc.Status`). */
  finish(
    name: string,
    outcome: { response: { type: string; value: Json } } | { error: { code: number; message: string } },
  ): void {
    this.store.update(name, (op) => {
      op.done = true;
      ((op.metadata as Json).genericMetadata as Json).updateTime = new Date().toISOString();
      if ('error' in outcome) op.error = outcome.error;
      else op.response = { '@type': TYPE + outcome.response.type, ...outcome.response.value };
    });
  }

  get(name: string): Json {
    const op = this.store.get(name);
    if (!op) throw notFound(`Operation ${name} not found.`);
    return op;
  }
}

/** `google.longrunning.Operations`, served beside the Vertex services. */
export function operationsHandlers(ops: OperationStore): ServiceHandlers {
  return {
    GetOperation: (req) => ops.get(req.name as string),
    WaitOperation: (req) => ops.get(req.name as string),
    ListOperations: (req) => ({ operations: ops.store.list(`${req.name as string}/`) }),
    DeleteOperation: (req) => {
      ops.get(req.name as string);
      ops.store.delete(req.name as string);
      return {};
    },
    CancelOperation: (req) => {
      ops.get(req.name as string);
      return {};
    },
  };
}
