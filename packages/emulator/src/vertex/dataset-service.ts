/**
 * `google.cloud.aiplatform.v1.DatasetService` for image classification datasets: create, get, list and
 * delete datasets; ImportData as a long-running operation that checks every row of the CSV / JSON Lines
 * files (bad rows are reported in `genericMetadata.partialFailures` and skipped; the operation fails only
 * when no row could be imported); data items, their annotations and the annotation specs.
 */
import type { DatasetStore, ImportConfig, ImportOutcome } from '../datasets/dataset-store.ts';
import { formatRowError, type RowError } from '../datasets/import-format.ts';
import {
  IMAGE_METADATA_SCHEMA,
  labelModeOf,
  ML_USE_LABEL,
  MULTI_LABEL_SCHEMA,
  OTHER_IMAGE_SCHEMAS,
  SINGLE_LABEL_SCHEMA,
} from '../datasets/schemas.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { matchesFilter, paginate } from './list-filter.ts';
import type { OperationStore } from './operations.ts';
import { type Json, messageType } from './protos.ts';
import { failedPrecondition, invalidArgument, notFound } from './rpc-error.ts';

const V1 = 'google.cloud.aiplatform.v1.';
const STRUCT = 'type.googleapis.com/google.protobuf.Struct';
/** Vertex: "partialFailures … should never exceed 20 entries" (a summary and 19 rows here). */
const MAX_PARTIAL_FAILURES = 20;
/** Row problems listed in the error of an import where every row failed. */
const MAX_LISTED = 20;

/** What the dataset service works with. */
export interface DatasetContext {
  datasets: DatasetStore;
  ops: OperationStore;
}

export function datasetServiceHandlers(ctx: DatasetContext): ServiceHandlers {
  const { datasets, ops } = ctx;
  relaxDatasetMetadata();
  failInterruptedImports(ops);
  const dataItemOf = (name: string): Json => {
    const item = datasets.dataItem(name);
    if (!item) throw notFound(`The DataItem does not exist: ${name}`);
    return item;
  };
  return {
    CreateDataset: {
      validate: (req) => {
        const d = (req.dataset as Json | undefined) ?? {};
        const errors: [string, string][] = [];
        const schema = d.metadataSchemaUri as string | undefined;
        if (schema && schema.replace('https://storage.googleapis.com/', 'gs://') !== IMAGE_METADATA_SCHEMA)
          errors.push([
            'dataset.metadata_schema_uri',
            `The emulator serves image datasets (${IMAGE_METADATA_SCHEMA}); tabular, text and video datasets need Vertex AI.`,
          ]);
        if (String(d.displayName ?? '').length > 128)
          errors.push(['dataset.display_name', 'Display names are at most 128 characters long.']);
        return errors;
      },
      handle: (req) => {
        const created = datasets.create(req.parent as string, req.dataset as Json);
        return ops.completed(created.name as string, `${V1}CreateDatasetOperationMetadata`, {
          type: `${V1}Dataset`,
          value: created,
        });
      },
    },
    GetDataset: (req) => datasets.find(req.name as string),
    ListDatasets: (req) => {
      const all = datasets
        .list(req.parent as string)
        .filter((d) => matchesFilter(d, req.filter as string | undefined));
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next ? { datasets: page, nextPageToken: next } : { datasets: page };
    },
    DeleteDataset: (req) => {
      datasets.delete(req.name as string);
      return ops.completed(req.name as string, `${V1}DeleteOperationMetadata`, {
        type: 'google.protobuf.Empty',
        value: {},
      });
    },
    ImportData: {
      validate: importErrors,
      handle: (req) => {
        const d = datasets.find(req.name as string);
        if (
          String(d.metadataSchemaUri).replace('https://storage.googleapis.com/', 'gs://') !==
          IMAGE_METADATA_SCHEMA
        )
          throw failedPrecondition(`Dataset ${d.name as string} is not an image dataset.`);
        const configs: ImportConfig[] = (req.importConfigs as Json[]).map((c) => ({
          uris: (c.gcsSource as Json).uris as string[],
          mode: labelModeOf(c.importSchemaUri as string)!,
          dataItemLabels: c.dataItemLabels as Record<string, string> | undefined,
          annotationLabels: c.annotationLabels as Record<string, string> | undefined,
        }));
        const op = ops.pending(d.name as string, `${V1}ImportDataOperationMetadata`);
        const name = op.name as string;
        datasets
          .import(d.name as string, configs)
          .then(
            (outcome) => {
              ops.store.update(name, (o) => {
                ((o.metadata as Json).genericMetadata as Json).partialFailures = partialFailures(outcome);
              });
              const error = importFailure(outcome);
              ops.finish(
                name,
                error ? { error } : { response: { type: `${V1}ImportDataResponse`, value: {} } },
              );
            },
            (err: Error & { code?: number }) =>
              ops.finish(name, { error: { code: err.code ?? 13, message: err.message } }),
          )
          // The data directory went away under a running import (the emulator was stopped).
          .catch((err: Error) => console.error(`terra-vertex emulator: import ${name}: ${err.message}`));
        return op;
      },
    },
    ListDataItems: (req) => {
      datasets.find(req.parent as string);
      const all = datasets
        .dataItems(req.parent as string)
        .filter((i) => matchesFilter(i, req.filter as string | undefined));
      const { page, next } = pageOf(all, req.pageSize, req.pageToken);
      return next ? { dataItems: page, nextPageToken: next } : { dataItems: page };
    },
    SearchDataItems: (req) => {
      datasets.find(req.dataset as string);
      if ((req.annotationFilters as string[] | undefined)?.length || req.annotationsFilter)
        throw invalidArgument(
          'annotation_filters: the emulator does not filter annotations; leave it empty.',
        );
      const limit = Number(req.annotationsLimit ?? 0);
      const items = datasets
        .dataItems(req.dataset as string)
        .filter((i) => matchesFilter(i, req.dataItemFilter as string | undefined));
      const { page, next } = pageOf(items, req.pageSize, req.pageToken);
      const byItem = datasets.annotationsByItem(req.dataset as string);
      const dataItemViews = page.map((dataItem) => {
        const all = byItem.get(dataItem.name as string) ?? [];
        const annotations = limit > 0 ? all.slice(0, limit) : all;
        return {
          dataItem,
          annotations,
          ...(annotations.length < all.length ? { hasTruncatedAnnotations: true } : {}),
        };
      });
      return next ? { dataItemViews, nextPageToken: next } : { dataItemViews };
    },
    ListAnnotations: (req) => {
      const item = dataItemOf(req.parent as string);
      const { page, next } = pageOf(datasets.annotationsOf(item.name as string), req.pageSize, req.pageToken);
      return next ? { annotations: page, nextPageToken: next } : { annotations: page };
    },
    GetAnnotationSpec: (req) => {
      const spec = datasets.annotationSpec(req.name as string);
      if (!spec) throw notFound(`The AnnotationSpec does not exist: ${req.name as string}`);
      return spec;
    },
  };
}

