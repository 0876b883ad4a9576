/**
 * The REST `Model` resource of a trained model, and the models.get/list/patch/delete routes
 * (`/projects/:projectId/datasets/:datasetId/models[/:modelId]`).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { asBigQueryError, BigQueryError, invalid, notFound } from '../errors.ts';
import type { IterationResult, ModelRef } from '../types.ts';
import type { Warehouse } from '../warehouse.ts';
import { type ModelResource, type ModelStore, newEtag } from './model-store.ts';
import { type ModelType, OPTION_SPECS, REST_MODEL_TYPE, type TrainingOptions } from './options.ts';

const TYPE_KIND: Record<string, string> = {
  INTEGER: 'INT64',
  FLOAT: 'FLOAT64',
  BOOLEAN: 'BOOL',
};
const INT64_FIELDS = new Set([
  'maxIterations',
  'numClusters',
  'batchSize',
  'maxTreeDepth',
  'numParallelTree',
  'numPrincipalComponents',
  'integratedGradientsNumSteps',
]);

/** A `StandardSqlField` for a column of a BigQuery (legacy-named) type. */
export const sqlField = (c: { name: string; type: string }) => ({
  name: c.name,
  type: { typeKind: TYPE_KIND[c.type] ?? c.type },
});

/** `trainingOptions` of the REST resource from the checked options (with defaults). */
export function restTrainingOptions(mt: ModelType, options: TrainingOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    const spec = OPTION_SPECS[name];
    if (!spec) continue;
    if (name === 'class_weights') {
      out.labelClassWeights = Object.fromEntries(
        (value as [string, number][]).map(([k, v]) => [String(k), v]),
      );
    } else if (name === 'hidden_units') {
      out.hiddenUnits = (value as number[]).map(String);
    } else out[spec.rest] = INT64_FIELDS.has(spec.rest) ? String(value) : value;
  }
  if (mt === 'LOGISTIC_REG' || mt === 'BOOSTED_TREE_CLASSIFIER' || mt === 'DNN_CLASSIFIER')
    out.lossType = 'MEAN_LOG_LOSS';
  if (mt === 'LINEAR_REG' || mt === 'BOOSTED_TREE_REGRESSOR' || mt === 'DNN_REGRESSOR')
    out.lossType = 'MEAN_SQUARED_LOSS';
  return out;
}

/** Builds the `Model` resource of a fresh training. */
export function buildResource(args: {
  ref: ModelRef;
  modelType: ModelType;
  options: TrainingOptions;
  features: { name: string; type: string }[];
  label?: { name: string; type: string };
  iterations: IterationResult[];
  evaluationMetrics: Record<string, unknown>;
  startMs: number;
}): ModelResource {
  const now = String(Date.now());
  return {
    etag: newEtag(),
    modelReference: args.ref,
    creationTime: now,
    lastModifiedTime: now,
    modelType: REST_MODEL_TYPE[args.modelType],
    location: 'US',
    featureColumns: args.features.map(sqlField),
    ...(args.label
      ? { labelColumns: [sqlField({ name: `predicted_${args.label.name}`, type: args.label.type })] }
      : {}),
    trainingRuns: [
      {
        trainingOptions: restTrainingOptions(args.modelType, args.options),
        trainingStartTime: String(args.startMs),
        startTime: new Date(args.startMs).toISOString(),
        results: args.iterations,
        evaluationMetrics: args.evaluationMetrics,
      },
    ],
  };
}

const LIST_FIELDS = [
  'etag',
  'modelReference',
  'modelType',
  'creationTime',
  'lastModifiedTime',
  'labels',
  'location',
];

interface Params {
  projectId: string;
  datasetId: string;
  modelId?: string;
}

function send(reply: FastifyReply, err: unknown): FastifyReply {
  const e = asBigQueryError(err);
  return reply.code(e.code).send(e.toJSON());
}

