import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Json } from '../vertex/protos.ts';

/**
 * Data points of time series, one JSONL file per time series under `<dataDir>/tensorboard-data/`, appended
 * as they are written (so they survive restarts), and cached in memory once read.
 */
export class TimeSeriesDataStore {
  private readonly root: string;
  private readonly cache = new Map<string, Json[]>();

  constructor(dataDir: string) {
    this.root = join(dataDir, 'tensorboard-data');
  }

  /** Appends points (`TimeSeriesDataPoint` JSON) to a time series. */
  append(timeSeries: string, points: Json[]): void {
    if (points.length === 0) return;
    const file = this.file(timeSeries);
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, points.map((p) => `${JSON.stringify(p)}\n`).join(''));
    this.cache.get(timeSeries)?.push(...points);
  }

  /** The points of a time series by step, ascending; a later write to a step replaces the earlier one. */
  read(timeSeries: string): Json[] {
    let all = this.cache.get(timeSeries);
    if (!all) {
      const file = this.file(timeSeries);
      all = existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Json)
        : [];
      this.cache.set(timeSeries, all);
    }
    const byStep = new Map<string, Json>();
    for (const p of all) byStep.set(String(p.step ?? '0'), p);
    return [...byStep.values()].sort((a, b) => Number(a.step ?? 0) - Number(b.step ?? 0));
  }

  /** Bytes stored for every time series under a resource (a tensorboard, experiment …). */
  size(resource: string): number {
    const dir = this.dir(resource);
    if (!existsSync(dir)) return 0;
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .reduce((total, e) => total + statSync(join(e.parentPath, e.name)).size, 0);
  }

  /** Forgets the data of a resource and of everything under it. */
  remove(resource: string): void {
    rmSync(this.dir(resource), { recursive: true, force: true });
    rmSync(this.file(resource), { force: true });
    for (const key of [...this.cache.keys()])
      if (key === resource || key.startsWith(`${resource}/`)) this.cache.delete(key);
  }

  clear(): void {
    rmSync(this.root, { recursive: true, force: true });
    this.cache.clear();
  }

  private dir(name: string): string {
    return join(this.root, ...name.split('/').map(segment));
  }

  private file(name: string): string {
    return `${this.dir(name)}.jsonl`;
  }
}

/** A path segment that cannot climb out of the store (`..`) whatever a client sent as project or location. */
function segment(s: string): string {
  return encodeURIComponent(s).replace(/\./g, '%2E');
}
