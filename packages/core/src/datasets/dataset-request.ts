/** The CreateDataset and ImportData requests as the Python SDK's `ImageDataset.create()` builds them. */
import type { protos } from '@google-cloud/aiplatform';
import type { ResolvedConfig } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { localTimestamp } from '../jobs/custom-job-request.ts';
import { locationPath } from '../resource-names.ts';
import { validateDisplayName, validateLabels } from '../validation.ts';
import { IMAGE_SCHEMA } from './schema.ts';

type ICreateDatasetRequest = protos.google.cloud.aiplatform.v1.ICreateDatasetRequest;
type IImportDataConfig = protos.google.cloud.aiplatform.v1.IImportDataConfig;

/** What to import: the Python SDK's `gcs_source`, `import_schema_uri` and `data_item_labels`. */
export interface ImportSource {
  /** One or more CSV / JSON Lines files (`gs://…`); the format is told by `importSchemaUri`, not the name. */
  gcsSource: string | string[];
  /** E.g. {@link IMAGE_SCHEMA}`.singleLabelImport`. */
  importSchemaUri: string;
  /** Labels set on every imported data item. */
  dataItemLabels?: Record<string, string>;
}

/** The dataset part of `ImageDataset.create` options. */
export interface DatasetSpecOptions {
  /** Default: `ImageDataset <local time>`, as the Python SDK. */
  displayName?: string;
  /** Labels of the dataset resource. */
  labels?: Record<string, string>;
  /** Customer-managed key. Default: `init({ encryptionSpecKeyName })`. */
  encryptionSpecKeyName?: string;
}

/** CreateDataset for an image dataset (no `metadata`: the Python SDK sends none for images). */
export function buildCreateDatasetRequest(
  options: DatasetSpecOptions,
  config: Pick<ResolvedConfig, 'project' | 'location' | 'encryptionSpecKeyName'>,
): ICreateDatasetRequest {
  const displayName = validateDisplayName(options.displayName ?? `ImageDataset ${localTimestamp(' ')}`);
  if (options.labels !== undefined) validateLabels(options.labels);
  const dataset: ICreateDatasetRequest['dataset'] = { displayName, metadataSchemaUri: IMAGE_SCHEMA.metadata };
  if (options.labels && Object.keys(options.labels).length) dataset.labels = options.labels;
  const kms = options.encryptionSpecKeyName ?? config.encryptionSpecKeyName;
  if (kms) dataset.encryptionSpec = { kmsKeyName: kms };
  return { parent: locationPath(config.project, config.location), dataset };
}

/**
 * Checks that `gcsSource` and `importSchemaUri` come together (the Python SDK's rule for non-tabular
 * datasets); returns whether there is something to import.
 */
export function hasImportSource(options: Partial<ImportSource>): boolean {
  const given = [options.gcsSource, options.importSchemaUri].filter((v) => v !== undefined && v !== '');
  if (given.length === 1)
    throw new ValidationError(
      options.gcsSource === undefined ? 'gcsSource' : 'importSchemaUri',
      'nontabular dataset requires both import_schema_uri and gcs_source for data import',
      'Give both gcsSource (the gs:// CSV or JSON Lines files) and importSchemaUri (e.g. IMAGE_SCHEMA.singleLabelImport), or neither for an empty dataset.',
    );
  return given.length === 2;
}

/** The `importConfigs` of ImportData: one config holding every file. */
export function buildImportConfigs(source: ImportSource): IImportDataConfig[] {
  const uris = [source.gcsSource].flat();
  if (!uris.length)
    throw new ValidationError('gcsSource', 'is empty', 'Give at least one gs:// import file.');
  uris.forEach((uri, i) => {
    if (!/^gs:\/\/[^/]+\/.+/.test(uri))
      throw new ValidationError(
        `gcsSource[${i}]`,
        `${JSON.stringify(uri)} is not the gs:// URI of a file`,
        'Upload the CSV / JSON Lines file to a bucket (uploadFile) and pass its gs://bucket/path.',
      );
  });
  if (!source.importSchemaUri.startsWith('gs://'))
    throw new ValidationError(
      'importSchemaUri',
      `${JSON.stringify(source.importSchemaUri)} is not a schema URI`,
      'Use IMAGE_SCHEMA.singleLabelImport or IMAGE_SCHEMA.multiLabelImport.',
    );
  const config: IImportDataConfig = { gcsSource: { uris }, importSchemaUri: source.importSchemaUri };
  const labels = source.dataItemLabels;
  if (labels && Object.keys(labels).length) {
    for (const [k, v] of Object.entries(labels))
      if (typeof v !== 'string')
        throw new ValidationError(`dataItemLabels.${k}`, 'is not a string', 'Write the value as a string.');
    config.dataItemLabels = labels;
  }
  return [config];
}
