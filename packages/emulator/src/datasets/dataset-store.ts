/**
 * Vertex AI datasets as Vertex models them: the Dataset, its DataItems (one per image, with the
 * `aiplatform.googleapis.com/ml_use` label), its AnnotationSpecs (one per label) and the classification
 * Annotations joining them. Each kind lives in its own {@link ResourceStore} under `<dataDir>/vertex/`, so
 * datasets survive a restart. AutoML training reads a dataset through {@link DatasetStore.examples}.
 */
import { ResourceStore } from '../state/resource-store.ts';
import { newId } from '../vertex/ids.ts';
import type { Json } from '../vertex/protos.ts';
import { notFound } from '../vertex/rpc-error.ts';
import type { MlUse, RowError } from './import-format.ts';
import { runImport } from './import-run.ts';
import { IMAGE_DATA_ITEM_SCHEMA, type LabelMode, ML_USE_LABEL } from './schemas.ts';

/** One labelled (or unlabeled) image of a dataset, as training reads it. */
export interface DatasetExample {
  /** `…/datasets/D/dataItems/I` */
  dataItem: string;
  gcsUri: string;
  /** Label display names; empty for an unlabeled image. */
  labels: string[];
  mlUse?: MlUse;
}

/** One file list of an ImportData request, as the store imports it. */
export interface ImportConfig {
  uris: string[];
  mode: LabelMode;
  /** `ImportDataConfig.dataItemLabels`: set on every data item (ml_use there is the default ML_USE). */
  dataItemLabels?: Record<string, string>;
  /** `ImportDataConfig.annotationLabels`: set on every annotation. */
  annotationLabels?: Record<string, string>;
}

/** What an import did: counts of rows, and the rows that failed. */
export interface ImportOutcome {
  /** Non-blank rows read (plus import files that could not be read). */
  rows: number;
  /** Rows that added a data item or a label. */
  imported: number;
  /** Rows that repeated an image with nothing new (skipped, as Vertex does). */
  duplicates: number;
  /** Rows (and files) that could not be imported; each has an entry in `errors`. */
  failed: number;
  /** Data items created. */
  dataItems: number;
  /** Annotations created. */
  annotations: number;
  errors: RowError[];
}

const byNumericId = (a: Json, b: Json) => {
  const x = (a.name as string).split('/').pop()!;
  const y = (b.name as string).split('/').pop()!;
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
};

export class DatasetStore {
  readonly gcsRoot: string;
  private readonly datasets: ResourceStore;
  private readonly items: ResourceStore;
  private readonly annotationStore: ResourceStore;
  private readonly specs: ResourceStore;
  private readonly queues = new Map<string, Promise<unknown>>();
  private lastId = 0n;

  constructor(dataDir: string, gcsRoot: string) {
    this.gcsRoot = gcsRoot;
    this.datasets = new ResourceStore(dataDir, 'datasets');
    this.items = new ResourceStore(dataDir, 'dataItems');
    this.annotationStore = new ResourceStore(dataDir, 'annotations');
    this.specs = new ResourceStore(dataDir, 'annotationSpecs');
  }

  /** An id that sorts after every id this store made before (import order is id order). */
  nextId(): string {
    let id = BigInt(Date.now()) * 1_000_000n;
    if (id <= this.lastId) id = this.lastId + 1n;
    this.lastId = id;
    return id.toString();
  }

  /** Creates a dataset under `parent` (`projects/P/locations/L`) from a CreateDataset request's dataset. */
  create(parent: string, dataset: Json): Json {
    const now = new Date().toISOString();
    return this.datasets.put({
      ...dataset,
      name: `${parent}/datasets/${newId()}`,
      metadata: dataset.metadata ?? { dataItemSchemaUri: IMAGE_DATA_ITEM_SCHEMA },
      labels: {
        ...((dataset.labels as Record<string, string> | undefined) ?? {}),
        'aiplatform.googleapis.com/dataset_metadata_schema': 'IMAGE',
      },
      createTime: now,
      updateTime: now,
      etag: newId(),
    });
  }

  get(name: string): Json | undefined {
    return this.datasets.get(name);
  }

  /** The dataset, or NOT_FOUND. */
  find(name: string): Json {
    const d = this.datasets.get(name);
    if (!d) throw notFound(`The Dataset does not exist: ${name}`);
    return d;
  }

  /** The datasets of `projects/P/locations/L`. */
  list(parent: string): Json[] {
    return this.datasets.list(`${parent}/datasets/`);
  }

