/** Traffic-split rules of endpoints, as Vertex checks them, and routing a request by the split. */
import type { Json } from './protos.ts';

/** Vertex-style `[field, message]` errors for a split given with a request. */
export function trafficSplitErrors(
  split: Record<string, number> | undefined,
  allowed: Set<string>,
  field: string,
): [string, string][] {
  if (!split || Object.keys(split).length === 0) return [];
  const errors: [string, string][] = [];
  let sum = 0;
  for (const [id, pct] of Object.entries(split)) {
    if (!allowed.has(id))
      errors.push([
        `${field}[${id}]`,
        `${id} is not a deployed model of this endpoint${allowed.has('0') ? ' (use "0" for the model being deployed)' : ''}.`,
      ]);
    if (!Number.isInteger(pct) || pct < 0 || pct > 100)
      errors.push([`${field}[${id}]`, `Percentages are integers from 0 to 100, got ${pct}.`]);
    sum += pct;
  }
  if (sum !== 100) errors.push([field, `The traffic split must sum to 100, got ${sum}.`]);
  return errors;
}

/** The deployed model a request goes to: drawn by the split's percentages. */
export function routeBySplit(endpoint: Json, draw = Math.random()): string | undefined {
  const split = Object.entries((endpoint.trafficSplit as Record<string, number> | undefined) ?? {}).filter(
    ([, pct]) => pct > 0,
  );
  const total = split.reduce((s, [, pct]) => s + pct, 0);
  let at = draw * total;
  for (const [id, pct] of split) {
    if (at < pct) return id;
    at -= pct;
  }
  return split.at(-1)?.[0];
}
