import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEventFiles, isEventFileName, runIdFor } from './files.ts';

describe('event files and runs', () => {
  it('recognises event file names', () => {
    expect(isEventFileName('events.out.tfevents.1700000000.host.123.0')).toBe(true);
    expect(isEventFileName('events.out.tfevents.1700000000.host.123.0.v2')).toBe(true);
    expect(isEventFileName('checkpoint')).toBe(false);
    expect(isEventFileName('my.events.out.tfevents.1')).toBe(false);
  });

  it('finds event files recursively with their run folders, the root as ""', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tfevents-find-'));
    mkdirSync(join(root, 'train', 'eval'), { recursive: true });
    writeFileSync(join(root, 'events.out.tfevents.1.a'), '');
    writeFileSync(join(root, 'train', 'events.out.tfevents.2.a'), '');
    writeFileSync(join(root, 'train', 'eval', 'events.out.tfevents.3.a'), '');
    writeFileSync(join(root, 'train', 'notes.txt'), '');
    expect(await findEventFiles(root)).toEqual([
      { run: '', path: join(root, 'events.out.tfevents.1.a') },
      { run: 'train', path: join(root, 'train', 'events.out.tfevents.2.a') },
      { run: 'train/eval', path: join(root, 'train', 'eval', 'events.out.tfevents.3.a') },
    ]);
    expect(await findEventFiles(join(root, 'missing'))).toEqual([]);
  });

  it('names runs as the Vertex uploader does, within the TensorboardRun id alphabet', () => {
    expect(runIdFor('')).toBe('default');
    expect(runIdFor('.')).toBe('default');
    expect(runIdFor('train')).toBe('train');
    expect(runIdFor('train/eval_1')).toBe('train-eval-1');
    expect(runIdFor('./Train\\Eval/')).toBe('train-eval');
    expect(runIdFor('lr=0.1')).toBe('lr-0-1');
    expect(runIdFor('x'.repeat(200))).toHaveLength(128);
  });
});
