import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../vertex/protos.ts';

/**
 * Resources of one collection (custom jobs, operations …) kept in memory and written through to one JSON
 * file each under `<dataDir>/vertex/<collection>/`, so that every resource survives a restart.
 */
export class ResourceStore<T extends Json = Json> {
  private readonly dir: string;
  private readonly items = new Map<string, T>();

  constructor(dataDir: string, collection: string) {
    this.dir = join(dataDir, 'vertex', collection);
    mkdirSync(this.dir, { recursive: true });
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue;
      const item = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as { name: string } & T;
      this.items.set(item.name, item);
    }
  }

  get(name: string): T | undefined {
    return this.items.get(name);
  }

  /** Every resource whose name starts with `prefix` (a parent). */
  list(prefix = ''): T[] {
    return [...this.items.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
  }

  /** Stores a resource (which must have a `name`) and writes it to disk atomically. */
  put(item: T): T {
    const name = item.name as string;
    this.items.set(name, item);
    const file = join(this.dir, `${fileKey(name)}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(item, null, 2));
    renameSync(tmp, file);
    return item;
  }

  /** Applies `change` to a stored resource and saves it. */
  update(name: string, change: (item: T) => void): T | undefined {
    const item = this.items.get(name);
    if (!item) return undefined;
    change(item);
    return this.put(item);
  }

  delete(name: string): boolean {
    rmSync(join(this.dir, `${fileKey(name)}.json`), { force: true });
    return this.items.delete(name);
  }

  clear(): void {
    for (const name of [...this.items.keys()]) this.delete(name);
  }
}

function fileKey(name: string): string {
  return encodeURIComponent(name);
}
