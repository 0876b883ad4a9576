/**
 * The demo's AutoML Vision and explanations part: scikit-learn's digits as an image dataset, an AutoML
 * baseline trained on the CPU within a budget, its evaluation, and XRAI attributions drawn over a digit.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadImageDataset, writeDigitsDataset } from '@terra-vertex/automl-bqml';
import { AutoMLImageTrainingJob, IMAGE_SCHEMA, ImageDataset, resolveConfig } from '@terra-vertex/core';
import { explain, imageOverlayPng } from '@terra-vertex/xai';

const step = (title: string) => console.log(`\n== ${title}`);

/** Runs the AutoML and explanation steps; the overlay PNG goes to `outDir`. */
export async function automlDemo(outDir: string): Promise<void> {
  step('AutoML Vision: 400 handwritten digits as an image dataset, every row checked');
  const config = await resolveConfig();
  const digits = await writeDigitsDataset({ dir: await mkdtemp(join(tmpdir(), 'tvx-digits-')), limit: 400 });
  const csv = await uploadImageDataset(digits.dir, `${config.stagingBucket}/demo-digits`);
  const dataset = await ImageDataset.create({
    displayName: 'demo-digits',
    gcsSource: csv,
    importSchemaUri: IMAGE_SCHEMA.singleLabelImport,
  });
  const stats = await dataset.stats();
  console.log(
    `  ${dataset.lastImport?.imported} images imported; ${stats.labels.length} labels; ${stats.warnings.length} warnings`,
  );

  step('AutoML training within a 2,000 milli-node-hour budget (15 s locally), then its evaluation');
  const job = new AutoMLImageTrainingJob({
    displayName: 'demo-automl',
    modelType: 'MOBILE_TF_LOW_LATENCY_1',
  });
  const model = (await job.run({ dataset, budgetMilliNodeHours: 2000 }))!;
  const [evaluation] = await model.evaluations();
  const m = evaluation!.metrics;
  console.log(`  ${model.versionedResourceName} (${job.successfulStopReason})`);
  console.log(
    `  test split: accuracy ${evaluation!.accuracy()?.toFixed(3)}, auPrc ${m.auPrc?.toFixed(3)}, logLoss ${m.logLoss?.toFixed(3)}`,
  );

  step('Deployed with XRAI explanations: a prediction, and the pixels it rests on');
  const endpoint = await model.deploy({
    explanationSpec: {
      parameters: { xraiAttribution: { stepCount: 25 } },
      metadata: { inputs: { image: { modality: 'image' } }, outputs: { scores: {} } },
    },
  });
  const test = digits.images.find((i) => i.mlUse === 'test')!;
  const png = readFileSync(join(digits.dir, test.path));
  const [prediction] = (await endpoint.predict([{ content: png.toString('base64') }], { maxPredictions: 2 }))
    .predictions as { displayNames: string[]; confidences: number[] }[];
  console.log(
    `  a "${test.label}": predicted ${prediction!.displayNames[0]} (${prediction!.confidences[0]?.toFixed(3)})`,
  );
  const [result] = await explain(endpoint, [{ content: png.toString('base64') }]);
  mkdirSync(outDir, { recursive: true });
  const overlay = join(outDir, 'digit-xrai.png');
  writeFileSync(
    overlay,
    imageOverlayPng(new Uint8Array(png), result!, { type: 'pixels', overlayType: 'grayscale' }),
  );
  console.log(
    `  attributions of ${result!.label} (approximation error ${result!.approximationError?.toFixed(4)}): ${overlay}`,
  );
  await endpoint.delete({ force: true });
  await dataset.delete();
}
