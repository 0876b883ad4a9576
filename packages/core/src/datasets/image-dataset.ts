import type { protos } from '@google-cloud/aiplatform';
import type { LROperation } from 'google-gax';
import { type InitOptions, type ResolvedConfig, resolveConfig } from '../config.ts';
import { datasetServiceClient } from '../connection.ts';
import { toApiError } from '../errors.ts';
import type { ProgressListener } from '../jobs/job-state.ts';
import { toReadableJson } from '../resource-json.ts';
import { fullResourceName, locationPath, parseResourceName } from '../resource-names.ts';
import { failedOperationMetadata, toDataItemInfo } from './data-items.ts';
import {
  buildCreateDatasetRequest,
  buildImportConfigs,
  type DatasetSpecOptions,
  hasImportSource,
  type ImportSource,
} from './dataset-request.ts';
import {
  type DataItemInfo,
  type DatasetStats,
  datasetStats,
  type StatsOptions,
  statsHtml,
} from './dataset-stats.ts';
import {
  DatasetImportError,
  type ImportResult,
  readPartialFailures,
  toImportResult,
} from './import-result.ts';
import { IMAGE_SCHEMA } from './schema.ts';

type IDataset = protos.google.cloud.aiplatform.v1.IDataset;
type IImportDataConfig = protos.google.cloud.aiplatform.v1.IImportDataConfig;
type IImportDataOperationMetadata = protos.google.cloud.aiplatform.v1.IImportDataOperationMetadata;
/** Where a resource lives: explicit values, else `init()` and the environment. @inline */
type Where = Pick<InitOptions, 'project' | 'location' | 'emulator'>;

/** Options of {@link ImageDataset.create}: the Python SDK's arguments in camelCase. */
export interface ImageDatasetCreateOptions extends Where, DatasetSpecOptions, Partial<ImportSource> {
  /** `false`: return once the dataset exists; the import goes on ({@link ImageDataset.wait}). Default true. */
  sync?: boolean;
  onProgress?: ProgressListener;
}

/** Options of {@link ImageDataset.importData}. */
export interface ImportDataOptions extends ImportSource {
  onProgress?: ProgressListener;
}

/**
 * A Vertex AI image dataset (classification): images in Cloud Storage with their labels and split, created
 * from CSV or JSON Lines import files. Works the same against Vertex and the emulator, which checks every
 * row and reports the bad ones in {@link ImageDataset.lastImport}.
 *
 * @example
 * const ds = await ImageDataset.create({
 *   displayName: 'shapes', gcsSource: 'gs://my-bucket/shapes/index.csv',
 *   importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
 * });
 * console.log(ds.lastImport?.errors, (await ds.stats()).warnings);
 */
export class ImageDataset {
  private resource: IDataset;
  private readonly config: ResolvedConfig;
  private pending: Promise<ImportResult>[] = [];
  private last: ImportResult | undefined;

  private constructor(resource: IDataset, config: ResolvedConfig) {
    this.resource = resource;
    this.config = config;
  }

  /**
   * Creates an image dataset (CreateDataset, then GetDataset) and, given `gcsSource` and `importSchemaUri`,
   * imports them (ImportData), as the Python SDK's `ImageDataset.create()`. A partly bad import still
   * returns the dataset (see {@link ImageDataset.lastImport}); an import where nothing could be imported
   * throws a {@link DatasetImportError}.
   */
  static async create(options: ImageDatasetCreateOptions = {}): Promise<ImageDataset> {
    const importing = hasImportSource(options);
    const config = await resolveConfig(options);
    const request = buildCreateDatasetRequest(options, config);
    const importConfigs = importing ? buildImportConfigs(options as ImportSource) : undefined;
    const client = await datasetServiceClient(config);
    let dataset: ImageDataset;
    try {
      const [op] = await client.createDataset(request);
      const [created] = await op.promise();
      dataset = await new ImageDataset(created, config).refresh();
    } catch (err) {
      throw toApiError(err, `Creating dataset ${request.dataset?.displayName ?? ''}`);
    }
    const { resourceName, displayName } = dataset;
    options.onProgress?.({ type: 'created', resourceName, displayName });
    if (!importConfigs) return dataset;
    const work = dataset.runImport(importConfigs, options.onProgress);
    if (options.sync !== false) {
      await work;
      return dataset;
    }
    work.catch(() => undefined); // reported by wait()
    dataset.pending.push(work);
    return dataset;
  }

  /** Loads a dataset by resource name or id. */
  static async get(nameOrId: string, options: Where = {}): Promise<ImageDataset> {
    let where = options;
    if (nameOrId.startsWith('projects/')) {
      const { project, location } = parseResourceName(nameOrId, 'datasets', 'dataset');
      where = { ...options, project: options.project ?? project, location: options.location ?? location };
    }
    const config = await resolveConfig(where);
    const name = fullResourceName(nameOrId, 'datasets', config.project, config.location, 'dataset');
    return new ImageDataset({ name }, config).refresh();
  }

  /** The image datasets of the project and region (others are left out, as the Python SDK does). */
  static async list(options: Where & { filter?: string; orderBy?: string } = {}): Promise<ImageDataset[]> {
    const config = await resolveConfig(options);
    const client = await datasetServiceClient(config);
    try {
      const [datasets] = await client.listDatasets({
        parent: locationPath(config.project, config.location),
        ...(options.filter ? { filter: options.filter } : {}),
        ...(options.orderBy ? { orderBy: options.orderBy } : {}),
      });
      return datasets
        .filter((d) => d.metadataSchemaUri === IMAGE_SCHEMA.metadata)
        .map((d) => new ImageDataset(d, config));
    } catch (err) {
      throw toApiError(err, 'Listing datasets');
    }
  }

