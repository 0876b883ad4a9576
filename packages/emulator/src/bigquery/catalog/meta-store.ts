/**
 * Metadata DuckDB does not keep: per dataset a JSON file `{root}/catalog/{project}/{dataset}.json` with
 * the dataset's description, labels, location, access and times, and the same for each of its tables
 * (plus the schema as given, for field descriptions and modes). Existence is DuckDB's: a schema `"p.d"`
 * is the dataset, whatever these files say. Writes are atomic (temp file + rename) and serialised per
 * file within the process.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BigQueryDeps, JsonObject } from '../deps.ts';
import type { TableFieldSchema, TableRef } from '../types.ts';

/** What catalog operations need: the local BigQuery's parts and the metadata store. */
export interface CatalogContext {
  deps: BigQueryDeps;
  store: CatalogStore;
}

/** The context of catalog operations for `deps`. */
export function catalogContext(deps: BigQueryDeps): CatalogContext {
  return { deps, store: new CatalogStore(deps.root) };
}

/** What the catalog remembers about a table. */
export interface TableMeta {
  creationTime: string;
  lastModifiedTime: string;
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  expirationTime?: string;
  /** The schema as last given (descriptions, REQUIRED modes, GEOGRAPHY/JSON type names). */
  schema?: TableFieldSchema[];
  timePartitioning?: JsonObject;
  rangePartitioning?: JsonObject;
  clustering?: JsonObject;
}

/** What the catalog remembers about a dataset. */
export interface DatasetMeta {
  creationTime: string;
  lastModifiedTime: string;
  location: string;
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  access?: JsonObject[];
  defaultTableExpirationMs?: string;
  tables: Record<string, TableMeta>;
}

/** Defaults for a dataset that exists in DuckDB but has no metadata yet (e.g. made by `CREATE SCHEMA`). */
export function defaultDatasetMeta(now = Date.now()): DatasetMeta {
  return { creationTime: String(now), lastModifiedTime: String(now), location: 'US', tables: {} };
}

/** Defaults for a table's metadata. */
export function defaultTableMeta(now = Date.now()): TableMeta {
  return { creationTime: String(now), lastModifiedTime: String(now) };
}

const chains = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call on the same key has settled. */
function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const tail = next.catch(() => undefined);
  chains.set(key, tail);
  void tail.then(() => {
    if (chains.get(key) === tail) chains.delete(key);
  });
  return next;
}

/** The dataset and table metadata files under one root. */
export class CatalogStore {
  readonly root: string;

  /** `root` is the local BigQuery's folder (`deps.root`). */
  constructor(root: string) {
    this.root = root;
  }

  #path(projectId: string, datasetId: string): string {
    return join(this.root, 'catalog', encodeURIComponent(projectId), `${encodeURIComponent(datasetId)}.json`);
  }

  /** The dataset's metadata, or `undefined` when there is no file. */
  async readDataset(projectId: string, datasetId: string): Promise<DatasetMeta | undefined> {
    try {
      const meta = JSON.parse(await readFile(this.#path(projectId, datasetId), 'utf8')) as DatasetMeta;
      meta.tables ??= {};
      return meta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Read-modify-write of a dataset's metadata under the file's lock. `fn` gets the current metadata
   * (or `undefined`) and returns the new one, or `undefined` to delete the file.
   */
  updateDataset(
    projectId: string,
    datasetId: string,
    fn: (meta: DatasetMeta | undefined) => DatasetMeta | undefined,
  ): Promise<DatasetMeta | undefined> {
    const path = this.#path(projectId, datasetId);
    return serialised(path, async () => {
      const next = fn(await this.readDataset(projectId, datasetId));
      if (next === undefined) {
        await rm(path, { force: true });
        return undefined;
      }
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      await writeFile(tmp, JSON.stringify(next, null, 1));
      await rename(tmp, path);
      return next;
    });
  }

  /** The metadata of a dataset that exists in DuckDB, created with defaults when missing. */
  async ensureDataset(projectId: string, datasetId: string): Promise<DatasetMeta> {
    const meta = await this.readDataset(projectId, datasetId);
    if (meta) return meta;
    return (await this.updateDataset(projectId, datasetId, (m) => m ?? defaultDatasetMeta())) as DatasetMeta;
  }

  /** Read-modify-write of one table's metadata (`undefined` from `fn` removes it). */
  async updateTable(
    ref: TableRef,
    fn: (meta: TableMeta | undefined) => TableMeta | undefined,
  ): Promise<TableMeta | undefined> {
    let result: TableMeta | undefined;
    await this.updateDataset(ref.projectId, ref.datasetId, (meta) => {
      const dataset = meta ?? defaultDatasetMeta();
      result = fn(dataset.tables[ref.tableId]);
      if (result === undefined) delete dataset.tables[ref.tableId];
      else dataset.tables[ref.tableId] = result;
      return dataset;
    });
    return result;
  }

  /** Marks a table's data as changed now (loads, inserts, copies); creates its metadata when missing. */
  touchTable(ref: TableRef, extra: Partial<TableMeta> = {}): Promise<TableMeta | undefined> {
    const now = Date.now();
    return this.updateTable(ref, (m) => ({
      ...(m ?? defaultTableMeta(now)),
      ...extra,
      lastModifiedTime: String(now),
    }));
  }
}
