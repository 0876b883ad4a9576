/**
 * Emulator benchmarks, each measured beside its baseline in the same run:
 *   1. GetCustomJob round trip through the official client vs a bare grpc-js call to the same server;
 *   2. create → first trainer output, through the emulator vs spawning the same Python command directly;
 *   3. cold start of @terra-vertex/core (import + first call) vs importing @google-cloud/aiplatform alone.
 * The emulator runs in its own process, as `tvx emulator start` would. Usage: node tools/bench/emulator-bench.ts [--quick]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomJob, closeClients, init, jobServiceClient, resolveConfig } from '@terra-vertex/core';
import { ms, summarize } from './stats.ts';

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tvx-bench-'));
const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const IMAGE = 'local/bench-hello:1';

async function startEmulatorProcess(): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const images = join(work, 'images.json');
  writeFileSync(
    images,
    JSON.stringify({ [IMAGE]: { command: [PY, '-c', "print('trainer started', flush=True)"] } }),
  );
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/cli/bin/tvx.js'),
      '--json',
      'emulator',
      'start',
      '--foreground',
      '--data-dir',
      join(work, 'data'),
      '--grpc-port',
      '0',
      '--http-port',
      '0',
      '--image-map',
      images,
    ],
    {
      env: { ...process.env, TVX_EMULATOR_STATE: join(work, 'state.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  for await (const chunk of child.stdout!) {
    out += chunk;
    try {
      return { child, env: (JSON.parse(out) as { env: Record<string, string> }).env };
    } catch {
      // the JSON document is not complete yet
    }
  }
  throw new Error(`emulator did not start: ${out}`);
}

async function roundTrips(jobName: string, address: string) {
  const config = await resolveConfig();
  const client = await jobServiceClient(config);
  const { grpc } = await import('google-gax');
  const protobuf = (await import('protobufjs')).default;
  const aip = join(root, 'node_modules/@google-cloud/aiplatform/build/protos/protos.json');
  const rootProto = protobuf.Root.fromJSON((await import(aip, { with: { type: 'json' } })).default);
  const Req = rootProto.lookupType('google.cloud.aiplatform.v1.GetCustomJobRequest');
  const Res = rootProto.lookupType('google.cloud.aiplatform.v1.CustomJob');
  const bare = new grpc.Client(address, grpc.credentials.createInsecure());
  const bareGet = () =>
    new Promise<void>((resolve, reject) =>
      bare.makeUnaryRequest(
        '/google.cloud.aiplatform.v1.JobService/GetCustomJob',
        (v: object) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
        (b: Buffer) => Res.toObject(Res.decode(b), { longs: String, enums: String, defaults: true }),
        { name: jobName },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  const gapicGet = async () => {
    await client.getCustomJob({ name: jobName });
  };
  const rounds = quick ? 4 : 20;
  const batch = 100;
  const gapic: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 200; i++) await (i % 2 ? gapicGet() : bareGet()); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [fn, into] of [
      [gapicGet, gapic],
      [bareGet, raw],
    ] as const) {
      for (let i = 0; i < batch; i++) {
        const t = performance.now();
        await fn();
        into.push(performance.now() - t);
      }
    }
  }
  bare.close();
  return { gapic: summarize(gapic), raw: summarize(raw) };
}

async function createToStart(): Promise<{ emulator: number[]; direct: number[] }> {
  const emulator: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < (quick ? 3 : 10); i++) {
    const job = new CustomJob({
      displayName: `bench-start-${i}`,
      workerPoolSpecs: [{ containerSpec: { imageUri: IMAGE } }],
    });
    const t0 = Date.now();
    await job.run();
    const first = (await job.logs()).find((l) => l.task === 'workerpool0-0');
    emulator.push(Date.parse(first!.timestamp) - t0);
    const t1 = performance.now();
    const r = spawnSync(PY, ['-c', "print('trainer started', flush=True)"], { encoding: 'utf8' });
    if (!r.stdout.includes('trainer started')) throw new Error('direct run failed');
    direct.push(performance.now() - t1);
  }
  return { emulator, direct };
}

function coldStarts(env: Record<string, string>) {
  const ours = `const t=performance.now();const c=await import('@terra-vertex/core');await c.CustomJob.list();console.log(performance.now()-t);process.exit(0)`;
  const theirs = `const t=performance.now();await import('@google-cloud/aiplatform');console.log(performance.now()-t);process.exit(0)`;
  const run = (code: string) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: join(root, 'tools'),
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(r.stdout.trim());
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    a.push(run(ours));
    b.push(run(theirs));
  }
  return { ours: summarize(a), aiplatform: summarize(b) };
}

const { child, env } = await startEmulatorProcess();
try {
  init({ emulator: { vertex: env.VERTEX_AI_EMULATOR_HOST!, http: env.STORAGE_EMULATOR_HOST! } });
  const start = await createToStart();
  const [job] = await CustomJob.list();
  const rt = await roundTrips(job!.resourceName, env.VERTEX_AI_EMULATOR_HOST!);
  await closeClients();
  const cold = coldStarts(env);
  const s = { emu: summarize(start.emulator), direct: summarize(start.direct) };
  console.log('\n| measurement | terra-vertex | baseline (same run) | ratio |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| GetCustomJob round trip, median (p90 / p99), ${rt.gapic.n} calls each | official client ${ms(rt.gapic.median)} (${ms(rt.gapic.p90)} / ${ms(rt.gapic.p99)}) | bare grpc-js ${ms(rt.raw.median)} (${ms(rt.raw.p90)} / ${ms(rt.raw.p99)}) | ${(rt.gapic.median / rt.raw.median).toFixed(2)}× |`,
  );
  console.log(
    `| create → first trainer output, median of ${s.emu.n} | emulator job ${ms(s.emu.median)} | spawning the same Python directly ${ms(s.direct.median)} | ${(s.emu.median / s.direct.median).toFixed(2)}× |`,
  );
  console.log(
    `| cold start, median of ${cold.ours.n} fresh processes | import @terra-vertex/core + first call ${ms(cold.ours.median)} | import @google-cloud/aiplatform alone ${ms(cold.aiplatform.median)} | ${(cold.ours.median / cold.aiplatform.median).toFixed(2)}× |`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