  /** Wraps a Dataset resource (e.g. from another call); no request is sent. */
  static fromResource(resource: IDataset, config: ResolvedConfig): ImageDataset {
    return new ImageDataset(resource, config);
  }

  /** The full resource name (`projects/…/locations/…/…`). */
  get resourceName(): string {
    return this.resource.name ?? '';
  }

  /** The last part of the resource name. */
  get id(): string {
    return this.resourceName.split('/').pop() ?? '';
  }

  /** The display name. */
  get displayName(): string {
    return this.resource.displayName ?? '';
  }

  /** The dataset's metadata schema URI (`IMAGE_SCHEMA.metadata` for an image dataset). */
  get metadataSchemaUri(): string {
    return this.resource.metadataSchemaUri ?? '';
  }

  /** Images in the dataset, as of the last fetch. */
  get dataItemCount(): number {
    return Number(String(this.resource.dataItemCount ?? 0));
  }

  /** The resource's labels (a copy). */
  get labels(): Record<string, string> {
    return { ...(this.resource.labels ?? {}) };
  }

  /** The outcome of the last import this object ran (counts and the rows that failed). */
  get lastImport(): ImportResult | undefined {
    return this.last;
  }

  /** The dataset as the server last returned it. */
  get gcaResource(): IDataset {
    return this.resource;
  }

  /** Readable JSON: RFC 3339 times, no empty defaults (for display and `--json`). */
  toJSON(): Record<string, unknown> {
    return (toReadableJson(this.resource) as Record<string, unknown> | undefined) ?? {};
  }

  /** Fetches the dataset again. */
  async refresh(): Promise<this> {
    const client = await datasetServiceClient(this.config);
    try {
      [this.resource] = await client.getDataset({ name: this.resourceName });
    } catch (err) {
      throw toApiError(err, `Getting dataset ${this.resourceName}`);
    }
    return this;
  }

  /** Imports more images (ImportData) and waits; resolves with the counts and the failed rows. */
  async importData(options: ImportDataOptions): Promise<ImportResult> {
    return this.runImport(buildImportConfigs(options), options.onProgress);
  }

  /** Waits for an import started by `create({ sync: false })`; resolves with its result. */
  async wait(): Promise<ImportResult | undefined> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
    return this.last;
  }

  /** Every image with its labels and split (SearchDataItems, all pages), in the service's order. */
  async listDataItems(): Promise<DataItemInfo[]> {
    const client = await datasetServiceClient(this.config);
    try {
      const [views] = await client.searchDataItems({ dataset: this.resourceName });
      return views.map(toDataItemInfo);
    } catch (err) {
      throw toApiError(err, `Listing the data items of dataset ${this.resourceName}`);
    }
  }

  /** Images per label × split, with warnings on imbalance and labels below Vertex's minimum. */
  async stats(options: StatsOptions & { onProgress?: ProgressListener } = {}): Promise<DatasetStats> {
    const stats = datasetStats(await this.listDataItems(), options);
    const resourceName = this.resourceName;
    for (const message of stats.warnings) options.onProgress?.({ type: 'notice', resourceName, message });
    return stats;
  }

  /** {@link ImageDataset.stats} as an HTML table with the warnings below (`tslab.display.html(…)`). */
  async statsTable(options: StatsOptions = {}): Promise<string> {
    return statsHtml(await this.stats(options));
  }

  /** Deletes the dataset with its data items and annotations (the images in Cloud Storage stay). */
  async delete(): Promise<void> {
    const client = await datasetServiceClient(this.config);
    try {
      const [op] = await client.deleteDataset({ name: this.resourceName });
      await op.promise();
    } catch (err) {
      throw toApiError(err, `Deleting dataset ${this.resourceName}`);
    }
  }

  private async runImport(
    importConfigs: IImportDataConfig[],
    onProgress?: ProgressListener,
  ): Promise<ImportResult> {
    const resourceName = this.resourceName;
    const before = this.dataItemCount;
    const client = await datasetServiceClient(this.config);
    const files = importConfigs.flatMap((c) => c.gcsSource?.uris ?? []);
    let op: LROperation<protos.google.cloud.aiplatform.v1.IImportDataResponse, IImportDataOperationMetadata>;
    try {
      [op] = await client.importData({ name: resourceName, importConfigs });
    } catch (err) {
      throw toApiError(err, `Importing data into dataset ${resourceName}`);
    }
    const message = `Importing ${files.join(', ')}: operation ${op.name ?? ''}`;
    onProgress?.({ type: 'notice', resourceName, message });
    let statuses: protos.google.rpc.IStatus[] | null | undefined;
    try {
      const [, metadata] = await op.promise();
      statuses = metadata?.genericMetadata?.partialFailures;
    } catch (err) {
      const e = err as { code?: number; details?: string; message?: string };
      if (typeof e.code !== 'number') throw toApiError(err, `Importing data into dataset ${resourceName}`);
      const { errors } = await readPartialFailures(
        failedOperationMetadata(op)?.genericMetadata?.partialFailures,
      );
      throw new DatasetImportError(e.code, e.details || e.message || String(err), resourceName, errors);
    }
    await this.refresh();
    const result = await toImportResult(op.name ?? '', statuses, { before, after: this.dataItemCount });
    this.last = result;
    if (onProgress) {
      const summary = `Imported ${result.imported} of ${result.rows} rows (${result.dataItemCount} images in the dataset); ${result.failed} failed; ${result.duplicates} duplicates skipped`;
      onProgress({ type: 'notice', resourceName, message: summary });
      for (const e of result.errors) onProgress({ type: 'notice', resourceName, message: e.message });
    }
    return result;
  }
}
