import { ValidationError } from '@terra-vertex/core';

/** Commander helper for repeatable options. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `['A=1', 'B=x=y']` → `{ A: '1', B: 'x=y' }`, naming the flag when an entry is malformed. */
export function keyValues(list: string[] | undefined, flag: string): Record<string, string> {
  return Object.fromEntries(
    (list ?? []).map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0)
        throw new ValidationError(
          flag,
          `${JSON.stringify(kv)} is not KEY=VALUE`,
          `Write it as ${flag} NAME=value.`,
        );
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}