/** INVALID_ARGUMENT field errors of an ImportData request. */
function importErrors(req: Json): [string, string][] {
  const errors: [string, string][] = [];
  ((req.importConfigs as Json[] | undefined) ?? []).forEach((c, i) => {
    const at = `import_configs[${i}]`;
    const schema = c.importSchemaUri as string | undefined;
    if (schema && !labelModeOf(schema))
      errors.push([
        `${at}.import_schema_uri`,
        OTHER_IMAGE_SCHEMAS.includes(schema)
          ? 'The emulator imports image classification data only; bounding boxes and segmentation need Vertex AI.'
          : `Unknown import schema ${schema}: use ${SINGLE_LABEL_SCHEMA} or ${MULTI_LABEL_SCHEMA}.`,
      ]);
    const uris = ((c.gcsSource as Json | undefined)?.uris as string[] | undefined) ?? [];
    if (!uris.length) errors.push([`${at}.gcs_source.uris`, 'Give the gs:// URIs of the import files.']);
    uris.forEach((u, j) => {
      if (!/^gs:\/\/[^/]+\/.+/.test(u))
        errors.push([`${at}.gcs_source.uris[${j}]`, `${u} is not the gs:// URI of an object.`]);
    });
    const mlUse = (c.dataItemLabels as Record<string, string> | undefined)?.[ML_USE_LABEL];
    if (mlUse && !['training', 'validation', 'test'].includes(mlUse.toLowerCase()))
      errors.push([`${at}.data_item_labels`, `${ML_USE_LABEL} must be training, validation or test.`]);
  });
  return errors;
}

const struct = (value: Json) => ({ '@type': STRUCT, value });

/** A summary (code OK, the counts in a Struct detail), then the first failed rows. */
export function partialFailures(o: ImportOutcome): Json[] {
  const rows = o.errors.slice(0, MAX_PARTIAL_FAILURES - 1);
  const { errors: _e, ...counts } = o;
  const listed = rows.length < o.errors.length ? ` (the first ${rows.length} are listed)` : '';
  const summary = {
    message:
      `Imported ${o.imported} of ${o.rows} rows (${o.dataItems} new data items); ` +
      `${o.failed} failed${listed}; ${o.duplicates} duplicates skipped.`,
    details: [struct(counts)],
  };
  return [summary, ...rows.map(rowStatus)];
}

function rowStatus(e: RowError): Json {
  return { code: 3, message: formatRowError(e), details: [struct({ ...e })] };
}

/** The operation's error when nothing could be imported, else undefined. */
export function importFailure(o: ImportOutcome): { code: number; message: string } | undefined {
  if (o.imported || o.duplicates) return undefined;
  if (!o.rows)
    return {
      code: 3,
      message: 'The import files have no rows: write one image per line (see the import schema).',
    };
  const listed = o.errors.slice(0, MAX_LISTED).map(formatRowError);
  const more = o.errors.length > MAX_LISTED ? `\n… and ${o.errors.length - MAX_LISTED} more` : '';
  return {
    code: 3,
    message: `Nothing was imported: ${o.failed} of ${o.rows} rows failed.\n${listed.join('\n')}${more}`,
  };
}

/** One page in the store's order (import order); the page token is the offset. */
function pageOf<T>(items: T[], pageSize: unknown, pageToken: unknown): { page: T[]; next?: string } {
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw invalidArgument(`page_token ${JSON.stringify(pageToken)} is not valid.`);
  const size = Number(pageSize) > 0 ? Math.min(Number(pageSize), 1000) : 100;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, next: String(start + size) } : { page };
}

/** Imports that were running when the emulator stopped end failed, saying so (their rows so far are kept). */
function failInterruptedImports(ops: OperationStore): void {
  for (const op of ops.store.list()) {
    const type = String((op.metadata as Json | undefined)?.['@type'] ?? '');
    if (op.done || !type.endsWith(`${V1}ImportDataOperationMetadata`)) continue;
    ops.finish(op.name as string, {
      error: {
        code: 10,
        message:
          'The emulator stopped during this import. Import the files again: rows already imported are skipped as duplicates.',
      },
    });
  }
}

/**
 * Vertex accepts an image Dataset without `metadata` (the Python SDK sends none), although the proto marks
 * the field REQUIRED; the emulator's generic REQUIRED check is told so.
 */
function relaxDatasetMetadata(): void {
  const field = messageType(`${V1}Dataset`).fields.metadata;
  if (field?.options) field.options['(google.api.field_behavior)'] = 'OPTIONAL';
}