  /** Deletes a dataset with its data items, annotations and annotation specs. */
  delete(name: string): void {
    this.find(name);
    for (const store of [this.annotationStore, this.items, this.specs])
      for (const r of store.list(`${name}/`)) store.delete(r.name as string);
    this.datasets.delete(name);
  }

  /** The data items of a dataset, in import order. */
  dataItems(datasetName: string): Json[] {
    return this.items.list(`${datasetName}/dataItems/`).sort(byNumericId);
  }

  dataItem(name: string): Json | undefined {
    return this.items.get(name);
  }

  /** The annotations of one data item. */
  annotationsOf(dataItemName: string): Json[] {
    return this.annotationStore.list(`${dataItemName}/annotations/`).sort(byNumericId);
  }

  /** An AnnotationSpec by name (`…/datasets/D/annotationSpecs/S`). */
  annotationSpec(name: string): Json | undefined {
    return this.specs.get(name);
  }

  /** The labels of a dataset: numeric ids, stable for the dataset, sorted by display name. */
  annotationSpecs(datasetName: string): { id: string; displayName: string }[] {
    return this.specs
      .list(`${datasetName}/annotationSpecs/`)
      .map((s) => ({ id: (s.name as string).split('/').pop()!, displayName: s.displayName as string }))
      .sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0));
  }

  /** The annotations of every data item of a dataset, by data item name (one pass over the store). */
  annotationsByItem(datasetName: string): Map<string, Json[]> {
    const byItem = new Map<string, Json[]>();
    for (const a of this.annotationStore.list(`${datasetName}/dataItems/`).sort(byNumericId)) {
      const item = (a.name as string).split('/annotations/')[0]!;
      const list = byItem.get(item);
      if (list) list.push(a);
      else byItem.set(item, [a]);
    }
    return byItem;
  }

  /** Every image of a dataset with its labels (display names) and ML_USE, in import order. */
  examples(datasetName: string): DatasetExample[] {
    const annotations = this.annotationsByItem(datasetName);
    const labels = (item: string) =>
      (annotations.get(item) ?? []).map((a) => (a.payload as Json).displayName as string);
    return this.dataItems(datasetName).map((item) => {
      const mlUse = (item.labels as Record<string, string> | undefined)?.[ML_USE_LABEL] as MlUse | undefined;
      const example: DatasetExample = {
        dataItem: item.name as string,
        gcsUri: (item.payload as Json).imageGcsUri as string,
        labels: labels(item.name as string),
      };
      if (mlUse) example.mlUse = mlUse;
      return example;
    });
  }

  /** Stores a data item (the import's writer). */
  putItem(item: Json): Json {
    return this.items.put(item);
  }

  /** Stores an annotation (the import's writer). */
  putAnnotation(annotation: Json): Json {
    return this.annotationStore.put(annotation);
  }

  /** The AnnotationSpec of a label in a dataset, created on first use. */
  specFor(datasetName: string, displayName: string): Json {
    const existing = this.specs
      .list(`${datasetName}/annotationSpecs/`)
      .find((s) => s.displayName === displayName);
    if (existing) return existing;
    const now = new Date().toISOString();
    return this.specs.put({
      name: `${datasetName}/annotationSpecs/${this.nextId()}`,
      displayName,
      createTime: now,
      updateTime: now,
      etag: newId(),
    });
  }

  /** Sets `dataItemCount` (omitted when 0, as canonical JSON does), `updateTime` and a new etag. */
  touch(datasetName: string): void {
    const count = this.items.list(`${datasetName}/dataItems/`).length;
    this.datasets.update(datasetName, (d) => {
      if (count) d.dataItemCount = String(count);
      else delete d.dataItemCount;
      d.updateTime = new Date().toISOString();
      d.etag = newId();
    });
  }

  /**
   * Imports image files into a dataset: every row is checked (URI, object, image, ML_USE, labels,
   * duplicates); bad rows are reported and skipped. Imports into one dataset run one after another.
   */
  import(datasetName: string, configs: ImportConfig[]): Promise<ImportOutcome> {
    this.find(datasetName);
    const previous = this.queues.get(datasetName) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => runImport(this, datasetName, configs));
    this.queues.set(datasetName, run);
    return run;
  }

  /** Forgets every dataset (the admin reset). */
  clear(): void {
    for (const store of [this.annotationStore, this.items, this.specs, this.datasets]) store.clear();
  }
}
