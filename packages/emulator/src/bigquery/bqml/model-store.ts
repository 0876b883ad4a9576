/**
 * Models on disk: `{dataDir}/bigquery/models/{project}/{dataset}/{model}/` holds `model.json` (the REST `Model`
 * resource), `state.json` (what the SQL side needs: classes, features, label) and the engine's `engine.pkl`.
 * A model is replaced by training into a sibling staging folder and renaming it over the old one.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notFound } from '../errors.ts';
import type { IterationResult, ModelRef } from '../types.ts';
import type { ModelType } from './options.ts';

/** What the SQL side keeps about a trained model. */
export interface ModelState {
  modelType: ModelType;
  label?: string;
  /** BigQuery type of the label (`INTEGER`, `STRING`, `BOOLEAN`, …). */
  labelType?: string;
  /** Classes in ascending order (the last of two is the positive class). */
  classes?: (string | number)[] | null;
  features: { name: string; type: string }[];
  numClusters?: number;
  numComponents?: number;
  latentUnits?: number;
  iterations: IterationResult[];
  enableGlobalExplain: boolean;
}

/** The REST `Model` resource (the fields the local BigQuery fills). */
export type ModelResource = Record<string, unknown> & {
  modelReference: ModelRef;
  etag: string;
  creationTime: string;
  lastModifiedTime: string;
};

/** `p:d.m`, as BigQuery writes a model id in messages. */
export const modelId = (ref: ModelRef): string => `${ref.projectId}:${ref.datasetId}.${ref.modelId}`;

/** New etag. */
export const newEtag = (): string => randomBytes(12).toString('base64');

/** Files of the models of one emulator. */
export class ModelStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'bigquery', 'models');
  }

  dir(ref: ModelRef): string {
    return join(this.root, ref.projectId, ref.datasetId, ref.modelId);
  }

  has(ref: ModelRef): boolean {
    return existsSync(join(this.dir(ref), 'model.json'));
  }

  /** A fresh staging folder next to the model's folder. */
  staging(ref: ModelRef): string {
    const dir = join(
      this.root,
      ref.projectId,
      ref.datasetId,
      `.staging-${ref.modelId}-${randomBytes(4).toString('hex')}`,
    );
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Puts a staged model in place (replacing any model of that name). */
  commit(ref: ModelRef, staged: string): void {
    const dir = this.dir(ref);
    const old = `${staged}.old`;
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(staged, dir);
    rmSync(old, { recursive: true, force: true });
  }

  resource(ref: ModelRef): ModelResource {
    if (!this.has(ref)) throw notFound('Model', modelId(ref));
    return JSON.parse(readFileSync(join(this.dir(ref), 'model.json'), 'utf8')) as ModelResource;
  }

  state(ref: ModelRef): ModelState {
    if (!this.has(ref)) throw notFound('Model', modelId(ref));
    return JSON.parse(readFileSync(join(this.dir(ref), 'state.json'), 'utf8')) as ModelState;
  }

  /** Writes `model.json` (and `state.json` when given) into `dir` (the model's or a staging folder). */
  write(dir: string, resource: ModelResource, state?: ModelState): void {
    writeFileSync(join(dir, 'model.json.tmp'), JSON.stringify(resource, null, 1));
    renameSync(join(dir, 'model.json.tmp'), join(dir, 'model.json'));
    if (state) writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
  }

  remove(ref: ModelRef): boolean {
    if (!this.has(ref)) return false;
    rmSync(this.dir(ref), { recursive: true, force: true });
    return true;
  }

  removeDataset(projectId: string, datasetId: string): void {
    rmSync(join(this.root, projectId, datasetId), { recursive: true, force: true });
  }

  /** Model ids of a dataset, sorted. */
  list(projectId: string, datasetId: string): string[] {
    const dir = join(this.root, projectId, datasetId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((m) => !m.startsWith('.') && existsSync(join(dir, m, 'model.json')))
      .sort();
  }
}
