/**
 * The expensive set-up of the comparison tests, shared by the API and CLI e2e tests: scikit-learn's digits
 * (a small subset) as PNGs and as a BigQuery table with the same split, and up to three models trained on the
 * TRAIN rows on the configured emulator — the generated PyTorch image trainer (a training pipeline, registered
 * and deployed), AutoML Vision on an ImageDataset of the same images (deployed), and a BigQuery ML logistic
 * regression on the pixel columns.
 */
import { join } from 'node:path';
import {
  AutoMLImageTrainingJob,
  CustomPythonPackageTrainingJob,
  type Endpoint,
  IMAGE_SCHEMA,
  ImageDataset,
  type Model,
  resolveConfig,
  stagePythonPackage,
  storageClient,
  uploadBytes,
} from '@terra-vertex/core';
import { writeTrainer } from '@terra-vertex/templates';
import { DIGIT_PIXEL_COLUMNS, loadDigitsTable } from '../src/data/digits-table.ts';
import {
  bqmlBaseline,
  customModelClasses,
  type HeldOutSet,
  imageArrayInstances,
  imageContentInstances,
  type ModelPredictions,
  type ModelRef,
  predictionsFromBqml,
  predictionsFromEndpoint,
  readHeldOut,
  readLocalImageDataset,
  type TableRef,
  uploadImageDataset,
  writeDigitsDataset,
} from '../src/index.ts';

export type ModelKind = 'custom' | 'automl' | 'bqml';

/** Small on purpose: ~320 training and ~40 held-out images; 16×16 PNGs. */
export const LIMIT = 400;
export const IMAGE_SIZE = 16;
export const BUCKET = 'compare-data';
export const BQ_DATASET = 'compare';

/** What {@link trainComparisonModels} made. */
export interface ComparisonModels {
  digitsDir: string;
  heldOut: HeldOutSet;
  custom?: { model: Model; endpoint: Endpoint };
  automl?: { model: Model; endpoint: Endpoint };
  bqml?: { model: ModelRef; table: TableRef };
  /** Seconds each model took to train (and deploy). */
  seconds: Partial<Record<ModelKind, number>>;
}

async function timed(seconds: ComparisonModels['seconds'], kind: ModelKind, f: () => Promise<void>) {
  const started = Date.now();
  await f();
  seconds[kind] = (Date.now() - started) / 1000;
}

/** The generated PyTorch image trainer on the TRAIN images (a CSV of uri,label), deployed on one replica. */
async function trainCustom(work: string, gsDigits: string, digitsDir: string) {
  const config = await resolveConfig();
  const trainerDir = join(work, 'trainer');
  await writeTrainer(trainerDir, {
    name: 'digits-cnn',
    framework: 'pytorch',
    task: 'image',
    metric: { id: 'accuracy', goal: 'maximize' },
  });
  const packageUri = await stagePythonPackage(config, trainerDir);
  const training = (await readLocalImageDataset(digitsDir)).images
    .filter((im) => im.mlUse === 'training')
    .map((im) => `${gsDigits}/${im.path},${im.label}\n`);
  const trainCsv = await uploadBytes(
    await storageClient(config),
    `uri,label\n${training.join('')}`,
    `${gsDigits}/train.csv`,
  );
  const model = await new CustomPythonPackageTrainingJob({
    displayName: 'compare-custom',
    pythonPackageGcsUri: packageUri,
    pythonModuleName: 'trainer.task',
    containerUri: 'us-docker.pkg.dev/vertex-ai/training/pytorch-cpu.2-1.py310:latest',
    modelServingContainerImageUri: 'us-docker.pkg.dev/vertex-ai/prediction/pytorch-cpu.2-1:latest',
  }).run({
    args: ['--data', trainCsv, '--image-size', String(IMAGE_SIZE), '--epochs', '60', '--batch-size', '16'],
  });
  if (!model) throw new Error('the custom training pipeline registered no model');
  return { model, endpoint: await model.deploy({ minReplicaCount: 1, maxReplicaCount: 1 }) };
}

