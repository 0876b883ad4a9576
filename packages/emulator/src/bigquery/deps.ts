/** What the local BigQuery's route groups share. */
import type { ObjectStore } from '../storage/index.ts';
import type { BqmlService } from './bqml/bqml-service.ts';
import type { Warehouse } from './warehouse.ts';

/** A JSON object as the REST API sends and receives it. */
export type JsonObject = Record<string, unknown>;

/** Creates jobs (jobs.insert); the upload route hands its file over through `uploadedFile`. */
export interface JobSubmitter {
  /** Inserts a job like `POST /projects/{projectId}/jobs` and returns the Job resource. */
  insert(projectId: string, body: JsonObject, extras?: { uploadedFile?: string }): Promise<JsonObject>;
}

/** The local BigQuery's parts, given to every route group. */
export interface BigQueryDeps {
  warehouse: Warehouse;
  /** The Cloud Storage emulator's objects (load jobs read `gs://` URIs from it, extract jobs write to it). */
  objects: ObjectStore;
  /** `{dataDir}/bigquery`: where the local BigQuery keeps its files. */
  root: string;
  bqml: BqmlService;
  jobs: JobSubmitter;
}
