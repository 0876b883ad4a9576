/**
 * A consumer's TypeScript: the main APIs of every library package, typechecked (never run) by the consumer
 * check with the TypeScript of a typical consumer (5.9), `nodenext` and `strict`. It proves that declarations
 * emitted by our TypeScript 7 resolve through each package's `exports` and read in older compilers.
 */
import {
  type BqmlBaselineOptions,
  type BqmlBaselineResult,
  bqmlBaseline,
  compareModels,
  quoteTable,
} from '@terra-vertex/automl-bqml';
import {
  CustomJob,
  CustomPythonPackageTrainingJob,
  Endpoint,
  HyperparameterTuningJob,
  init,
  type Model,
  type ProgressEvent,
  type ResolvedConfig,
  resolveConfig,
  stagePythonPackage,
} from '@terra-vertex/core';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@terra-vertex/emulator';
import {
  estimateTrainingCost,
  type TerraEnvironment,
  terraEnvironment,
  trainingResults,
} from '@terra-vertex/notebooks';
import {
  renderStarterNotebook,
  renderTrainer,
  type TrainerGeneratorSchema,
  type TrainerOptions,
  writeTrainer,
} from '@terra-vertex/templates';
import { type EventFileRead, readEventFile, type ScalarPoint, writeEventFile } from '@terra-vertex/tfevents';
import {
  type AttributionResult,
  type TabularAttributionResult,
  tabularAttributionsSvg,
  toAttributionResults,
} from '@terra-vertex/xai';

export async function useEverything(): Promise<string[]> {
  const options: EmulatorOptions = {};
  const emulator: RunningEmulator = await startEmulator(options);
  init({ emulator: { vertex: emulator.vertexAddress, http: emulator.httpAddress } });
  const config: ResolvedConfig = await resolveConfig();

  const trainer: TrainerOptions = {
    name: 'iris',
    framework: 'sklearn',
    metric: { id: 'accuracy', goal: 'maximize' },
  };
  const files: Record<string, string> = renderTrainer(trainer);
  const written: string[] = await writeTrainer('/tmp/iris', trainer, { overwrite: true });
  const schema: TrainerGeneratorSchema = { name: 'iris', framework: 'xgboost' };
  const framework = schema.framework === 'tf-keras' ? 'pytorch' : (schema.framework ?? 'sklearn');
  const notebook: string = renderStarterNotebook({ name: 'n', title: 'N', framework });

  const packageUri: string = await stagePythonPackage(config, '/tmp/iris');
  const events: ProgressEvent[] = [];
  const job = new CustomJob({
    displayName: 'iris',
    workerPoolSpecs: [
      {
        pythonPackageSpec: { executorImageUri: 'x', packageUris: [packageUri], pythonModule: 'trainer.task' },
      },
    ],
  });
  await job.run({ onProgress: (e) => events.push(e) });
  const logs: string[] = (await job.logs()).map((l) => l.text);
  const pipeline = new CustomPythonPackageTrainingJob({
    displayName: 'p',
    pythonPackageGcsUri: packageUri,
    pythonModuleName: 'trainer.task',
    containerUri: 'x',
    modelServingContainerImageUri: 'y',
  });
  const model: Model | undefined = await pipeline.run({ args: ['--data', 'gs://b/d.csv'] });
  const endpoint: Endpoint = await Endpoint.create({ displayName: 'e' });
  const { predictions } = await endpoint.predict([[1, 2]]);
  const tuning: typeof HyperparameterTuningJob = HyperparameterTuningJob;

  const attributions: AttributionResult[] = toAttributionResults(await endpoint.explain([[1, 2]]));
  const tabular = attributions.find((a): a is TabularAttributionResult => a.kind === 'tabular');
  const svg: string = tabular ? tabularAttributionsSvg(tabular) : '';

  const baseline: BqmlBaselineOptions = {
    table: quoteTable({ projectId: 'p', datasetId: 'd', tableId: 't' }),
    label: 'y',
    modelType: 'logistic_reg',
  };
  const result: BqmlBaselineResult = await bqmlBaseline(baseline);
  const compare: typeof compareModels = compareModels;

  const terra: TerraEnvironment = terraEnvironment();
  const usd: number = estimateTrainingCost([
    { label: 'x', machineType: 'n1-standard-4', minutes: 10 },
  ]).totalUsd;
  const metrics = (await trainingResults(model?.artifactUri ?? '')).metrics;

  const points: ScalarPoint[] = [{ tag: 'loss', step: 1, wallTime: 1, value: 0.5 }];
  await writeEventFile('/tmp/events.out.tfevents.1', points);
  const read: EventFileRead = await readEventFile('/tmp/events.out.tfevents.1');

  await emulator.stop();
  return [
    ...Object.keys(files),
    ...written,
    notebook,
    ...logs,
    String(predictions.length),
    String(tuning.name),
    svg,
    result.query,
    String(compare.length),
    terra.workspaceBucket,
    String(usd),
    JSON.stringify(metrics),
    String(read.scalars.length),
  ];
}
