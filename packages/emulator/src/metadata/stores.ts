import { randomUUID } from 'node:crypto';
import type { ServiceHandlers } from '../vertex/dispatch.ts';
import type { OperationStore } from '../vertex/operations.ts';
import type { Json } from '../vertex/protos.ts';
import { alreadyExists, notFound } from '../vertex/rpc-error.ts';
import type { MetadataGraph } from './graph.ts';
import { checkId, checkLocation, checkStoreName } from './names.ts';

const V1 = 'google.cloud.aiplatform.v1.';

/** MetadataStores (create is a long-running operation, as on Vertex) and MetadataSchemas. */
export function storeHandlers(graph: MetadataGraph, ops: OperationStore): ServiceHandlers {
  const page = (items: Json[], req: Json, key: string): Json => {
    const start = Number(req.pageToken || 0);
    const size = Number(req.pageSize) > 0 ? Math.min(Number(req.pageSize), 1000) : 100;
    const out: Json = { [key]: items.slice(start, start + size) };
    if (start + size < items.length) out.nextPageToken = String(start + size);
    return out;
  };
  return {
    CreateMetadataStore: {
      validate: (req) => {
        const errors: [string, string][] = [];
        try {
          checkLocation(req.parent as string);
          if (req.metadataStoreId) checkId(req.metadataStoreId as string, 'metadata_store_id');
        } catch (err) {
          errors.push([req.metadataStoreId ? 'metadata_store_id' : 'parent', (err as Error).message]);
        }
        return errors;
      },
      handle: (req) => {
        const name = `${req.parent as string}/metadataStores/${(req.metadataStoreId as string) || randomUUID()}`;
        if (graph.stores.get(name)) throw alreadyExists(`MetadataStore with name ${name} already exists.`);
        const store = graph.createStore(name, (req.metadataStore as Json | undefined) ?? {});
        return ops.completed(name, `${V1}CreateMetadataStoreOperationMetadata`, {
          type: `${V1}MetadataStore`,
          value: store,
        });
      },
    },
    GetMetadataStore: (req) => {
      checkStoreName(req.name as string, 'name');
      const found = graph.stores.get(req.name as string);
      if (!found) throw notFound(`MetadataStore ${req.name as string} not found.`);
      return found;
    },
    ListMetadataStores: (req) => {
      checkLocation(req.parent as string);
      return page(graph.stores.list(`${req.parent as string}/metadataStores/`), req, 'metadataStores');
    },
    DeleteMetadataStore: (req) => {
      const name = req.name as string;
      checkStoreName(name, 'name');
      if (!graph.stores.get(name)) throw notFound(`MetadataStore ${name} not found.`);
      graph.deleteStore(name);
      return ops.completed(name, `${V1}DeleteMetadataStoreOperationMetadata`, {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
    CreateMetadataSchema: (req) => {
      const parent = req.parent as string;
      checkStoreName(parent);
      graph.requireStore(parent);
      const id = (req.metadataSchemaId as string) || randomUUID();
      checkId(id, 'metadata_schema_id');
      const name = `${parent}/metadataSchemas/${id}`;
      if (graph.schemas.get(name)) throw alreadyExists(`MetadataSchema with name ${name} already exists.`);
      return graph.schemas.put({
        ...(req.metadataSchema as Json),
        name,
        createTime: new Date().toISOString(),
      });
    },
    GetMetadataSchema: (req) => {
      const found = graph.schemas.get(req.name as string);
      if (!found) throw notFound(`MetadataSchema ${req.name as string} not found.`);
      return found;
    },
    ListMetadataSchemas: (req) => {
      checkStoreName(req.parent as string);
      return page(graph.schemas.list(`${req.parent as string}/metadataSchemas/`), req, 'metadataSchemas');
    },
  };
}
