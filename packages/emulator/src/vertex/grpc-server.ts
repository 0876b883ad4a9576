import { type Metadata, type Server, ServerCredentials, type ServiceDefinition, status } from '@grpc/grpc-js';
import type { RequestLog } from '../admin/request-log.ts';
import { decodeToJson, encodeFromJson, type Json, protoRoot } from './protos.ts';
import { RpcError } from './rpc-error.ts';
import { fieldErrors, missingRequiredFields } from './validate.ts';

/** Handles one RPC: canonical proto3 JSON in, canonical proto3 JSON out. */
export type RpcHandler = (request: Json, metadata: Metadata) => Promise<Json> | Json;

/** Returns Vertex-style `[field, message]` errors for constraints beyond REQUIRED fields. */
export type RpcValidator = (request: Json) => [field: string, message: string][];

/** Handlers of one service, keyed by method name as in the proto (`CreateCustomJob`). */
export type ServiceHandlers = Record<string, RpcHandler | { validate: RpcValidator; handle: RpcHandler }>;

/**
 * Adds a service from the shipped protos to a gRPC server. Every request is decoded to proto3 JSON,
 * logged, checked for REQUIRED fields and handed to its handler; methods without a handler answer
 * UNIMPLEMENTED naming the method.
 */
export function addService(
  server: Server,
  serviceName: string,
  handlers: ServiceHandlers,
  log: RequestLog,
): void {
  const service = protoRoot().lookupService(serviceName);
  const definition: Record<string, ServiceDefinition[string]> = {};
  const implementation: Record<string, unknown> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const reqType = method.resolvedRequestType!;
    const resType = method.resolvedResponseType!;
    const path = `/${serviceName}/${method.name}`;
    definition[method.name] = {
      path,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: (v: Buffer) => v,
      requestDeserialize: (b: Buffer) => b,
      responseSerialize: (v: Buffer) => v,
      responseDeserialize: (b: Buffer) => b,
      originalName: method.name,
    };
    const entry = handlers[method.name];
    const handler = typeof entry === 'function' ? entry : entry?.handle;
    const validate = typeof entry === 'function' ? undefined : entry?.validate;
    implementation[method.name] = async (
      call: { request: Buffer; metadata: Metadata },
      callback: (err: unknown, value?: Buffer) => void,
    ) => {
      const started = performance.now();
      let request: Json = {};
      try {
        request = decodeToJson(reqType, call.request);
        if (!handler)
          throw new RpcError(
            status.UNIMPLEMENTED,
            `${path} is not implemented by the terra-vertex emulator yet.`,
          );
        const errors: [string, string][] = missingRequiredFields(reqType, request).map((f) => [
          f,
          'Required field is not set.',
        ]);
        errors.push(...(validate?.(request) ?? []).filter(([f]) => !errors.some(([g]) => g === f)));
        if (errors.length) throw fieldErrors(errors);
        const response = await handler(request, call.metadata);
        log.record({
          transport: 'grpc',
          method: path,
          request,
          status: 'OK',
          durationMs: performance.now() - started,
        });
        callback(null, encodeFromJson(resType, response));
      } catch (err) {
        const code = err instanceof RpcError ? err.code : status.INTERNAL;
        const message = err instanceof Error ? err.message : String(err);
        log.record({
          transport: 'grpc',
          method: path,
          request,
          status: status[code] ?? String(code),
          error: message,
          durationMs: performance.now() - started,
        });
        callback({ code, details: message, message });
      }
    };
  }
  server.addService(definition as ServiceDefinition, implementation as never);
}

/** Binds a gRPC server on loopback; port 0 picks a free one. */
export function bindServer(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
}
