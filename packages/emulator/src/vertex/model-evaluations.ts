/**
 * Model evaluations (`ModelService` ListModelEvaluations, GetModelEvaluation, ImportModelEvaluation,
 * ListModelEvaluationSlices, GetModelEvaluationSlice, BatchImportModelEvaluationSlices). An evaluation
 * belongs to one model version: `models/{id}@{version}` lists that version's, `models/{id}` the default
 * version's. Names carry no version: `models/{id}/evaluations/{eid}[/slices/{sid}]`.
 */
import { ResourceStore } from '../state/resource-store.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { newId } from './ids.ts';
import { paginate } from './list-filter.ts';
import type { ModelRegistry } from './model-registry.ts';
import type { Json } from './protos.ts';
import { invalidArgument, notFound } from './rpc-error.ts';

const unversioned = (name: string) => name.replace(/@[^/]*/, '');

/** Evaluations (each kept with its model version) and their slices, under `<dataDir>/vertex/`. */
export class EvaluationStore {
  private readonly evaluations: ResourceStore;
  private readonly slices: ResourceStore;

  constructor(dataDir: string) {
    this.evaluations = new ResourceStore(dataDir, 'modelEvaluations');
    this.slices = new ResourceStore(dataDir, 'modelEvaluationSlices');
  }

  /** Stores an evaluation of `model` (a version as {@link ModelRegistry.get} returns it) and its slices. */
  add(model: Json, evaluation: Json, slices: { slice: Json; metrics: Json }[] = []): Json {
    const name = `${model.name as string}/evaluations/${newId()}`;
    const now = new Date().toISOString();
    const stored: Json = { ...evaluation, name, createTime: now };
    this.evaluations.put({ name, versionId: model.versionId, evaluation: stored });
    for (const s of slices) this.addSlice(name, s, now);
    return stored;
  }

  addSlice(evaluationName: string, slice: Json, now = new Date().toISOString()): Json {
    const evaluation = this.get(evaluationName)!;
    const stored: Json = {
      metricsSchemaUri: evaluation.metricsSchemaUri,
      ...slice,
      name: `${evaluationName}/slices/${newId()}`,
      createTime: now,
    };
    return this.slices.put(stored);
  }

  /** The evaluations of one model version (`model` as {@link ModelRegistry.get} returns it). */
  list(model: Json): Json[] {
    // A model deleted and made again under the same id must not inherit the old version's evaluations.
    const since = String(model.versionCreateTime ?? '');
    return this.evaluations
      .list(`${model.name as string}/evaluations/`)
      .filter((r) => r.versionId === model.versionId)
      .map((r) => r.evaluation as Json)
      .filter((e) => String(e.createTime) >= since);
  }

  get(name: string): Json | undefined {
    return this.evaluations.get(unversioned(name))?.evaluation as Json | undefined;
  }

  listSlices(evaluationName: string): Json[] {
    return this.slices.list(`${unversioned(evaluationName)}/slices/`);
  }

  getSlice(name: string): Json | undefined {
    return this.slices.get(unversioned(name));
  }

  /** Forgets everything (the admin reset). */
  clear(): void {
    this.evaluations.clear();
    this.slices.clear();
  }
}

/** `slice.dimension = "annotationSpec"` style filters on slices (the form the Python SDK and docs use). */
function sliceFilter(filter: unknown): (s: Json) => boolean {
  const text = String(filter ?? '').trim();
  if (!text) return () => true;
  const m = /^slice\.dimension\s*=\s*"?([\w-]+)"?$/.exec(text);
  if (!m)
    throw invalidArgument(
      `Unsupported filter ${JSON.stringify(text)}: the emulator filters slices by slice.dimension = "annotationSpec".`,
    );
  return (s) => (s.slice as Json | undefined)?.dimension === m[1];
}

/** The evaluation methods of `google.cloud.aiplatform.v1.ModelService` (merged into its handlers). */
export function modelEvaluationHandlers(models: ModelRegistry, store: EvaluationStore): ServiceHandlers {
  const evaluation = (name: string) => {
    const e = store.get(name);
    if (!e) throw notFound(`The ModelEvaluation does not exist: ${name}`);
    return e;
  };
  return {
    ListModelEvaluations: (req) => {
      const { page, next } = paginate(
        store.list(models.get(req.parent as string)),
        req.pageSize,
        req.pageToken,
      );
      return next ? { modelEvaluations: page, nextPageToken: next } : { modelEvaluations: page };
    },
    GetModelEvaluation: (req) => evaluation(req.name as string),
    ImportModelEvaluation: (req) => {
      const version = models.get(req.parent as string);
      const given = (req.modelEvaluation as Json | undefined) ?? {};
      return store.add(version, { ...given, name: undefined, createTime: undefined });
    },
    ListModelEvaluationSlices: (req) => {
      evaluation(req.parent as string);
      const all = store.listSlices(req.parent as string).filter(sliceFilter(req.filter));
      const { page, next } = paginate(all, req.pageSize, req.pageToken);
      return next ? { modelEvaluationSlices: page, nextPageToken: next } : { modelEvaluationSlices: page };
    },
    GetModelEvaluationSlice: (req) => {
      const s = store.getSlice(req.name as string);
      if (!s) throw notFound(`The ModelEvaluationSlice does not exist: ${req.name as string}`);
      return s;
    },
    BatchImportModelEvaluationSlices: (req) => {
      const parent = unversioned(req.parent as string);
      evaluation(parent);
      const added = ((req.modelEvaluationSlices as Json[] | undefined) ?? []).map((s) =>
        store.addSlice(parent, { ...s, name: undefined, createTime: undefined }),
      );
      return { importedModelEvaluationSlices: added.map((s) => s.name as string) };
    },
  };
}
