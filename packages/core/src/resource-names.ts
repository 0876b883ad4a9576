import { ValidationError } from './errors.ts';
import { validateResourceId } from './validation.ts';

/** The parts of a Vertex AI resource name `projects/{p}/locations/{l}/{collection}/{id}`. */
export interface ResourceName {
  project: string;
  location: string;
  collection: string;
  id: string;
}

const FULL_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/([A-Za-z]+)\/([^/]+)$/;

/** Parses a full resource name; `collection` is checked when given. */
export function parseResourceName(name: string, collection?: string, field = 'resourceName'): ResourceName {
  const m = FULL_NAME.exec(name);
  if (!m || (collection && m[3] !== collection)) {
    throw new ValidationError(
      field,
      `${JSON.stringify(name)} is not a ${collection ?? 'Vertex AI'} resource name`,
      `Expected projects/{project}/locations/{location}/${collection ?? '{collection}'}/{id}.`,
    );
  }
  return { project: m[1]!, location: m[2]!, collection: m[3]!, id: m[4]! };
}

/** Expands an id into a full name with the given project and location; a full name is checked and returned. */
export function fullResourceName(
  nameOrId: string,
  collection: string,
  project: string,
  location: string,
  field = 'resourceName',
): string {
  if (nameOrId.startsWith('projects/')) {
    parseResourceName(nameOrId, collection, field);
    return nameOrId;
  }
  validateResourceId(nameOrId, field);
  return `projects/${project}/locations/${location}/${collection}/${nameOrId}`;
}

/** `projects/{p}/locations/{l}` */
export function locationPath(project: string, location: string): string {
  return `projects/${project}/locations/${location}`;
}
