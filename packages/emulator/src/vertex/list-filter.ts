import type { Json } from './protos.ts';
import { invalidArgument } from './rpc-error.ts';

const CLAUSE = /^\s*([\w.]+)\s*(=|!=)\s*"([^"]*)"\s*$/;

/** Vertex list filters the emulator understands: `display_name="x" AND state="JOB_STATE_RUNNING" AND labels.k="v"`. */
export function matchesFilter(resource: Json, filter: string | undefined): boolean {
  if (!filter?.trim()) return true;
  return filter.split(/\s+AND\s+/i).every((clause) => {
    const m = CLAUSE.exec(clause);
    if (!m) {
      throw invalidArgument(
        `Unsupported filter ${JSON.stringify(clause)}: the emulator takes display_name, state and labels.<key> with = or !=, joined by AND.`,
      );
    }
    const [, key, op, want] = m as unknown as [string, string, string, string];
    const actual = fieldValue(resource, key);
    return op === '=' ? actual === want : actual !== want;
  });
}

function fieldValue(resource: Json, key: string): string | undefined {
  if (key === 'display_name' || key === 'displayName') return resource.displayName as string | undefined;
  if (key === 'state') return resource.state as string | undefined;
  if (key.startsWith('labels.'))
    return (resource.labels as Record<string, string> | undefined)?.[key.slice(7)];
  throw invalidArgument(
    `Unsupported filter field ${JSON.stringify(key)}: use display_name, state or labels.<key>.`,
  );
}

/** Sorts newest first and cuts one page; the page token is the offset. */
export function paginate<T extends Json>(
  items: T[],
  pageSize: unknown,
  pageToken: unknown,
): { page: T[]; next?: string } {
  const sorted = [...items].sort((a, b) => String(b.createTime).localeCompare(String(a.createTime)));
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw invalidArgument(`page_token ${JSON.stringify(pageToken)} is not valid.`);
  const size = Number(pageSize) > 0 ? Math.min(Number(pageSize), 1000) : 100;
  const page = sorted.slice(start, start + size);
  return start + size < sorted.length ? { page, next: String(start + size) } : { page };
}
