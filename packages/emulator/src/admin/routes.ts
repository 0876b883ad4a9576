import type { FastifyInstance } from 'fastify';
import type { RequestLog } from './request-log.ts';

/** What the admin routes need from the running emulator. */
export interface AdminHooks {
  info: () => Record<string, unknown>;
  reset: () => Promise<void>;
  shutdown: () => Promise<void>;
}

/**
 * The emulator's own HTTP API under `/_emulator/`: health, the request log (every call with its body,
 * for tests that assert what was sent), reset and shutdown.
 */
export function registerAdminRoutes(app: FastifyInstance, log: RequestLog, hooks: AdminHooks): void {
  app.get('/_emulator/health', async () => ({ status: 'ok', ...hooks.info() }));
  app.get('/_emulator/v1/requests', async (req) => {
    const q = req.query as { since?: string; method?: string };
    return { requests: log.query({ since: q.since ? Number(q.since) : undefined, method: q.method }) };
  });
  app.delete('/_emulator/v1/requests', async () => {
    log.clear();
    return {};
  });
  app.post('/_emulator/v1/reset', async () => {
    await hooks.reset();
    return {};
  });
  app.post('/_emulator/v1/shutdown', async (_req, reply) => {
    await reply.send({});
    setImmediate(() => void hooks.shutdown());
  });
}
