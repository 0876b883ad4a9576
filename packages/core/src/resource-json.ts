/**
 * Turns a resource as the Google clients decode it (Timestamps and Durations as `{ seconds, nanos }`,
 * empty defaults everywhere) into readable JSON: times as RFC 3339 strings, durations as `"3600s"`, and
 * empty strings, lists, maps and nulls left out.
 */
export function toReadableJson(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => toReadableJson(v)).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value !== 'object') return value === '' ? undefined : value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== null && obj[k] !== undefined);
  if (keys.every((k) => k === 'seconds' || k === 'nanos') && 'seconds' in obj) {
    const seconds = Number(obj.seconds);
    const nanos = Number(obj.nanos ?? 0);
    if (/Time$/.test(key)) return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
    return `${seconds + nanos / 1e9}s`;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = toReadableJson(obj[k], k);
    if (
      v !== undefined &&
      !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
    )
      out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}
