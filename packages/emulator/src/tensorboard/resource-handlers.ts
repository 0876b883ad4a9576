import type { ServiceHandlers } from '../vertex/dispatch.ts';
import type { OperationStore } from '../vertex/operations.ts';
import type { Json } from '../vertex/protos.ts';
import { invalidArgument } from '../vertex/rpc-error.ts';
import { applyMask, listPage } from './listing.ts';
import { checkName, parentOf } from './names.ts';
import type { TensorboardResources } from './resources.ts';

const V1 = 'google.cloud.aiplatform.v1.';
const EMPTY = { type: 'google.protobuf.Empty', value: {} };
const UPDATABLE = ['displayName', 'description', 'labels'];
/** Page sizes from tensorboard_service.proto: tensorboards up to 100, the others 50 by default, up to 1000. */
const TB_PAGES = { default: 100, max: 100 };
const PAGES = { default: 50, max: 1000 };

/** Create, get, list, update and delete of tensorboards, experiments, runs and time series. */
export function resourceHandlers(res: TensorboardResources, ops: OperationStore): ServiceHandlers {
  const deleted = (name: string) => {
    res.delete(name);
    return ops.completed(name, `${V1}DeleteOperationMetadata`, EMPTY);
  };
  const page = (key: string, all: Json[], req: Json, sizes = PAGES) => {
    const { page: items, next } = listPage(all, req, sizes);
    return next ? { [key]: items, nextPageToken: next } : { [key]: items };
  };
  return {
    CreateTensorboard: (req) => {
      const tb = res.createTensorboard(checkName('parent', req.parent, 'location'), req.tensorboard as Json);
      return ops.completed(tb.name as string, `${V1}CreateTensorboardOperationMetadata`, {
        type: `${V1}Tensorboard`,
        value: tb,
      });
    },
    GetTensorboard: (req) => res.tensorboard(checkName('name', req.name, 'tensorboard')),
    ListTensorboards: (req) => {
      const parent = checkName('parent', req.parent, 'location');
      const all = res.tensorboards
        .list(`${parent}/tensorboards/`)
        .map((t) => res.tensorboard(t.name as string));
      return page('tensorboards', all, req, TB_PAGES);
    },
    UpdateTensorboard: (req) => {
      const change = req.tensorboard as Json;
      const name = checkName('tensorboard.name', change.name, 'tensorboard');
      const next = applyMask(res.tensorboard(name), change, req.updateMask, [...UPDATABLE, 'isDefault']);
      delete next.runCount;
      if (!next.isDefault) delete next.isDefault;
      res.tensorboards.put(next);
      if (next.isDefault) res.makeDefault(name);
      return ops.completed(name, `${V1}UpdateTensorboardOperationMetadata`, {
        type: `${V1}Tensorboard`,
        value: res.tensorboard(name),
      });
    },
    DeleteTensorboard: (req) => {
      res.tensorboard(checkName('name', req.name, 'tensorboard'));
      return deleted(req.name as string);
    },

    CreateTensorboardExperiment: (req) =>
      res.createExperiment(
        checkName('parent', req.parent, 'tensorboard'),
        req.tensorboardExperimentId,
        (req.tensorboardExperiment as Json | undefined) ?? {},
      ),
    GetTensorboardExperiment: (req) => res.experiment(checkName('name', req.name, 'experiment')),
    ListTensorboardExperiments: (req) => {
      const parent = checkName('parent', req.parent, 'tensorboard');
      res.tensorboard(parent);
      return page('tensorboardExperiments', res.experiments.list(`${parent}/experiments/`), req);
    },
    UpdateTensorboardExperiment: (req) => {
      const change = req.tensorboardExperiment as Json;
      const name = checkName('tensorboard_experiment.name', change.name, 'experiment');
      return res.experiments.put(applyMask(res.experiment(name), change, req.updateMask, UPDATABLE));
    },
    DeleteTensorboardExperiment: (req) => {
      res.experiment(checkName('name', req.name, 'experiment'));
      return deleted(req.name as string);
    },

    CreateTensorboardRun: (req) =>
      res.createRun(
        checkName('parent', req.parent, 'experiment'),
        req.tensorboardRunId,
        req.tensorboardRun as Json,
      ),
    BatchCreateTensorboardRuns: (req) => {
      const parent = checkName('parent', req.parent, 'experiment');
      const requests = req.requests as Json[];
      if (requests.length > 1000) throw invalidArgument('requests: at most 1000 TensorboardRuns per batch.');
      const pending: Json[] = [];
      requests.forEach((r, i) => {
        if (r.parent && r.parent !== parent)
          throw invalidArgument(`requests[${i}].parent ${JSON.stringify(r.parent)} must be ${parent}.`);
        const body = (r.tensorboardRun as Json | undefined) ?? {};
        if (!body.displayName)
          throw invalidArgument(`requests[${i}].tensorboard_run.display_name is required.`);
        pending.push({ ...body, name: res.checkRun(parent, r.tensorboardRunId, body, pending) });
      });
      return {
        tensorboardRuns: pending.map(({ name, ...body }) =>
          res.createRun(parent, (name as string).split('/').pop(), body),
        ),
      };
    },
    GetTensorboardRun: (req) => res.run(checkName('name', req.name, 'run')),
    ListTensorboardRuns: (req) => {
      const parent = checkName('parent', req.parent, 'experiment');
      res.experiment(parent);
      return page('tensorboardRuns', res.runs.list(`${parent}/runs/`), req);
    },
    UpdateTensorboardRun: (req) => {
      const change = req.tensorboardRun as Json;
      const name = checkName('tensorboard_run.name', change.name, 'run');
      const next = applyMask(res.run(name), change, req.updateMask, UPDATABLE);
      const clash = res.runs
        .list(`${parentOf(name)}/runs/`)
        .some((r) => r.name !== name && r.displayName === next.displayName);
      if (clash)
        throw invalidArgument(
          `A TensorboardRun with display name ${JSON.stringify(next.displayName)} already exists.`,
        );
      return res.runs.put(next);
    },
    DeleteTensorboardRun: (req) => {
      res.run(checkName('name', req.name, 'run'));
      return deleted(req.name as string);
    },

    CreateTensorboardTimeSeries: (req) =>
      res.createTimeSeries(
        checkName('parent', req.parent, 'run'),
        req.tensorboardTimeSeriesId,
        req.tensorboardTimeSeries as Json,
      ),
    BatchCreateTensorboardTimeSeries: (req) => {
      const experiment = checkName('parent', req.parent, 'experiment');
      res.experiment(experiment);
      const requests = req.requests as Json[];
      if (requests.length > 1000)
        throw invalidArgument('requests: at most 1000 TensorboardTimeSeries per batch.');
      const pending: Json[] = [];
      requests.forEach((r, i) => {
        const parent = checkName(`requests[${i}].parent`, r.parent, 'run');
        if (!parent.startsWith(`${experiment}/runs/`))
          throw invalidArgument(`requests[${i}].parent ${parent} is not a run of ${experiment}.`);
        const body = (r.tensorboardTimeSeries as Json | undefined) ?? {};
        if (!body.displayName)
          throw invalidArgument(`requests[${i}].tensorboard_time_series.display_name is required.`);
        const sameRun = pending.filter((p) => parentOf(p.name as string) === parent);
        pending.push({
          ...body,
          name: res.checkTimeSeries(parent, r.tensorboardTimeSeriesId, body, sameRun),
        });
      });
      return {
        tensorboardTimeSeries: pending.map(({ name, ...body }) =>
          res.createTimeSeries(parentOf(name as string), (name as string).split('/').pop(), body),
        ),
      };
    },
    GetTensorboardTimeSeries: (req) => res.series(checkName('name', req.name, 'timeSeries')),
    ListTensorboardTimeSeries: (req) => {
      const parent = checkName('parent', req.parent, 'run');
      res.run(parent);
      return page('tensorboardTimeSeries', res.timeSeries.list(`${parent}/timeSeries/`), req);
    },
    UpdateTensorboardTimeSeries: (req) => {
      const change = req.tensorboardTimeSeries as Json;
      const name = checkName('tensorboard_time_series.name', change.name, 'timeSeries');
      return res.timeSeries.put(
        applyMask(res.series(name), change, req.updateMask, ['displayName', 'description', 'pluginData']),
      );
    },
    DeleteTensorboardTimeSeries: (req) => {
      res.series(checkName('name', req.name, 'timeSeries'));
      return deleted(req.name as string);
    },
  };
}
