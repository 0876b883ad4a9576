/**
 * BigQuery identifiers, validated and backtick-quoted: project, dataset, table, model and column names that
 * could break out of their quotes (backticks, backslashes, line breaks) or that BigQuery would not accept
 * are refused with an error naming the field.
 */
import { ValidationError } from '@terra-vertex/core';

/** `{projectId, datasetId, tableId}` of a table. */
export interface TableRef {
  projectId: string;
  datasetId: string;
  tableId: string;
}

/** `{projectId, datasetId, modelId}` of a BigQuery ML model. */
export interface ModelRef {
  projectId: string;
  datasetId: string;
  modelId: string;
}

const PROJECT = /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const DEMO_PROJECT = /^demo-[a-z0-9-]{1,57}[a-z0-9]$/;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
const TABLE = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd} ]{1,1024}$/u;
const MODEL = /^[A-Za-z0-9_]{1,1024}$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,299}$/;

/** Throws a ValidationError: `field: "value" problem. fix` */
export function invalid(field: string, value: unknown, problem: string, fix: string): never {
  throw new ValidationError(field, `${JSON.stringify(value)} ${problem}`, fix);
}

function check(field: string, value: unknown, what: string, re: RegExp, rule: string): string {
  if (typeof value !== 'string') invalid(field, value, `is not a ${what}`, `Give the ${what} as a string.`);
  if (/[`\\\n\r\0]/.test(value))
    invalid(
      field,
      value,
      `contains a backtick, backslash or line break, which no ${what} may`,
      `Use ${rule}.`,
    );
  if (!re.test(value)) invalid(field, value, `is not a valid ${what}`, `Use ${rule}.`);
  return value;
}

/** Checks a project id (`my-project`, `example.com:my-project`, the emulator's `demo-…`). */
export function validateProjectId(id: unknown, field = 'project'): string {
  if (typeof id === 'string' && DEMO_PROJECT.test(id)) return id;
  return check(
    field,
    id,
    'project id',
    PROJECT,
    '6-30 lowercase letters, digits and hyphens, starting with a letter',
  );
}

/** Checks a dataset id: letters, digits and underscores, at most 1,024. */
export function validateDatasetId(id: unknown, field = 'dataset'): string {
  return check(field, id, 'dataset id', DATASET, 'letters, digits and underscores (at most 1,024)');
}

/** Checks a table id: letters, marks, digits, connectors, dashes and spaces, at most 1,024 bytes. */
export function validateTableId(id: unknown, field = 'table'): string {
  const ok = check(
    field,
    id,
    'table id',
    TABLE,
    'letters, digits, underscores, dashes and spaces (at most 1,024 bytes)',
  );
  if (Buffer.byteLength(ok) > 1024)
    invalid(field, id, 'is longer than 1,024 bytes', 'Use a shorter table name.');
  return ok;
}

/** Checks a model id: letters, digits and underscores, at most 1,024. */
export function validateModelId(id: unknown, field = 'model'): string {
  return check(field, id, 'model id', MODEL, 'letters, digits and underscores (at most 1,024)');
}

/** Checks a column name: a letter or underscore, then letters, digits and underscores (at most 300). */
export function validateColumn(name: unknown, field = 'column'): string {
  return check(
    field,
    name,
    'column name',
    COLUMN,
    'a letter or underscore followed by letters, digits and underscores (at most 300)',
  );
}

function splitRef(ref: string, field: string, last: string): [string | undefined, string, string] {
  const bare = ref.length > 1 && ref.startsWith('`') && ref.endsWith('`') ? ref.slice(1, -1) : ref;
  const parts = bare.split('.');
  if (parts.length < 2)
    invalid(
      field,
      ref,
      `is not dataset.${last} or project.dataset.${last}`,
      `Write it as project.dataset.${last}.`,
    );
  const name = parts.pop()!;
  const dataset = parts.pop()!;
  return [parts.length ? parts.join('.') : undefined, dataset, name];
}

/** Parses `project.dataset.table` (or `dataset.table` with `defaultProject`), validating every part. */
export function parseTableRef(ref: string | TableRef, field = 'table', defaultProject?: string): TableRef {
  if (typeof ref !== 'string')
    return {
      projectId: validateProjectId(ref.projectId, `${field}.projectId`),
      datasetId: validateDatasetId(ref.datasetId, `${field}.datasetId`),
      tableId: validateTableId(ref.tableId, `${field}.tableId`),
    };
  const [project, dataset, table] = splitRef(ref, field, 'table');
  const projectId = project ?? defaultProject;
  if (!projectId) invalid(field, ref, 'names no project', 'Write it as project.dataset.table.');
  return {
    projectId: validateProjectId(projectId, field),
    datasetId: validateDatasetId(dataset, field),
    tableId: validateTableId(table, field),
  };
}

/** Parses `project.dataset.model` (or `dataset.model` with `defaultProject`), validating every part. */
export function parseModelRef(ref: string | ModelRef, field = 'model', defaultProject?: string): ModelRef {
  if (typeof ref !== 'string')
    return {
      projectId: validateProjectId(ref.projectId, `${field}.projectId`),
      datasetId: validateDatasetId(ref.datasetId, `${field}.datasetId`),
      modelId: validateModelId(ref.modelId, `${field}.modelId`),
    };
  const [project, dataset, model] = splitRef(ref, field, 'model');
  const projectId = project ?? defaultProject;
  if (!projectId) invalid(field, ref, 'names no project', 'Write it as project.dataset.model.');
  return {
    projectId: validateProjectId(projectId, field),
    datasetId: validateDatasetId(dataset, field),
    modelId: validateModelId(model, field),
  };
}

/** `` `project.dataset.table` `` for a validated reference. */
export function quoteTable(ref: TableRef): string {
  const t = parseTableRef(ref);
  return `\`${t.projectId}.${t.datasetId}.${t.tableId}\``;
}

/** `` `project.dataset.model` `` for a validated reference. */
export function quoteModel(ref: ModelRef): string {
  const m = parseModelRef(ref);
  return `\`${m.projectId}.${m.datasetId}.${m.modelId}\``;
}

/** `` `column` `` for a validated column name. */
export function quoteColumn(name: string, field = 'column'): string {
  return `\`${validateColumn(name, field)}\``;
}
