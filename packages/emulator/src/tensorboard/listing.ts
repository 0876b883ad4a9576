import { matchesFilter } from '../vertex/list-filter.ts';
import type { Json } from '../vertex/protos.ts';
import { invalidArgument } from '../vertex/rpc-error.ts';
import { snake } from '../vertex/validate.ts';

const IS_DEFAULT = /^\s*is_default\s*=\s*"?(true|false)"?\s*$/i;
const ORDER = /^\s*(display_name|create_time|update_time)(\s+(asc|desc))?\s*$/i;
const CAMEL: Record<string, string> = {
  display_name: 'displayName',
  create_time: 'createTime',
  update_time: 'updateTime',
};

/**
 * One page of a TensorboardService list: filtered like the other services (`display_name`, `labels.<key>`,
 * joined by AND) plus `is_default=true` (what the Python SDK sends to find the default tensorboard), ordered
 * by `order_by` (`display_name`, `create_time` or `update_time`, optionally `desc`; default: newest first).
 */
export function listPage(
  items: Json[],
  req: Json,
  sizes: { default: number; max: number },
): { page: Json[]; next?: string } {
  const clauses = ((req.filter as string | undefined) ?? '').split(/\s+AND\s+/i).filter((c) => c.trim());
  const filtered = items.filter((item) =>
    clauses.every((clause) => {
      const d = IS_DEFAULT.exec(clause);
      if (d) return Boolean(item.isDefault) === (d[1]!.toLowerCase() === 'true');
      return matchesFilter(item, clause);
    }),
  );
  const sorted = order(filtered, req.orderBy as string | undefined);
  const start = req.pageToken ? Number(req.pageToken) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw invalidArgument(`page_token ${JSON.stringify(req.pageToken)} is not valid.`);
  const size = Number(req.pageSize) > 0 ? Math.min(Number(req.pageSize), sizes.max) : sizes.default;
  const page = sorted.slice(start, start + size);
  return start + size < sorted.length ? { page, next: String(start + size) } : { page };
}

function order(items: Json[], orderBy: string | undefined): Json[] {
  if (!orderBy?.trim())
    return [...items].sort((a, b) => String(b.createTime).localeCompare(String(a.createTime)));
  const m = ORDER.exec(orderBy);
  if (!m)
    throw invalidArgument(
      `order_by ${JSON.stringify(orderBy)} is not supported: use display_name, create_time or update_time, optionally followed by desc.`,
    );
  const key = CAMEL[m[1]!.toLowerCase()]!;
  const sign = m[3]?.toLowerCase() === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => sign * String(a[key] ?? '').localeCompare(String(b[key] ?? '')));
}

/** Applies an update mask (snake_case or camelCase paths; empty: every updatable field given) to `current`. */
export function applyMask(current: Json, change: Json, mask: unknown, updatable: string[]): Json {
  const raw =
    typeof mask === 'string' ? mask.split(',') : (((mask as Json | undefined)?.paths as string[]) ?? []);
  const paths = raw
    .map((p) => p.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))
    .filter(Boolean);
  const fields = paths.length ? paths : updatable.filter((f) => f in change);
  const next: Json = { ...current };
  for (const f of fields) {
    if (!updatable.includes(f))
      throw invalidArgument(
        `update_mask path ${JSON.stringify(snake(f))} cannot be updated: the updatable fields are ${updatable.map(snake).join(', ')}.`,
      );
    if (change[f] === undefined) delete next[f];
    else next[f] = change[f];
  }
  next.updateTime = new Date().toISOString();
  return next;
}
