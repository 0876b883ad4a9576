/**
 * Shared setup of the AutoML e2e tests: an emulator with a small shapes dataset (60 coloured circles, squares
 * and triangles, split by ml_use 48/6/6) imported through the DatasetService, the official clients, and helpers
 * for AutoML training pipelines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helpers, type protos, v1 } from '@google-cloud/aiplatform';
import { grpc } from 'google-gax';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../src/index.ts';

const PY = process.env.TVX_PYTHON ?? '/usr/bin/python3';
const GENERATOR = fileURLToPath(new URL('../../../tools/bench/automl_images.py', import.meta.url));
export const parent = 'projects/demo-automl/locations/us-central1';
const TASK =
  'gs://google-cloud-aiplatform/schema/trainingjob/definition/automl_image_classification_1.0.0.yaml';
const SINGLE =
  'gs://google-cloud-aiplatform/schema/dataset/ioformat/image_classification_single_label_io_format_1.0.0.yaml';

export type Plain = Record<string, unknown>;
type Pipeline = protos.google.cloud.aiplatform.v1.ITrainingPipeline;
/** A `google.protobuf.Value` as plain JSON, and back. */
export const plain = (v: unknown) => helpers.fromValue(v as never) as unknown as Plain;
export const value = (v: unknown) => helpers.toValue(v as object) as never;

function clients(emu: RunningEmulator) {
  const [host, port] = emu.vertexAddress.split(':');
  const o = { apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure() };
  return {
    datasets: new v1.DatasetServiceClient(o),
    pipelines: new v1.PipelineServiceClient(o),
    models: new v1.ModelServiceClient(o),
    endpoints: new v1.EndpointServiceClient(o),
    predictions: new v1.PredictionServiceClient(o),
  };
}

/** Pids of live trainer processes of pipeline `id`. */
export function trainers(id: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
        return cmd.includes('tvx_automl') && cmd.includes(id);
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
}

/** A running emulator holding the shapes dataset. */
export interface ShapesEmulator {
  emu: RunningEmulator;
  c: ReturnType<typeof clients>;
  work: string;
  datasetId: string;
  images: { file: string; labels: string[]; mlUse: string }[];
  /** An AutoML image classification pipeline on the dataset with these task inputs. */
  pipeline(inputs: Plain, extra?: Plain): Plain;
  /** Polls the pipeline until `done(state)`. */
  waitFor(name: string, done: (state: string) => boolean, ms?: number): Promise<Pipeline>;
  /** The trainer's log lines of a pipeline (Cloud Logging entries.list). */
  logLines(pipelineName: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startShapesEmulator(options: EmulatorOptions = {}): Promise<ShapesEmulator> {
  const emu = await startEmulator(options);
  const c = clients(emu);
  const work = mkdtempSync(join(tmpdir(), 'tvx-automl-'));
  execFileSync(PY, [
    GENERATOR,
    'shapes',
    work,
    '--gcs-prefix',
    'gs://shapes-data/shapes',
    '--per-class',
    '20',
    '--ml-use',
  ]);
  const images = JSON.parse(readFileSync(join(work, 'examples.json'), 'utf8'));
  const post = async (url: string, body: Buffer | string, type?: string) => {
    const res = await fetch(`${emu.httpAddress}${url}`, {
      method: 'POST',
      body,
      ...(type ? { headers: { 'content-type': type } } : {}),
    });
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  };
  await post(
    '/storage/v1/b?project=demo-automl',
    JSON.stringify({ name: 'shapes-data' }),
    'application/json',
  );
  const upload = (name: string) =>
    post(
      `/upload/storage/v1/b/shapes-data/o?uploadType=media&name=shapes/${name}`,
      readFileSync(join(work, name)),
    );
  for (const im of images) await upload(im.file);
  await upload('import.csv');
  const [createOp] = await c.datasets.createDataset({
    parent,
    dataset: {
      displayName: 'shapes',
      metadataSchemaUri: 'gs://google-cloud-aiplatform/schema/dataset/metadata/image_1.0.0.yaml',
    },
  });
  const [dataset] = await createOp.promise();
  const [importOp] = await c.datasets.importData({
    name: dataset.name!,
    importConfigs: [{ gcsSource: { uris: ['gs://shapes-data/shapes/import.csv'] }, importSchemaUri: SINGLE }],
  });
  await importOp.promise();
  const datasetId = dataset.name!.split('/').pop()!;
  return {
    emu,
    c,
    work,
    datasetId,
    images,
    pipeline: (inputs, extra = {}) => ({
      displayName: 'shapes-automl',
      trainingTaskDefinition: TASK,
      trainingTaskInputs: value(inputs),
      inputDataConfig: { datasetId },
      modelToUpload: { displayName: 'shapes-model', labels: { team: 'vision' } },
      ...extra,
    }),
    waitFor: async (name, done, ms = 120_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const [p] = await c.pipelines.getTrainingPipeline({ name });
        if (done(String(p.state))) return p;
        if (Date.now() > deadline) throw new Error(`pipeline still ${p.state}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    logLines: async (pipelineName) => {
      const res = await fetch(`${emu.httpAddress}/v2/entries:list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filter: `resource.labels.job_id="${pipelineName.split('/').pop()}"` }),
      });
      return ((await res.json()) as { entries: { textPayload: string }[] }).entries.map((e) => e.textPayload);
    },
    stop: async () => {
      await emu.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
