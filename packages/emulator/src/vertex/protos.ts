import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fromProto3JSON, type JSONValue, toProto3JSON } from 'proto3-json-serializer';
import protobuf from 'protobufjs';

/** A message in canonical proto3 JSON: the form the emulator validates, stores and logs. */
export type Json = Record<string, unknown>;

let root: protobuf.Root | undefined;

/** The directory of the installed @google-cloud/aiplatform package (which ships the v1 protos). */
export function aiplatformDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@google-cloud/aiplatform/package.json'));
}

/**
 * The protobufjs root of every Vertex AI v1 message, google.longrunning and google.rpc, read from the
 * `protos.json` that @google-cloud/aiplatform ships: the emulator and the client share the protocol only.
 */
export function protoRoot(): protobuf.Root {
  if (!root) {
    const json = JSON.parse(readFileSync(join(aiplatformDir(), 'build/protos/protos.json'), 'utf8'));
    root = protobuf.Root.fromJSON(json);
    root.resolveAll();
  }
  return root;
}

/** Looks up a message type by its full name, e.g. `google.cloud.aiplatform.v1.CustomJob`. */
export function messageType(fullName: string): protobuf.Type {
  return protoRoot().lookupType(fullName);
}

/** Decodes wire bytes into canonical proto3 JSON (empty maps and lists omitted, as canonical JSON does). */
export function decodeToJson(type: protobuf.Type, bytes: Buffer): Json {
  return pruneEmpty(type, toProto3JSON(type.decode(bytes)) as Json);
}

function pruneEmpty(type: protobuf.Type, json: Json): Json {
  for (const field of type.fieldsArray) {
    const value = json[field.name];
    if (value === undefined || value === null) continue;
    if (
      (field.map && Object.keys(value as object).length === 0) ||
      (field.repeated && (value as unknown[]).length === 0)
    ) {
      delete json[field.name];
      continue;
    }
    const sub = field.resolvedType;
    if (!sub || !(sub instanceof protobuf.Type) || sub.fullName.startsWith('.google.protobuf.')) continue;
    if (field.map) {
      for (const v of Object.values(value as Json))
        if (v && typeof v === 'object') pruneEmpty(sub, v as Json);
    } else if (field.repeated) {
      for (const v of value as Json[]) pruneEmpty(sub, v);
    } else if (typeof value === 'object') {
      pruneEmpty(sub, value as Json);
    }
  }
  return json;
}

/** Encodes canonical proto3 JSON (Any fields carry `@type`) into wire bytes. */
export function encodeFromJson(type: protobuf.Type, json: Json): Buffer {
  const message = fromProto3JSON(type, json as JSONValue);
  if (!message) throw new Error(`cannot encode ${type.fullName} from ${JSON.stringify(json).slice(0, 200)}`);
  return Buffer.from(type.encode(message).finish());
}

/** Canonicalises a JSON message: drops defaults and unknown fields the way a round trip through the wire would. */
export function canonical(type: protobuf.Type, json: Json): Json {
  return decodeToJson(type, encodeFromJson(type, json));
}
