import { status } from '@grpc/grpc-js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type protobuf from 'protobufjs';
import type { RpcDispatcher } from './dispatch.ts';
import { type HttpRoute, operationRoutes, routesOf } from './http-rules.ts';
import { canonical, type Json } from './protos.ts';
import { RpcError } from './rpc-error.ts';

const HTTP_STATUS: Record<number, number> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.FAILED_PRECONDITION]: 400,
  [status.OUT_OF_RANGE]: 400,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.ABORTED]: 409,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.CANCELLED]: 499,
  [status.UNIMPLEMENTED]: 501,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 504,
};

const IGNORED_QUERY = new Set(['$alt', 'alt', 'prettyPrint', '$prettyPrint', 'fields', '$fields', 'key']);
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Vertex AI's REST/JSON transport (what the Node client speaks with `fallback: true`), transcoded from the
 * same `google.api.http` annotations Google's front end uses, onto the same handlers as gRPC. LRO polls
 * arrive under `/ui/`, which is served as an alias of `/v1/`.
 */
export function registerRestGateway(app: FastifyInstance, dispatcher: RpcDispatcher): void {
  const routes = [...dispatcher.methods.flatMap(routesOf), ...operationRoutes(dispatcher.methods)];
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0]!.replace(/^\/ui\//, '/v1/');
    const match = findRoute(routes, req.method, path);
    if (!match)
      return sendError(
        reply,
        new RpcError(status.NOT_FOUND, `No Vertex AI REST method is bound to ${req.method} ${path}.`),
      );
    const { route, values } = match;
    try {
      const request = buildRequest(route, values, (req.query ?? {}) as Record<string, string>, req.body);
      return await route.rpc.invoke(request, 'http');
    } catch (err) {
      return sendError(
        reply,
        err instanceof RpcError ? err : new RpcError(status.INVALID_ARGUMENT, (err as Error).message),
      );
    }
  };
  app.register(async (scope) => {
    // The client sends `content-type: application/json` with an empty body on some calls (e.g. DELETE).
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, body ? JSON.parse(body as string) : {});
      } catch (err) {
        done(Object.assign(err as Error, { statusCode: 400 }), undefined);
      }
    });
    scope.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) =>
      sendError(
        reply,
        new RpcError(err.statusCode === 400 ? status.INVALID_ARGUMENT : status.INTERNAL, err.message),
      ),
    );
    for (const prefix of ['/v1/*', '/ui/*']) {
      scope.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: prefix, handler });
    }
  });
}

function findRoute(
  routes: HttpRoute[],
  verb: string,
  path: string,
): { route: HttpRoute; values: string[] } | undefined {
  for (const route of routes) {
    if (route.verb !== verb) continue;
    const m = route.regex.exec(path);
    if (m) return { route, values: m.slice(1).map(decodeURIComponent) };
  }
  return undefined;
}

function buildRequest(
  route: HttpRoute,
  values: string[],
  query: Record<string, string | string[]>,
  body: unknown,
): Json {
  const request: Json = {};
  if (route.body === '*' && body && typeof body === 'object') Object.assign(request, body);
  else if (route.body && body !== undefined) setPath(request, route.body, body);
  for (const [k, v] of Object.entries(query)) {
    if (!IGNORED_QUERY.has(k)) setPath(request, k, coerce(route.rpc.requestType, k, v));
  }
  for (const [i, f] of route.fields.entries()) setPath(request, f, values[i]);
  return canonical(route.rpc.requestType, request);
}

function setPath(target: Json, dotted: string, value: unknown): void {
  const parts = dotted.split('.').map(camel);
  let at = target;
  for (const p of parts.slice(0, -1)) {
    if (typeof at[p] !== 'object' || at[p] === null) at[p] = {};
    at = at[p] as Json;
  }
  at[parts.at(-1)!] = value;
}

/** Query values are strings; give numbers and booleans their JSON type where the field wants one. */
function coerce(type: protobuf.Type, dotted: string, value: string | string[]): unknown {
  const field = type.fields[camel(dotted.split('.')[0]!)];
  const one = (v: string) => {
    if (!field || dotted.includes('.')) return v;
    if (['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'double', 'float'].includes(field.type))
      return Number(v);
    if (field.type === 'bool') return v === 'true';
    return v;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function sendError(reply: FastifyReply, err: RpcError) {
  const http = HTTP_STATUS[err.code] ?? 500;
  return reply.code(http).send({ error: { code: http, message: err.message, status: status[err.code] } });
}