/** AutoML Vision on an ImageDataset imported from the same images (its own TRAIN/VALIDATION/TEST). */
async function trainAutoml(indexCsv: string, budgetMilliNodeHours: number) {
  const dataset = await ImageDataset.create({
    displayName: 'compare-digits',
    gcsSource: indexCsv,
    importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
  });
  const model = await new AutoMLImageTrainingJob({
    displayName: 'compare-automl',
    modelType: 'MOBILE_TF_VERSATILE_1',
  }).run({ dataset, budgetMilliNodeHours, modelDisplayName: 'compare-automl-model' });
  if (!model) throw new Error('the AutoML training pipeline registered no model');
  return { model, endpoint: await model.deploy() };
}

/** BigQuery ML logistic regression on the 64 pixel columns of the TRAIN rows. */
async function trainBqml() {
  const { table } = await loadDigitsTable({ dataset: BQ_DATASET, table: 'digits', limit: LIMIT });
  const result = await bqmlBaseline({
    table,
    label: 'label',
    modelType: 'LOGISTIC_REG',
    features: DIGIT_PIXEL_COLUMNS,
    where: { split: 'TRAIN' },
    model: `${BQ_DATASET}.digits_logistic_reg`,
    predictLimit: 1,
  });
  return { model: result.model, table };
}

/**
 * Writes the digits under `work` and trains the models of `kinds` on the emulator terra-vertex is configured for
 * (`init()` or the environment). AutoML's default budget, 4,000 milli node hours, is 30 s on the emulator.
 */
export async function trainComparisonModels(
  work: string,
  kinds: readonly ModelKind[] = ['custom', 'automl', 'bqml'],
  options: { automlBudgetMilliNodeHours?: number } = {},
): Promise<ComparisonModels> {
  const digitsDir = join(work, 'digits');
  await writeDigitsDataset({ dir: digitsDir, limit: LIMIT, size: IMAGE_SIZE });
  const heldOut = await readHeldOut(digitsDir);
  const out: ComparisonModels = { digitsDir, heldOut, seconds: {} };
  const gsDigits = `gs://${BUCKET}/digits`;
  const needsImages = kinds.includes('custom') || kinds.includes('automl');
  const indexCsv = needsImages ? await uploadImageDataset(digitsDir, gsDigits) : '';
  // AutoML's budget is wall-clock time: it trains after the custom model, not beside it, so that its accuracy
  // does not depend on how busy the CPUs are. BigQuery ML is light and overlaps both.
  const bqml = kinds.includes('bqml')
    ? timed(out.seconds, 'bqml', async () => {
        out.bqml = await trainBqml();
      })
    : undefined;
  bqml?.catch(() => undefined); // awaited below; a failure of the others first must not leave it unhandled
  if (kinds.includes('custom'))
    await timed(out.seconds, 'custom', async () => {
      out.custom = await trainCustom(work, gsDigits, digitsDir);
    });
  if (kinds.includes('automl'))
    await timed(out.seconds, 'automl', async () => {
      out.automl = await trainAutoml(indexCsv, options.automlBudgetMilliNodeHours ?? 4000);
    });
  await bqml;
  return out;
}

/** The trained models' predictions on the held-out examples, custom, AutoML and BigQuery ML in that order. */
export async function heldOutPredictions(models: ComparisonModels): Promise<ModelPredictions[]> {
  const { heldOut } = models;
  const out: ModelPredictions[] = [];
  if (models.custom)
    out.push(
      await predictionsFromEndpoint(
        models.custom.endpoint,
        await imageArrayInstances(heldOut, { size: IMAGE_SIZE }),
        {
          name: 'custom (PyTorch CNN)',
          kind: 'custom',
          output: 'probabilities',
          classes: await customModelClasses(models.custom.endpoint),
          ids: heldOut.ids,
          batchSize: 16,
        },
      ),
    );
  if (models.automl)
    out.push(
      await predictionsFromEndpoint(models.automl.endpoint, await imageContentInstances(heldOut), {
        name: 'AutoML Vision',
        kind: 'automl',
        output: 'automl-image',
        classes: heldOut.classes,
        ids: heldOut.ids,
      }),
    );
  if (models.bqml)
    out.push(
      await predictionsFromBqml({
        model: models.bqml.model,
        table: models.bqml.table,
        where: { split: 'TEST' },
        name: 'BigQuery ML logistic regression',
      }),
    );
  return out;
}
