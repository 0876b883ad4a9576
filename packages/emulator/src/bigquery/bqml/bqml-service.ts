/**
 * BigQuery ML of the local BigQuery: CREATE MODEL, DROP MODEL, the ML.* table functions and the models REST
 * resource. Training and inference run in the `tvx_bqml` Python engine (scikit-learn, XGBoost, PyTorch); rows
 * travel as binary frame files; outputs come back as TEMP tables on the job's connection.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import { duplicate, notFound } from '../errors.ts';
import type {
  CreateModelRequest,
  CreateModelResult,
  IterationResult,
  MlFunctionCall,
  MlStatistics,
  ModelRef,
} from '../types.ts';
import { quoteIdent, type Warehouse } from '../warehouse.ts';
import { BqmlEngine } from './engine.ts';
import { describeQuery, writeQueryFrame } from './frames.ts';
import { runMlFunction } from './functions.ts';
import { buildResource, registerModelRoutes } from './model-resource.ts';
import { type ModelState, ModelStore, modelId } from './model-store.ts';
import { withDefaults } from './option-defaults.ts';
import { checkOptions, REST_MODEL_TYPE, usesSplit } from './options.ts';

/** What {@link BqmlService} needs. */
export interface BqmlServiceOptions {
  warehouse: Warehouse;
  /** Python interpreter with scikit-learn, XGBoost and PyTorch (e.g. `/usr/bin/python3`). */
  python: string;
  /** The emulator's data folder; models live in `{dataDir}/bigquery/models/{project}/{dataset}/{model}/`. */
  dataDir: string;
}

/** BigQuery ML for the local BigQuery's query path and REST routes. */
export class BqmlService {
  private readonly warehouse: Warehouse;
  private readonly store: ModelStore;
  private readonly engine: BqmlEngine;
  private readonly tmpDir: string;

  constructor(opts: BqmlServiceOptions) {
    this.warehouse = opts.warehouse;
    this.store = new ModelStore(opts.dataDir);
    this.engine = new BqmlEngine(opts.python);
    this.tmpDir = join(opts.dataDir, 'bigquery', 'tmp');
  }

