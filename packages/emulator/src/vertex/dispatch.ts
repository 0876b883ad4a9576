import { status } from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import type { RequestLog } from '../admin/request-log.ts';
import { type Json, protoRoot } from './protos.ts';
import { RpcError } from './rpc-error.ts';
import { fieldErrors, missingRequiredFields } from './validate.ts';

/** Where a call came from: the wire (logged), or the emulator's own console (not logged). */
export type Transport = 'grpc' | 'http' | 'internal';

/** Handles one RPC: canonical proto3 JSON in, canonical proto3 JSON out. */
export type RpcHandler = (request: Json) => Promise<Json> | Json;

/** Returns Vertex-style `[field, message]` errors for constraints beyond REQUIRED fields. */
export type RpcValidator = (request: Json) => [field: string, message: string][];

/** Handlers of one service, keyed by method name as in the proto (`CreateCustomJob`). */
export type ServiceHandlers = Record<string, RpcHandler | { validate: RpcValidator; handle: RpcHandler }>;

/** One method of a served service, callable from any transport. */
export interface RpcMethod {
  service: protobuf.Service;
  method: protobuf.Method;
  /** `/google.cloud.aiplatform.v1.JobService/CreateCustomJob` */
  path: string;
  requestType: protobuf.Type;
  responseType: protobuf.Type;
  /** Validates, runs and logs one call; throws {@link RpcError}. */
  invoke(request: Json, transport: Transport): Promise<Json>;
}

/**
 * The transport-independent core of the Vertex emulator: every request, whether it came over gRPC or
 * REST, is canonical proto3 JSON here, checked for the fields the protos mark REQUIRED and for the
 * service's own constraints, handed to its handler and recorded in the request log.
 */
export class RpcDispatcher {
  readonly methods: RpcMethod[] = [];
  private readonly log: RequestLog;

  constructor(log: RequestLog) {
    this.log = log;
  }

  /**
   * Calls a served method in-process, unlogged (the console reads through the same handlers and checks as
   * the wire): `call('google.cloud.aiplatform.v1.JobService/ListCustomJobs', { parent })`.
   */
  call(method: string, request: Json): Promise<Json> {
    const found = this.methods.find((m) => m.path === `/${method.replace(/^\//, '')}`);
    if (!found) throw new Error(`No served method ${method}`);
    return found.invoke(request, 'internal');
  }

  /** Serves a service from the shipped protos; methods without a handler answer UNIMPLEMENTED by name. */
  register(serviceName: string, handlers: ServiceHandlers): void {
    const service = protoRoot().lookupService(serviceName);
    for (const method of service.methodsArray) {
      method.resolve();
      const path = `/${serviceName}/${method.name}`;
      const entry = handlers[method.name];
      const handle = typeof entry === 'function' ? entry : entry?.handle;
      const validate = typeof entry === 'function' ? undefined : entry?.validate;
      const requestType = method.resolvedRequestType!;
      const invoke = async (request: Json, transport: Transport): Promise<Json> => {
        const started = performance.now();
        try {
          if (!handle)
            throw new RpcError(
              status.UNIMPLEMENTED,
              `${path} is not served by the terra-vertex emulator: this release emulates custom jobs, training pipelines, hyperparameter tuning jobs, Vizier studies, models and operations.`,
            );
          const errors: [string, string][] = missingRequiredFields(requestType, request).map((f) => [
            f,
            'Required field is not set.',
          ]);
          errors.push(...(validate?.(request) ?? []).filter(([f]) => !errors.some(([g]) => g === f)));
          if (errors.length) throw fieldErrors(errors);
          const response = await handle(request);
          if (transport !== 'internal')
            this.log.record({
              transport,
              method: path,
              request,
              status: 'OK',
              durationMs: performance.now() - started,
            });
          return response;
        } catch (err) {
          const rpc =
            err instanceof RpcError
              ? err
              : new RpcError(status.INTERNAL, err instanceof Error ? err.message : String(err));
          if (!(err instanceof RpcError)) console.error(`terra-vertex emulator: ${path} failed:`, err);
          if (transport !== 'internal')
            this.log.record({
              transport,
              method: path,
              request,
              status: status[rpc.code] ?? String(rpc.code),
              error: rpc.message,
              durationMs: performance.now() - started,
            });
          throw rpc;
        }
      };
      this.methods.push({
        service,
        method,
        path,
        requestType,
        responseType: method.resolvedResponseType!,
        invoke,
      });
    }
  }
}
