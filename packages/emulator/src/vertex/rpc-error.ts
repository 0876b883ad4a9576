import { status } from '@grpc/grpc-js';

/** An error a service handler throws to answer with a gRPC status. */
export class RpcError extends Error {
  readonly code: status;

  constructor(code: status, message: string) {
    super(message);
    this.code = code;
  }
}

export const invalidArgument = (message: string) => new RpcError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new RpcError(status.NOT_FOUND, message);
export const failedPrecondition = (message: string) => new RpcError(status.FAILED_PRECONDITION, message);
export const alreadyExists = (message: string) => new RpcError(status.ALREADY_EXISTS, message);
