/**
 * `google.cloud.aiplatform.v1.VizierService` on the emulator's search engine: studies, trials suggested in
 * batches (as long-running operations), measurements, completion, the median stopping rule and the optimal
 * trials. State lives in two stores: studies, and trials named `<study>/trials/<id>`.
 */

import { parameterMap } from '../runtime/trial-records.ts';
import type { ResourceStore } from '../state/resource-store.ts';
import { medianRuleStop, objectivePoints } from '../tuning/median-stopping.ts';
import type { SearchAlgorithm } from '../tuning/search.ts';
import type { SearchEngine } from '../tuning/search-engine.ts';
import {
  checkWithEngine,
  engineError,
  medianStopping,
  objective,
  studySpecErrors,
} from '../tuning/study-spec.ts';
import type { ServiceHandlers } from './dispatch.ts';
import { newId } from './ids.ts';
import { paginate } from './list-filter.ts';
import type { OperationStore } from './operations.ts';
import type { Json } from './protos.ts';
import { alreadyExists, notFound } from './rpc-error.ts';
import { byTrialId, completedTrial, OPEN_TRIAL_STATES, optimalTrials, requireOpen } from './vizier-trials.ts';

const V1 = 'google.cloud.aiplatform.v1.';

/** What the Vizier service works with. */
export interface VizierContext {
  studies: ResourceStore;
  trials: ResourceStore;
  ops: OperationStore;
  engine: SearchEngine;
}

