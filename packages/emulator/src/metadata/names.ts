import { invalidArgument } from '../vertex/rpc-error.ts';

/** Metadata node collections under a store, with their proto names. */
export const NOUNS = { context: 'contexts', execution: 'executions', artifact: 'artifacts' } as const;

const LOCATION = /^projects\/[^/]+\/locations\/[^/]+$/;
const STORE = /^projects\/[^/]+\/locations\/[^/]+\/metadataStores\/[^/]+$/;
/** Vertex ML Metadata ids (metadata_service.proto: lowercase letters, digits and hyphens; at most 128). */
const ID = /^[a-z0-9][a-z0-9-]{0,127}$/;

/** Checks a `projects/{p}/locations/{l}` parent, naming the field. */
export function checkLocation(parent: string, field = 'parent'): void {
  if (!LOCATION.test(parent))
    throw invalidArgument(
      `${field} ${JSON.stringify(parent)} must look like projects/{project}/locations/{location}.`,
    );
}

/** Checks a metadata store name, naming the field. */
export function checkStoreName(name: string, field = 'parent'): void {
  if (!STORE.test(name))
    throw invalidArgument(
      `${field} ${JSON.stringify(name)} must look like projects/{project}/locations/{location}/metadataStores/{metadata_store}.`,
    );
}

/** Checks a caller-chosen id (`context_id`, `artifact_id` …). */
export function checkId(id: string, field: string): void {
  if (!ID.test(id))
    throw invalidArgument(
      `${field} ${JSON.stringify(id)} is not valid: use 1-128 lowercase letters, digits and hyphens, starting with a letter or digit (e.g. "my-experiment-run-1").`,
    );
}

/** The store part of a node name (`…/metadataStores/default/contexts/x` → `…/metadataStores/default`). */
export function storeOf(name: string, kind: keyof typeof NOUNS, field: string): string {
  const m = new RegExp(`^(projects/[^/]+/locations/[^/]+/metadataStores/[^/]+)/${NOUNS[kind]}/[^/]+$`).exec(
    name,
  );
  if (!m)
    throw invalidArgument(
      `${field} ${JSON.stringify(name)} must look like projects/{project}/locations/{location}/metadataStores/{metadata_store}/${NOUNS[kind]}/{id}.`,
    );
  return m[1]!;
}
