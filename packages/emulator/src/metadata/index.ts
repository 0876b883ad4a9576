import type { ServiceHandlers } from '../vertex/dispatch.ts';
import type { OperationStore } from '../vertex/operations.ts';
import { MetadataGraph } from './graph.ts';
import { lineageHandlers } from './lineage.ts';
import { nodeHandlers } from './nodes.ts';
import { storeHandlers } from './stores.ts';

/** What the MetadataService needs from the rest of the emulator. */
export interface MetadataContext {
  dataDir: string;
  ops: OperationStore;
}

/** The local MetadataService (Vertex ML Metadata: stores, contexts, executions, artifacts). */
export interface LocalMetadata {
  handlers: ServiceHandlers;
  /** Names of every stored resource (the console finds projects and locations in them). */
  resourceNames(): string[];
  /** Forgets every metadata store (admin reset). */
  clear(): void;
}

/**
 * Starts the local MetadataService: stores (`default` is created on first use, as on Vertex), contexts,
 * executions and artifacts with AIP-160 list filters, context links, events and lineage queries. Vertex AI
 * Experiments are built on it (`system.Experiment` and `system.ExperimentRun` contexts).
 */
export function startLocalMetadata(ctx: MetadataContext): LocalMetadata {
  const graph = new MetadataGraph(ctx.dataDir);
  return {
    handlers: {
      ...storeHandlers(graph, ctx.ops),
      ...nodeHandlers('context', graph, ctx.ops),
      ...nodeHandlers('execution', graph, ctx.ops),
      ...nodeHandlers('artifact', graph, ctx.ops),
      ...lineageHandlers(graph),
    },
    resourceNames: () => graph.resourceNames(),
    clear: () => graph.clear(),
  };
}