export function vizierServiceHandlers(ctx: VizierContext): ServiceHandlers {
  const { studies, trials, ops, engine } = ctx;
  /** Suggestions of one study are made one batch at a time, so that trial ids and points never collide. */
  const queues = new Map<string, Promise<unknown>>();
  const study = (name: string): Json => {
    const s = studies.get(name);
    if (!s) throw notFound(`The Study does not exist: ${name}`);
    return s;
  };
  const trial = (name: string): Json => {
    const t = trials.get(name);
    if (!t) throw notFound(`The Trial does not exist: ${name}`);
    return t;
  };
  const trialsOf = (studyName: string) => trials.list(`${studyName}/trials/`).sort(byTrialId);
  const nextTrialName = (studyName: string) =>
    `${studyName}/trials/${trialsOf(studyName).reduce((m, t) => Math.max(m, Number(t.id)), 0) + 1}`;
  const saveTrial = (t: Json): Json => trials.put({ ...t, id: (t.name as string).split('/').pop() });

  const suggest = async (req: Json): Promise<Json> => {
    const s = study(req.parent as string);
    const spec = s.studySpec as Json;
    const { metricId, maximize } = objective(spec);
    const count = Number(req.suggestionCount);
    const clientId = req.clientId as string;
    const all = trialsOf(s.name as string);
    // The client's unfinished trials come back first, then trials requested with CreateTrial.
    const given = [
      ...all.filter((t) => t.state === 'ACTIVE' && t.clientId === clientId),
      ...all.filter((t) => t.state === 'REQUESTED'),
    ]
      .slice(0, count)
      .map((t) =>
        saveTrial({ ...t, state: 'ACTIVE', clientId, startTime: t.startTime ?? new Date().toISOString() }),
      );
    let studyState = s.state as string;
    if (given.length < count && studyState === 'ACTIVE') {
      const answer = await engine.suggest({
        algorithm: (spec.algorithm as SearchAlgorithm | undefined) ?? 'ALGORITHM_UNSPECIFIED',
        parameters: spec.parameters as never,
        metric: { metricId, goal: maximize ? 'MAXIMIZE' : 'MINIMIZE' },
        completed: all
          .filter((t) => t.state === 'SUCCEEDED')
          .flatMap((t) => {
            const v = ((t.finalMeasurement as Json).metrics as Json[]).find((m) => m.metricId === metricId);
            return v ? [{ parameters: parameterMap(t), value: Number(v.value) }] : [];
          }),
        pending: all
          .filter((t) => OPEN_TRIAL_STATES.has(t.state as string))
          .map((t) => ({ parameters: parameterMap(t) })),
        count: count - given.length,
        seed: all.length + 1,
      });
      for (const params of answer.suggestions) {
        given.push(
          saveTrial({
            name: nextTrialName(s.name as string),
            state: 'ACTIVE',
            parameters: Object.entries(params).map(([parameterId, value]) => ({ parameterId, value })),
            startTime: new Date().toISOString(),
            clientId,
          }),
        );
      }
      if (answer.exhausted && given.length < count) {
        studyState = 'COMPLETED';
        studies.update(s.name as string, (x) => Object.assign(x, { state: studyState }));
      }
    }
    return { trials: given, studyState };
  };

  return {
    CreateStudy: {
      validate: (req) =>
        studySpecErrors((req.study as Json | undefined)?.studySpec as Json | undefined, 'study.study_spec'),
      handle: async (req) => {
        const parent = req.parent as string;
        const s = req.study as Json;
        await checkWithEngine(engine, s.studySpec as Json, 'study.study_spec');
        if (studies.list(`${parent}/studies/`).some((x) => x.displayName === s.displayName))
          throw alreadyExists(
            `A study named ${JSON.stringify(s.displayName)} already exists in ${parent}; load it with LookupStudy.`,
          );
        return studies.put({
          name: `${parent}/studies/${newId()}`,
          displayName: s.displayName,
          studySpec: s.studySpec,
          state: 'ACTIVE',
          createTime: new Date().toISOString(),
        });
      },
    },
    GetStudy: (req) => study(req.name as string),
    ListStudies: (req) => {
      const { page, next } = paginate(
        studies.list(`${req.parent as string}/studies/`),
        req.pageSize,
        req.pageToken,
      );
      return next ? { studies: page, nextPageToken: next } : { studies: page };
    },
    DeleteStudy: (req) => {
      const s = study(req.name as string);
      for (const t of trialsOf(s.name as string)) trials.delete(t.name as string);
      studies.delete(s.name as string);
      return {};
    },
    LookupStudy: (req) => {
      const found = studies
        .list(`${req.parent as string}/studies/`)
        .find((s) => s.displayName === req.displayName);
      if (!found)
        throw notFound(`No study named ${JSON.stringify(req.displayName)} in ${req.parent as string}.`);
      return found;
    },
    SuggestTrials: (req) => {
      const s = study(req.parent as string);
      const op = ops.pending(s.name as string, `${V1}SuggestTrialsMetadata`, { clientId: req.clientId });
      const startTime = new Date().toISOString();
      const previous = queues.get(s.name as string) ?? Promise.resolve();
      const run = previous
        .then(() => suggest(req))
        .then(
          (response) =>
            ops.finish(op.name as string, {
              response: {
                type: `${V1}SuggestTrialsResponse`,
                value: { ...response, startTime, endTime: new Date().toISOString() },
              },
            }),
          (err: Error & { code?: number }) =>
            ops.finish(op.name as string, { error: { code: err.code ?? 13, message: err.message } }),
        );
      queues.set(s.name as string, run);
      return op;
    },
    CreateTrial: async (req) => {
      const s = study(req.parent as string);
      const t = req.trial as Json;
      await engine
        .suggest({
          algorithm: 'RANDOM_SEARCH',
          parameters: (s.studySpec as Json).parameters as never,
          pending: [{ parameters: parameterMap(t) }],
        })
        .catch((err: unknown) => {
          throw engineError(err, 'trial', (path) => path.replace(/^pending\[0\]\./, ''));
        });
      const done = Boolean(t.finalMeasurement);
      return saveTrial({
        name: nextTrialName(s.name as string),
        state: done ? 'SUCCEEDED' : 'REQUESTED',
        parameters: t.parameters,
        ...(t.measurements ? { measurements: t.measurements } : {}),
        ...(done ? { finalMeasurement: t.finalMeasurement, endTime: new Date().toISOString() } : {}),
      });
    },
    GetTrial: (req) => trial(req.name as string),
    ListTrials: (req) => {
      study(req.parent as string);
      const { page, next } = paginate(trialsOf(req.parent as string), req.pageSize, req.pageToken);
      return next ? { trials: page, nextPageToken: next } : { trials: page };
    },
    AddTrialMeasurement: (req) => {
      const t = trial(req.trialName as string);
      requireOpen(t, 'add a measurement to');
      return saveTrial({ ...t, measurements: [...((t.measurements as Json[]) ?? []), req.measurement] });
    },
    CompleteTrial: (req) => {
      const t = trial(req.name as string);
      const s = study(studyOf(t));
      return saveTrial(completedTrial(t, req, s.studySpec as Json));
    },
    DeleteTrial: (req) => {
      trials.delete(trial(req.name as string).name as string);
      return {};
    },
    StopTrial: (req) => {
      const t = trial(req.name as string);
      requireOpen(t, 'stop');
      return saveTrial({ ...t, state: 'STOPPING' });
    },
    CheckTrialEarlyStoppingState: (req) => {
      const t = trial(req.trialName as string);
      const s = study(studyOf(t));
      const spec = s.studySpec as Json;
      const rule = medianStopping(spec);
      let shouldStop = t.state === 'STOPPING';
      if (!shouldStop && rule && OPEN_TRIAL_STATES.has(t.state as string)) {
        const { metricId, maximize } = objective(spec);
        const completed = trialsOf(s.name as string)
          .filter((x) => x.state === 'SUCCEEDED')
          .map((x) => objectivePoints(x.measurements as Json[], metricId, rule.useElapsedDuration));
        const points = objectivePoints(t.measurements as Json[], metricId, rule.useElapsedDuration);
        shouldStop = medianRuleStop(points, completed, maximize) !== undefined;
        if (shouldStop) saveTrial({ ...t, state: 'STOPPING' });
      }
      const op = ops.pending(s.name as string, `${V1}CheckTrialEarlyStoppingStateMetatdata`, {
        study: s.name,
        trial: t.name,
      });
      ops.finish(op.name as string, {
        response: { type: `${V1}CheckTrialEarlyStoppingStateResponse`, value: { shouldStop } },
      });
      return ops.get(op.name as string);
    },
    ListOptimalTrials: (req) => {
      const s = study(req.parent as string);
      return { optimalTrials: optimalTrials(trialsOf(s.name as string), s.studySpec as Json) };
    },
  };
}

function studyOf(trial: Json): string {
  return (trial.name as string).split('/trials/')[0]!;
}
