import { createHash } from 'node:crypto';
import type { ServiceHandlers } from '../vertex/dispatch.ts';
import type { Json } from '../vertex/protos.ts';
import { invalidArgument } from '../vertex/rpc-error.ts';
import { parseFilter } from './filter.ts';
import { checkFilter, matches } from './filter-eval.ts';
import type { MetadataGraph } from './graph.ts';
import { storeOf } from './names.ts';

/** Default `max_hops` of QueryArtifactLineageSubgraph when it is unset or not positive. */
const DEFAULT_HOPS = 20;

/** Context links, execution events and the lineage queries over them. */
export function lineageHandlers(graph: MetadataGraph): ServiceHandlers {
  const eventsOf = (pred: (e: Json) => boolean) =>
    graph.events
      .list()
      .filter(pred)
      .sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)))
      .map(({ name: _, ...event }) => event);

  const subgraph = (artifacts: Set<string>, executions: Set<string>): Json => ({
    artifacts: [...artifacts].map((n) => graph.node('artifact', n)),
    executions: [...executions].map((n) => graph.node('execution', n)),
    events: eventsOf((e) => artifacts.has(e.artifact as string) && executions.has(e.execution as string)),
  });

  return {
    AddContextArtifactsAndExecutions: (req) => {
      const context = req.context as string;
      storeOf(context, 'context', 'context');
      graph.node('context', context);
      graph.attach(context, 'artifact', (req.artifacts as string[] | undefined) ?? []);
      graph.attach(context, 'execution', (req.executions as string[] | undefined) ?? []);
      return {};
    },
    AddContextChildren: (req) => {
      storeOf(req.context as string, 'context', 'context');
      graph.addChildren(req.context as string, (req.childContexts as string[] | undefined) ?? []);
      return {};
    },
    RemoveContextChildren: (req) => {
      storeOf(req.context as string, 'context', 'context');
      graph.removeChildren(req.context as string, (req.childContexts as string[] | undefined) ?? []);
      return {};
    },
    QueryContextLineageSubgraph: (req) => {
      const context = req.context as string;
      storeOf(context, 'context', 'context');
      graph.node('context', context);
      return subgraph(
        new Set(graph.members(context, 'artifact')),
        new Set(graph.members(context, 'execution')),
      );
    },
    AddExecutionEvents: (req) => {
      const execution = req.execution as string;
      storeOf(execution, 'execution', 'execution');
      graph.node('execution', execution);
      const events = (req.events as Json[] | undefined) ?? [];
      events.forEach((e, i) => {
        if (!e.artifact) throw invalidArgument(`events[${i}].artifact is required.`);
        if (e.type !== 'INPUT' && e.type !== 'OUTPUT')
          throw invalidArgument(`events[${i}].type must be INPUT or OUTPUT.`);
        graph.node('artifact', e.artifact as string);
      });
      for (const e of events) {
        const key = `event-${createHash('sha256')
          .update(`${execution}|${e.artifact as string}|${e.type as string}`)
          .digest('hex')
          .slice(0, 32)}`;
        if (graph.events.get(key)) continue;
        const event: Json = {
          name: key,
          artifact: e.artifact,
          execution,
          eventTime: new Date().toISOString(),
          type: e.type,
        };
        if (e.labels) event.labels = e.labels;
        graph.events.put(event);
      }
      return {};
    },
    QueryExecutionInputsAndOutputs: (req) => {
      const execution = req.execution as string;
      storeOf(execution, 'execution', 'execution');
      graph.node('execution', execution);
      const artifacts = new Set(eventsOf((e) => e.execution === execution).map((e) => e.artifact as string));
      return subgraph(artifacts, new Set([execution]));
    },
    QueryArtifactLineageSubgraph: (req) => {
      const start = req.artifact as string;
      storeOf(start, 'artifact', 'artifact');
      graph.node('artifact', start);
      const hops = Number(req.maxHops ?? 0) > 0 ? Number(req.maxHops) : DEFAULT_HOPS;
      const tree = parseFilter((req.filter as string | undefined) ?? '');
      checkFilter(tree, 'artifact');
      const artifacts = new Set([start]);
      const executions = new Set<string>();
      let frontier = [start];
      for (let hop = 0; hop < hops && frontier.length; hop++) {
        const found: string[] = [];
        for (const n of frontier) {
          const isArtifact = n.includes('/artifacts/');
          for (const e of eventsOf((x) => (isArtifact ? x.artifact === n : x.execution === n))) {
            const other = (isArtifact ? e.execution : e.artifact) as string;
            const seen = isArtifact ? executions : artifacts;
            if (seen.has(other)) continue;
            if (!isArtifact && !matches(tree, graph.node('artifact', other), 'artifact', graph)) continue;
            seen.add(other);
            found.push(other);
          }
        }
        frontier = found;
      }
      return subgraph(artifacts, executions);
    },
  };
}