/** Registers models.get/list/patch/delete on `scope` (paths relative to the API root). */
export function registerModelRoutes(scope: FastifyInstance, store: ModelStore, warehouse: Warehouse): void {
  const base = '/projects/:projectId/datasets/:datasetId/models';
  const checkDataset = async (p: Params) => {
    const conn = await warehouse.connect();
    try {
      if (!(await warehouse.hasDataset(conn, p.projectId, p.datasetId)))
        throw notFound('Dataset', `${p.projectId}:${p.datasetId}`);
    } finally {
      conn.closeSync();
    }
  };
  const ref = (p: Params): ModelRef => ({
    projectId: p.projectId,
    datasetId: p.datasetId,
    modelId: p.modelId!,
  });

  scope.get(base, async (req, reply) => {
    try {
      const p = req.params as Params;
      await checkDataset(p);
      const q = req.query as { maxResults?: string; pageToken?: string };
      const ids = store.list(p.projectId, p.datasetId);
      const start = q.pageToken ? Number(q.pageToken) : 0;
      if (!Number.isInteger(start) || start < 0 || start > ids.length)
        throw invalid(
          `pageToken ${JSON.stringify(q.pageToken)} is not valid; pass the nextPageToken of the previous page.`,
        );
      const max = q.maxResults === undefined ? 1000 : Number(q.maxResults);
      if (!Number.isInteger(max) || max < 0)
        throw invalid(`maxResults must be a non-negative integer; got ${q.maxResults}.`);
      const page = ids.slice(start, start + (max || 1000));
      const models = page.map((m) => {
        const r = store.resource({ ...ref(p), modelId: m });
        return Object.fromEntries(LIST_FIELDS.filter((f) => r[f] !== undefined).map((f) => [f, r[f]]));
      });
      const next = start + page.length < ids.length ? String(start + page.length) : undefined;
      return reply.send({ ...(models.length ? { models } : {}), ...(next ? { nextPageToken: next } : {}) });
    } catch (err) {
      return send(reply, err);
    }
  });

  scope.get(`${base}/:modelId`, async (req, reply) => {
    try {
      const p = req.params as Params;
      await checkDataset(p);
      return reply.send(store.resource(ref(p)));
    } catch (err) {
      return send(reply, err);
    }
  });

  scope.patch(`${base}/:modelId`, async (req, reply) => {
    try {
      const p = req.params as Params;
      await checkDataset(p);
      const resource = store.resource(ref(p));
      const body = (req.body ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(body)) {
        if (
          !['description', 'labels', 'expirationTime', 'friendlyName', 'etag', 'modelReference'].includes(key)
        )
          throw invalid(
            `Model field ${key} cannot be patched; patch description, friendlyName, labels or expirationTime.`,
          );
      }
      if (body.etag !== undefined && body.etag !== resource.etag)
        throw new BigQueryError(
          412,
          'conditionNotMet',
          'Precondition check failed: the etag does not match the model.',
        );
      for (const key of ['description', 'friendlyName', 'expirationTime'] as const) {
        if (key in body) {
          if (body[key] === null) delete resource[key];
          else resource[key] = String(body[key]);
        }
      }
      if ('labels' in body) {
        const labels = { ...((resource.labels as Record<string, string>) ?? {}) };
        for (const [k, v] of Object.entries((body.labels ?? {}) as Record<string, unknown>)) {
          if (v === null) delete labels[k];
          else labels[k] = String(v);
        }
        resource.labels = labels;
      }
      resource.etag = newEtag();
      resource.lastModifiedTime = String(Date.now());
      store.write(store.dir(ref(p)), resource);
      return reply.send(resource);
    } catch (err) {
      return send(reply, err);
    }
  });

  scope.delete(`${base}/:modelId`, async (req, reply) => {
    try {
      const p = req.params as Params;
      await checkDataset(p);
      if (!store.remove(ref(p))) throw notFound('Model', `${p.projectId}:${p.datasetId}.${p.modelId}`);
      return reply.code(204).send();
    } catch (err) {
      return send(reply, err);
    }
  });
}
