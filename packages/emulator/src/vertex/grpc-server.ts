import { Server, ServerCredentials, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import type { RpcDispatcher } from './dispatch.ts';
import { decodeToJson, encodeFromJson, type Json } from './protos.ts';
import type { RpcError } from './rpc-error.ts';

/** A gRPC server for every service of the dispatcher; bytes are decoded to proto3 JSON and back. */
export function createGrpcServer(dispatcher: RpcDispatcher): Server {
  const server = new Server();
  const byService = new Map<
    string,
    { definition: Record<string, ServiceDefinition[string]>; impl: Record<string, unknown> }
  >();
  for (const m of dispatcher.methods) {
    const key = m.service.fullName;
    let entry = byService.get(key);
    if (!entry) {
      entry = { definition: {}, impl: {} };
      byService.set(key, entry);
    }
    entry.definition[m.method.name] = {
      path: m.path,
      requestStream: !!m.method.requestStream,
      responseStream: !!m.method.responseStream,
      requestSerialize: (v: Buffer) => v,
      requestDeserialize: (b: Buffer) => b,
      responseSerialize: (v: Buffer) => v,
      responseDeserialize: (b: Buffer) => b,
      originalName: m.method.name,
    };
    entry.impl[m.method.name] = (
      call: { request: Buffer },
      callback: (err: Partial<ServiceError> | null, value?: Buffer) => void,
    ) => {
      let request: Json;
      try {
        request = decodeToJson(m.requestType, call.request);
      } catch (err) {
        callback({ code: 3, details: `cannot decode the request: ${(err as Error).message}` });
        return;
      }
      m.invoke(request, 'grpc').then(
        (response) => callback(null, encodeFromJson(m.responseType, response)),
        (err: RpcError) => callback({ code: err.code, details: err.message, message: err.message }),
      );
    };
  }
  for (const { definition, impl } of byService.values())
    server.addService(definition as ServiceDefinition, impl as never);
  return server;
}

/** Binds a gRPC server on loopback; port 0 picks a free one. */
export function bindServer(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
}
