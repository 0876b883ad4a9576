import type protobuf from 'protobufjs';
import type { Json } from './protos.ts';
import { invalidArgument } from './rpc-error.ts';

const BEHAVIOR = '(google.api.field_behavior)';

/** `jobSpec` → `job_spec`: Vertex names fields in snake_case in its error messages. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * Finds every field marked `REQUIRED` in the protos that a request leaves unset, walking into the
 * messages it does set. Returns Vertex-style paths, e.g. `custom_job.job_spec.worker_pool_specs`.
 */
export function missingRequiredFields(type: protobuf.Type, json: Json, prefix = ''): string[] {
  const missing: string[] = [];
  for (const field of type.fieldsArray) {
    const path = prefix + snake(field.name);
    const value = json[field.name];
    if (field.options?.[BEHAVIOR] === 'REQUIRED' && isEmpty(value)) {
      missing.push(path);
      continue;
    }
    const sub = field.resolvedType;
    if (
      !sub ||
      !('fieldsArray' in sub) ||
      sub.fullName.startsWith('.google.protobuf.') ||
      field.map ||
      isEmpty(value)
    )
      continue;
    const items = field.repeated && Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      if (item && typeof item === 'object') {
        const at = field.repeated ? `${path}[${i}].` : `${path}.`;
        missing.push(...missingRequiredFields(sub as protobuf.Type, item as Json, at));
      }
    });
  }
  return missing;
}

/** An INVALID_ARGUMENT in Vertex's "List of found errors" form. */
export function fieldErrors(errors: [field: string, message: string][]) {
  const list = errors.map(([f, m], i) => `${i + 1}.Field: ${f}; Message: ${m}`).join('\t');
  return invalidArgument(`List of found errors:\t${list}\t`);
}
