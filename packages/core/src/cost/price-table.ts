/**
 * The one price table of terra-vertex: public list prices, us-central1, USD. Every group names the page
 * its prices were read from and the day they were checked. To update a price: edit the number, set
 * `checked` to today, and run `npm test -w @terra-vertex/core` (the estimator tests compute their
 * expectations from this table, so only a changed rule breaks them).
 */

/** One group of prices and where they come from. */
export interface PriceGroup<K extends string = string> {
  /** The page the prices were read from. */
  source: string;
  /** The day they were last checked against that page (YYYY-MM-DD). */
  checked: string;
  /** What one unit is, e.g. `hour per replica`. */
  unit: string;
  /** Set when a price could not be checked against the source (the reason). */
  assumption?: string;
  prices: Readonly<Record<K, number>>;
}

/** Scalar prices (one number each) with their source. */
export interface PriceItem {
  usd: number;
  unit: string;
  source: string;
  checked: string;
  assumption?: string;
}

/** The shape of {@link PRICE_TABLE}. */
export interface PriceTable {
  region: string;
  currency: 'USD';
  /** Vertex AI custom training (custom jobs, training pipelines, tuning trials): machine, per replica-hour. */
  trainingMachines: PriceGroup;
  /** Vertex AI custom training accelerators, per accelerator-hour. */
  trainingAccelerators: PriceGroup;
  /** Vertex AI online prediction with dedicated resources: machine, per node-hour. */
  predictionMachines: PriceGroup;
  /** Vertex AI online prediction accelerators, per accelerator-hour. */
  predictionAccelerators: PriceGroup;
  /** AutoML image classification training, per node hour (budget is in milli node hours). */
  automlImageTraining: PriceItem;
  /** AutoML image classification model deployed for online prediction, per node hour. */
  automlImageDeployment: PriceItem;
  /** BigQuery on-demand analysis (queries, ML.PREDICT, ML.EVALUATE …), per TiB processed. */
  bigQueryAnalysis: PriceItem;
  /** BigQuery ML CREATE MODEL on demand (linear/logistic regression, k-means, PCA …), per TiB processed. */
  bigQueryMlCreateModel: PriceItem;
  /** BigQuery's minimum billed bytes per table referenced by a query. */
  bigQueryMinimumBytesPerTable: number;
  /** Vertex AI TensorBoard storage, per GiB per month. */
  tensorboardStorage: PriceItem;
}

const VERTEX_PRICING = 'https://cloud.google.com/vertex-ai/pricing';
const BIGQUERY_PRICING = 'https://cloud.google.com/bigquery/pricing';
const CHECKED = '2026-11-26';
const SCRIPTED_TABLES =
  'not confirmed: the stored copy of the pricing page does not contain its machine tables (they are rendered by script); values as last read from the live page, check them there';

/** Prices as of {@link PriceTable} `checked` dates; see each group's `source`. */
export const PRICE_TABLE: PriceTable = {
  region: 'us-central1',
  currency: 'USD',
  trainingMachines: {
    source: VERTEX_PRICING,
    checked: CHECKED,
    unit: 'hour per replica',
    assumption: SCRIPTED_TABLES,
    prices: {
      'e2-standard-2': 0.077057,
      'e2-standard-4': 0.154114,
      'e2-standard-8': 0.308228,
      'e2-standard-16': 0.616456,
      'n1-standard-2': 0.1092495,
      'n1-standard-4': 0.218499,
      'n1-standard-8': 0.436998,
      'n1-standard-16': 0.873996,
      'n1-standard-32': 1.747992,
      'n1-highmem-2': 0.1360445,
      'n1-highmem-4': 0.272089,
      'n1-highmem-8': 0.544178,
      'n1-highmem-16': 1.088356,
      'a2-highgpu-1g': 0.8554945,
      'g2-standard-4': 0.8165,
    },
  },
  trainingAccelerators: {
    source: VERTEX_PRICING,
    checked: CHECKED,
    unit: 'hour per accelerator',
    assumption: SCRIPTED_TABLES,
    prices: {
      NVIDIA_TESLA_T4: 0.4025,
      NVIDIA_TESLA_V100: 2.9762,
      NVIDIA_TESLA_P100: 1.725,
      NVIDIA_TESLA_P4: 0.69,
      NVIDIA_TESLA_A100: 3.3741,
      NVIDIA_A100_80GB: 4.5158,
      NVIDIA_L4: 0.644,
    },
  },
  predictionMachines: {
    source: VERTEX_PRICING,
    checked: CHECKED,
    unit: 'node hour',
    assumption: SCRIPTED_TABLES,
    prices: {
      'n1-standard-2': 0.1095,
      'n1-standard-4': 0.219,
      'n1-standard-8': 0.438,
      'n1-standard-16': 0.876,
      'n1-standard-32': 1.752,
      'n1-highmem-2': 0.1362,
      'n1-highmem-4': 0.2724,
      'n1-highmem-8': 0.5448,
      'n1-highmem-16': 1.0896,
      'e2-standard-2': 0.0771,
      'e2-standard-4': 0.1541,
      'e2-standard-8': 0.3082,
      'e2-standard-16': 0.6165,
      'a2-highgpu-1g': 0.8554945,
      'g2-standard-4': 0.8165,
    },
  },
  predictionAccelerators: {
    source: VERTEX_PRICING,
    checked: CHECKED,
    unit: 'hour per accelerator',
    assumption: SCRIPTED_TABLES,
    prices: {
      NVIDIA_TESLA_T4: 0.4025,
      NVIDIA_TESLA_V100: 2.852,
      NVIDIA_TESLA_P100: 1.679,
      NVIDIA_TESLA_P4: 0.69,
      NVIDIA_TESLA_A100: 3.3741,
      NVIDIA_A100_80GB: 4.5158,
      NVIDIA_L4: 0.644,
    },
  },
  // Confirmed against the stored copy of the page ("Image data … Training $3.465 … Deployment and online
  // prediction $1.375", classification).
  automlImageTraining: { usd: 3.465, unit: 'node hour', source: VERTEX_PRICING, checked: CHECKED },
  automlImageDeployment: { usd: 1.375, unit: 'node hour', source: VERTEX_PRICING, checked: CHECKED },
  bigQueryAnalysis: {
    usd: 6.25,
    unit: 'TiB processed',
    source: BIGQUERY_PRICING,
    checked: CHECKED,
    assumption:
      'not confirmed: no stored copy of the BigQuery pricing page states it; on-demand list price as last read',
  },
  bigQueryMlCreateModel: {
    usd: 312.5,
    unit: 'TiB processed',
    source: BIGQUERY_PRICING,
    checked: CHECKED,
    assumption:
      'not confirmed: no stored copy of the BigQuery ML pricing section states it; on-demand CREATE MODEL price for built-in models (linear/logistic regression, k-means …) as last read',
  },
  bigQueryMinimumBytesPerTable: 10 * 1024 * 1024,
  tensorboardStorage: {
    usd: 10,
    unit: 'GiB per month',
    source: VERTEX_PRICING,
    checked: CHECKED,
    assumption: 'not confirmed: the stored copies of the pricing page do not include the TensorBoard section',
  },
};
