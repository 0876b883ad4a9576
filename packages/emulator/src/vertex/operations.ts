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
