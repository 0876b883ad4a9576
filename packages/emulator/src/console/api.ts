import type { FastifyInstance } from 'fastify';
import type { Json } from '../vertex/protos.ts';
import { RpcError } from '../vertex/rpc-error.ts';
import type { ConsoleData } from './data.ts';
import { isTerminal, runDuration, stateLabel, stateTone } from './format.ts';
import { logLine } from './pages/logs.ts';
import { scalarSpecs } from './pages/tensorboards.ts';

/** The Get method of a resource whose state the log view shows, by collection. */
const GETTERS: Record<string, string> = {
  customJobs: 'JobService/GetCustomJob',
  trainingPipelines: 'PipelineService/GetTrainingPipeline',
  hyperparameterTuningJobs: 'JobService/GetHyperparameterTuningJob',
};

/** JSON routes of the console's live parts: logs, explanations, TensorBoard scalars. */
export function registerApi(http: FastifyInstance, data: ConsoleData): void {
  http.get<{ Params: { logId: string }; Querystring: { after?: string; name?: string } }>(
    '/console/api/logs/:logId',
    async (req, reply) => {
      const after = Math.max(0, Number(req.query.after ?? 0) || 0);
      const all = data.sources.logs.entries(req.params.logId);
      const out: Json = {
        entries: all.slice(after, after + 2000).map(logLine),
        next: Math.min(all.length, after + 2000),
      };
      const name = req.query.name;
      const getter = name ? GETTERS[name.split('/').at(-2) ?? ''] : undefined;
      if (name && getter) {
        try {
          const r = await data.call(getter, { name });
          out.state = {
            label: stateLabel(r.state),
            tone: stateTone(r.state),
            duration: runDuration(r.startTime, r.endTime),
          };
          out.terminal = isTerminal(r.state);
        } catch (err) {
          return reply
            .code(err instanceof RpcError && err.code === 5 ? 404 : 500)
            .send({ error: (err as Error).message });
        }
      }
      return out;
    },
  );

  http.post<{ Body: { endpoint?: string; deployedModelId?: string; instances?: unknown[] } }>(
    '/console/api/explain',
    async (req, reply) => {
      const { endpoint, deployedModelId, instances } = req.body ?? {};
      if (!endpoint || !Array.isArray(instances) || !instances.length)
        return reply
          .code(400)
          .send({ error: 'Send {"endpoint": "<resource name>", "instances": [<one instance>]}.' });
      try {
        return await data.call('PredictionService/Explain', {
          endpoint,
          instances,
          ...(deployedModelId ? { deployedModelId } : {}),
        });
      } catch (err) {
        return reply.code(err instanceof RpcError ? 400 : 500).send({ error: (err as Error).message });
      }
    },
  );

  http.get<{ Params: { tb: string; exp: string }; Querystring: { tag?: string } }>(
    '/console/api/tensorboards/:tb/experiments/:exp/scalars',
    async (req, reply) => {
      const tb = await data.find('TensorboardService/GetTensorboard', 'tensorboards', req.params.tb);
      if (!tb) return reply.code(404).send({ error: `No TensorBoard ${req.params.tb}` });
      const specs = await scalarSpecs(data, `${tb.name as string}/experiments/${req.params.exp}`);
      const spec = specs.get(req.query.tag ?? '');
      if (!spec)
        return reply.code(404).send({ error: `No scalar tag ${req.query.tag ?? ''} in this experiment` });
      return spec;
    },
  );
}
