/**
 * Preconditions of the JSON API (`ifGenerationMatch` & co) and generation numbers.
 */
import { preconditionFailed } from './errors.ts';
import type { ObjectInfo } from './metadata.ts';

/** Preconditions of the JSON API (`ifGenerationMatch=0` means "only if the object does not exist"). */
export interface ObjectConditions {
  ifGenerationMatch?: string | number;
  ifGenerationNotMatch?: string | number;
  ifMetagenerationMatch?: string | number;
  ifMetagenerationNotMatch?: string | number;
}

let lastGeneration = 0n;

/** Generations are microsecond timestamps, strictly increasing within this process. */
export function nextGeneration(): string {
  const now = BigInt(Date.now()) * 1000n;
  lastGeneration = now > lastGeneration ? now : lastGeneration + 1n;
  return String(lastGeneration);
}

/** Throws a 412 when a precondition does not hold for the current object (`undefined`: none). */
export function checkConditions(
  bucket: string,
  name: string,
  current: ObjectInfo | undefined,
  c: ObjectConditions,
): void {
  const has = (v: string | number | undefined): v is string | number => v !== undefined && v !== '';
  if (has(c.ifGenerationMatch)) {
    const want = String(c.ifGenerationMatch);
    if (want === '0' ? current !== undefined : current?.generation !== want) {
      throw preconditionFailed(`ifGenerationMatch=${want} for ${bucket}/${name}`);
    }
  }
  if (has(c.ifGenerationNotMatch) && current?.generation === String(c.ifGenerationNotMatch)) {
    throw preconditionFailed(`ifGenerationNotMatch=${c.ifGenerationNotMatch} for ${bucket}/${name}`);
  }
  if (has(c.ifMetagenerationMatch) && current?.metageneration !== String(c.ifMetagenerationMatch)) {
    throw preconditionFailed(`ifMetagenerationMatch=${c.ifMetagenerationMatch} for ${bucket}/${name}`);
  }
  if (has(c.ifMetagenerationNotMatch) && current?.metageneration === String(c.ifMetagenerationNotMatch)) {
    throw preconditionFailed(`ifMetagenerationNotMatch=${c.ifMetagenerationNotMatch} for ${bucket}/${name}`);
  }
}
