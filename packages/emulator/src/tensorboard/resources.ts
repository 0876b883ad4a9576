import { randomUUID } from 'node:crypto';
import { ResourceStore } from '../state/resource-store.ts';
import { newId } from '../vertex/ids.ts';
import type { Json } from '../vertex/protos.ts';
import { alreadyExists, invalidArgument, notFound } from '../vertex/rpc-error.ts';
import { TimeSeriesDataStore } from './data-store.ts';
import { checkId, parentOf } from './names.ts';

const VALUE_TYPES = new Set(['SCALAR', 'TENSOR', 'BLOB_SEQUENCE']);
const OUTPUT_ONLY = [
  'name',
  'createTime',
  'updateTime',
  'runCount',
  'blobStoragePathPrefix',
  'metadata',
  'satisfiesPzs',
  'satisfiesPzi',
];

/**
 * Tensorboards, their experiments, runs and time series (one ResourceStore each, so they survive restarts)
 * and the time series' data points. Parents must exist; deleting a resource deletes everything under it.
 */
export class TensorboardResources {
  readonly tensorboards: ResourceStore;
  readonly experiments: ResourceStore;
  readonly runs: ResourceStore;
  readonly timeSeries: ResourceStore;
  readonly data: TimeSeriesDataStore;

  constructor(dataDir: string) {
    this.tensorboards = new ResourceStore(dataDir, 'tensorboards');
    this.experiments = new ResourceStore(dataDir, 'tensorboardExperiments');
    this.runs = new ResourceStore(dataDir, 'tensorboardRuns');
    this.timeSeries = new ResourceStore(dataDir, 'tensorboardTimeSeries');
    this.data = new TimeSeriesDataStore(dataDir);
  }

  /** The tensorboard as served: with its live `runCount`. */
  tensorboard(name: string): Json {
    const tb = this.tensorboards.get(name);
    if (!tb) throw notFound(`Tensorboard ${name} not found.`);
    return { ...tb, runCount: this.runs.list(`${name}/`).length };
  }

  experiment(name: string): Json {
    const e = this.experiments.get(name);
    if (!e) throw notFound(`TensorboardExperiment ${name} not found.`);
    return e;
  }

  run(name: string): Json {
    const r = this.runs.get(name);
    if (!r) throw notFound(`TensorboardRun ${name} not found.`);
    return r;
  }

  series(name: string): Json {
    const t = this.timeSeries.get(name);
    if (!t) throw notFound(`TensorboardTimeSeries ${name} not found.`);
    return t;
  }

  createTensorboard(parent: string, body: Json): Json {
    const name = `${parent}/tensorboards/${newId()}`;
    const tb = this.tensorboards.put({
      ...stamp(body),
      name,
      // Vertex answers with a bucket of its own project (no gs://, no trailing '/').
      blobStoragePathPrefix: `cloud-ai-platform-${randomUUID()}`,
    });
    if (tb.isDefault) this.makeDefault(name);
    return this.tensorboard(name);
  }

  /** At most one default tensorboard per project and location: this one. */
  makeDefault(name: string): void {
    for (const other of this.tensorboards.list(`${parentOf(name)}/tensorboards/`))
      if (other.name !== name && other.isDefault)
        this.tensorboards.update(other.name as string, (t) => {
          delete t.isDefault;
          t.updateTime = new Date().toISOString();
        });
  }

  createExperiment(parent: string, id: unknown, body: Json = {}): Json {
    this.tensorboard(parent);
    const name = `${parent}/experiments/${checkId('tensorboard_experiment_id', id, 'experiment')}`;
    if (this.experiments.get(name)) throw alreadyExists(`TensorboardExperiment ${name} already exists.`);
    return this.experiments.put({ ...stamp(body), name });
  }