  /**
   * CREATE [OR REPLACE | IF NOT EXISTS] MODEL. `req.query` is DuckDB SQL runnable on `conn`.
   * @throws {BigQueryError} `notFound` for a missing dataset, `duplicate` for an existing model or table of that
   * name, `invalidQuery` for bad options or data (naming the option or column and the fix).
   */
  async createModel(
    conn: DuckDBConnection,
    req: CreateModelRequest,
    onProgress?: (s: MlStatistics) => void,
  ): Promise<CreateModelResult> {
    const ref = req.model;
    const { modelType, options } = checkOptions(req.options);
    if (!(await this.warehouse.hasDataset(conn, ref.projectId, ref.datasetId)))
      throw notFound('Dataset', `${ref.projectId}:${ref.datasetId}`);
    if (
      await this.warehouse.hasTable(conn, {
        projectId: ref.projectId,
        datasetId: ref.datasetId,
        tableId: ref.modelId,
      })
    )
      throw duplicate('Table', modelId(ref));
    const existed = this.store.has(ref);
    if (existed && req.mode === 'CREATE') throw duplicate('Model', modelId(ref));
    if (existed && req.mode === 'CREATE_IF_NOT_EXISTS') return { ddlOperationPerformed: 'SKIP' };

    const resolved = withDefaults(modelType, options);
    const stats: MlStatistics = {
      maxIterations: String(resolved.max_iterations ?? 1),
      modelType: REST_MODEL_TYPE[modelType],
      trainingType: 'SINGLE_TRAINING',
      iterationResults: [],
    };
    const columns = await describeQuery(conn, req.query);
    const method = resolved.data_split_method as string | undefined;
    const extra: Record<string, string> = {};
    if (usesSplit(modelType) && (method === 'AUTO_SPLIT' || method === 'RANDOM') && columns.length) {
      // Deterministic split: a seeded hash of each row's values (BigQuery uses FARM_FINGERPRINT of the data).
      extra.__tvx_hash = `hash(${['7919', ...columns.map((c) => quoteIdent(c.name))].join(', ')}) % 9007199254740881`;
    }
    mkdirSync(this.tmpDir, { recursive: true });
    const framePath = join(this.tmpDir, `train-${Date.now()}-${Math.random().toString(36).slice(2)}.frame`);
    const staged = this.store.staging(ref);
    const startMs = Date.now();
    try {
      const labels = (resolved.input_label_cols as string[] | undefined) ?? [];
      const aside = [
        ...labels,
        resolved.data_split_col,
        resolved.instance_weight_col,
        resolved.kmeans_init_col,
      ];
      const rows = await writeQueryFrame(
        conn,
        req.query,
        columns,
        framePath,
        extra,
        aside.filter((c) => typeof c === 'string'),
      );
      const answer = await this.engine.ask(
        { cmd: 'train', modelType, options: resolved, frame: framePath, modelDir: staged },
        (it: IterationResult) => {
          stats.iterationResults.push(it);
          onProgress?.({ ...stats, iterationResults: [...stats.iterationResults] });
        },
      );
      const iterations = answer.iterations as IterationResult[];
      stats.iterationResults = iterations;
      const features = answer.featureColumns as { name: string; type: string }[];
      const label = (answer.labelColumns as { name: string; type: string }[] | undefined)?.[0];
      if (typeof answer.numClusters === 'number') resolved.num_clusters = answer.numClusters;
      const state: ModelState = {
        modelType,
        label: label?.name,
        labelType: label?.type,
        classes: (answer.classes as (string | number)[] | null) ?? null,
        features,
        numClusters: answer.numClusters as number | undefined,
        numComponents: answer.numComponents as number | undefined,
        latentUnits: answer.latentUnits as number | undefined,
        iterations,
        enableGlobalExplain: resolved.enable_global_explain === true,
      };
      const resource = buildResource({
        ref,
        modelType,
        options: resolved,
        features,
        label,
        iterations,
        evaluationMetrics: answer.evaluationMetrics as Record<string, unknown>,
        startMs,
      });
      this.store.write(staged, resource, state);
      this.store.commit(ref, staged);
      return {
        ddlOperationPerformed: existed ? 'REPLACE' : 'CREATE',
        mlStatistics: stats,
        trainingRows: rows,
      };
    } finally {
      rmSync(framePath, { force: true });
      rmSync(staged, { recursive: true, force: true });
    }
  }

  /** DROP MODEL [IF EXISTS]. @throws {BigQueryError} `notFound` when the model is missing and `ifExists` is false. */
  async dropModel(ref: ModelRef, ifExists: boolean): Promise<'DROP' | 'SKIP'> {
    if (this.store.remove(ref)) return 'DROP';
    if (ifExists) return 'SKIP';
    throw notFound('Model', modelId(ref));
  }

  /**
   * Runs ML.<name>(MODEL …, input, …) and returns the name of a TEMP table on `conn` holding its output rows with
   * BigQuery's column names and order.
   */
  async runFunction(conn: DuckDBConnection, call: MlFunctionCall): Promise<string> {
    const state = this.store.state(call.model);
    mkdirSync(this.tmpDir, { recursive: true });
    return runMlFunction(
      {
        conn,
        engine: this.engine,
        state,
        modelDir: this.store.dir(call.model),
        tmpDir: this.tmpDir,
        modelName: modelId(call.model),
      },
      call,
    );
  }

  /** Whether model `p.d.m` exists. */
  hasModel(ref: ModelRef): boolean {
    return this.store.has(ref);
  }

  /** Deletes every model of a dataset (when the dataset is deleted with `deleteContents`). */
  async dropDatasetModels(projectId: string, datasetId: string): Promise<void> {
    this.store.removeDataset(projectId, datasetId);
  }

  /** models.get/list/patch/delete REST routes (paths relative: /projects/:projectId/datasets/:datasetId/models…). */
  routes(scope: FastifyInstance): void {
    registerModelRoutes(scope, this.store, this.warehouse);
  }

  /** Stops the engine process. */
  async close(): Promise<void> {
    await this.engine.close();
  }
}
