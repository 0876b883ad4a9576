/** Test helpers: generate a trainer into a temp dir, run real Python, read TensorBoard event files. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { TrainerOptions } from '../src/index.ts';
import { writeTrainer } from '../src/index.ts';

/** Debian's Python with torch, sklearn and xgboost (or TVX_PYTHON). */
export const PYTHON = process.env.TVX_PYTHON ?? '/usr/bin/python3';

/** Whether `import <module>` works in {@link PYTHON}. */
export function pythonHas(module: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

const created: string[] = [];

// Remove this file's temp dirs when its tests are done (TVX_KEEP_TMP=1 keeps them for debugging).
afterAll(() => {
  if (process.env.TVX_KEEP_TMP === '1') return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the test file unless TVX_KEEP_TMP=1. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tvx-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Write a trainer package into a fresh temp dir; returns the dir. */
export async function generate(options: TrainerOptions): Promise<string> {
  const dir = tempDir(`${options.framework}-pkg`);
  await writeTrainer(dir, options);
  return dir;
}

const CLEARED = [
  'AIP_MODEL_DIR',
  'AIP_CHECKPOINT_DIR',
  'AIP_TENSORBOARD_LOG_DIR',
  'AIP_TRAINING_DATA_URI',
  'CLOUD_ML_TRIAL_ID',
  'CLOUD_ML_HP_METRIC_FILE',
  'CLOUD_ML_HP_METRIC_TAG',
  'CLUSTER_SPEC',
  'TF_CONFIG',
  'RANK',
  'WORLD_SIZE',
  'MASTER_ADDR',
  'MASTER_PORT',
  'TVX_GCS_MOUNT',
];

/** The test process's environment without Vertex variables, plus `extra`. */
export function pythonEnv(pkg: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLEARED) delete env[name];
  // One OpenMP thread: tests run beside other suites on a small machine (OpenMP spin-waits hurt).
  return { ...env, PYTHONPATH: pkg, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1', ...extra };
}

export interface PythonResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `python <args>` to completion (never rejects; check `code`). */
export function runPython(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<PythonResult> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** All files under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c >>> 0;
});

/** CRC-32C, written independently of the Python writer. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

function masked(data: Uint8Array): number {
  const crc = crc32c(data);
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/**
 * Read an event file: check each TFRecord's two masked CRC32Cs and return the records' payloads.
 * @throws when the framing or a checksum is wrong
 */
export function readTfRecords(path: string): Buffer[] {
  const buf = readFileSync(path);
  const records: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const header = buf.subarray(at, at + 8);
    const length = Number(header.readBigUInt64LE(0));
    if (buf.readUInt32LE(at + 8) !== masked(header)) throw new Error(`bad length CRC at ${at}`);
    const data = buf.subarray(at + 12, at + 12 + length);
    if (buf.readUInt32LE(at + 12 + length) !== masked(data)) throw new Error(`bad data CRC at ${at}`);
    records.push(data);
    at += 16 + length;
  }
  return records;
}

interface Field {
  num: number;
  varint?: bigint;
  bytes?: Buffer;
}

/** Decode one protobuf message into its fields (varint, fixed64, length-delimited, fixed32). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buf[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const num = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ num, varint: varint() });
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      out.push({ num, bytes: buf.subarray(at, at + size) });
      at += size;
    } else if (wire === 2) {
      const length = Number(varint());
      out.push({ num, bytes: buf.subarray(at, at + length) });
      at += length;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

export interface Scalar {
  step: number;
  tag: string;
  value: number;
}

/** Scalars of an event file: Event{step (2), summary (5){value (1){tag (1), simple_value (2)}}}. */
export function readScalars(path: string): Scalar[] {
  const scalars: Scalar[] = [];
  for (const record of readTfRecords(path)) {
    const event = fields(record);
    const step = Number(event.find((f) => f.num === 2)?.varint ?? 0n);
    for (const summary of event.filter((f) => f.num === 5)) {
      for (const value of fields(summary.bytes!).filter((f) => f.num === 1)) {
        const parts = fields(value.bytes!);
        const tag = parts.find((f) => f.num === 1)?.bytes?.toString('utf8') ?? '';
        const simple = parts.find((f) => f.num === 2)?.bytes;
        if (simple) scalars.push({ step, tag, value: simple.readFloatLE(0) });
      }
    }
  }
  return scalars;
}
