import type { FastifyInstance } from 'fastify';
import { type LogEntry, type LogStore, parseLogFilter } from './log-store.ts';

interface ListBody {
  resourceNames?: string[];
  filter?: string;
  orderBy?: string;
  pageSize?: number;
  pageToken?: string;
}

/** Cloud Logging REST `POST /v2/entries:list`, enough to read Vertex AI job logs. */
export function registerLoggingRoutes(app: FastifyInstance, logs: LogStore): void {
  app.post('/v2/entries::list', async (req, reply) => {
    const body = (req.body ?? {}) as ListBody;
    let entries: LogEntry[];
    try {
      entries = logs.query(parseLogFilter(body.filter ?? ''));
    } catch (err) {
      return reply
        .code(400)
        .send({ error: { code: 400, status: 'INVALID_ARGUMENT', message: (err as Error).message } });
    }
    if (body.orderBy?.trim().toLowerCase() === 'timestamp desc') entries = [...entries].reverse();
    const start = body.pageToken ? Number(body.pageToken) : 0;
    const size = Math.min(Math.max(body.pageSize ?? 1000, 1), 1000);
    const page = entries.slice(start, start + size);
    const next = start + size < entries.length ? String(start + size) : undefined;
    return next ? { entries: page, nextPageToken: next } : { entries: page };
  });
}