  /** Checks a new run (parent, id, unique id and display name) without creating it; returns its name. */
  checkRun(parent: string, id: unknown, body: Json, pending: Json[] = []): string {
    this.experiment(parent);
    const name = `${parent}/runs/${checkId('tensorboard_run_id', id, 'run')}`;
    const siblings = [...this.runs.list(`${parent}/runs/`), ...pending];
    if (siblings.some((r) => r.name === name)) throw alreadyExists(`TensorboardRun ${name} already exists.`);
    // The Vertex uploader recognises this case by INVALID_ARGUMENT with "already exist" in the message.
    if (siblings.some((r) => r.displayName === body.displayName))
      throw invalidArgument(
        `A TensorboardRun with display name ${JSON.stringify(body.displayName)} already exists in ${parent}.`,
      );
    return name;
  }

  createRun(parent: string, id: unknown, body: Json): Json {
    return this.runs.put({ ...stamp(body), name: this.checkRun(parent, id, body) });
  }

  /** Checks a new time series; returns its name (a fresh id unless one is given). */
  checkTimeSeries(parent: string, id: unknown, body: Json, pending: Json[] = []): string {
    this.run(parent);
    if (!VALUE_TYPES.has(body.valueType as string))
      throw invalidArgument(
        `tensorboard_time_series.value_type ${JSON.stringify(body.valueType ?? 'VALUE_TYPE_UNSPECIFIED')} is not valid: use SCALAR, TENSOR or BLOB_SEQUENCE.`,
      );
    const name = `${parent}/timeSeries/${id ? checkId('tensorboard_time_series_id', id, 'timeSeries') : newId()}`;
    const siblings = [...this.timeSeries.list(`${parent}/timeSeries/`), ...pending];
    if (siblings.some((t) => t.name === name))
      throw alreadyExists(`TensorboardTimeSeries ${name} already exists.`);
    if (siblings.some((t) => t.displayName === body.displayName))
      throw invalidArgument(
        `A TensorboardTimeSeries with display name ${JSON.stringify(body.displayName)} already exists in ${parent}.`,
      );
    return name;
  }

  createTimeSeries(parent: string, id: unknown, body: Json): Json {
    return this.timeSeries.put({ ...stamp(body), name: this.checkTimeSeries(parent, id, body) });
  }

  /** Appends data points to a time series and updates its `metadata` (max step, max wall time). */
  appendPoints(timeSeries: string, points: Json[]): void {
    if (points.length === 0) return;
    this.data.append(timeSeries, points);
    this.timeSeries.update(timeSeries, (t) => {
      const meta = (t.metadata as Json | undefined) ?? {};
      const maxStep = Math.max(Number(meta.maxStep ?? 0), ...points.map((p) => Number(p.step ?? 0)));
      const walls = points.map((p) => p.wallTime as string | undefined).filter((w): w is string => !!w);
      const maxWall = [meta.maxWallTime as string | undefined, ...walls].filter(Boolean).sort().pop();
      t.metadata = { ...meta, maxStep: String(maxStep), ...(maxWall ? { maxWallTime: maxWall } : {}) };
      t.updateTime = new Date().toISOString();
    });
  }

  /** Deletes a resource and everything under it (experiments, runs, time series, data). */
  delete(name: string): void {
    for (const store of [this.tensorboards, this.experiments, this.runs, this.timeSeries]) {
      store.delete(name);
      for (const child of store.list(`${name}/`)) store.delete(child.name as string);
    }
    this.data.remove(name);
  }

  names(): string[] {
    return [this.tensorboards, this.experiments, this.runs, this.timeSeries].flatMap((s) =>
      s.list().map((r) => r.name as string),
    );
  }

  clear(): void {
    for (const store of [this.tensorboards, this.experiments, this.runs, this.timeSeries]) store.clear();
    this.data.clear();
  }
}

/** A new resource body: without output-only fields, with create and update times. */
function stamp(body: Json): Json {
  const now = new Date().toISOString();
  const copy: Json = { ...body };
  for (const f of OUTPUT_ONLY) delete copy[f];
  return { ...copy, createTime: now, updateTime: now };
}
