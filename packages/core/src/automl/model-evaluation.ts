/**
 * Model evaluations (`ModelService.ListModelEvaluations` / `GetModelEvaluation` / `ListModelEvaluationSlices`),
 * typed for Vertex's `classification_metrics_1.0.0` schema.
 */
import type { protos } from '@google-cloud/aiplatform';
import type { ResolvedConfig } from '../config.ts';
import { modelServiceClient } from '../connection.ts';
import { toApiError, ValidationError } from '../errors.ts';
import { toReadableJson } from '../resource-json.ts';
import { fromProtoValue, type ProtoValue } from '../value.ts';

type IEvaluation = protos.google.cloud.aiplatform.v1.IModelEvaluation;
type ISlice = protos.google.cloud.aiplatform.v1.IModelEvaluationSlice;

/** Metrics at one confidence threshold (fields equal to 0 are left out by the service; counts are int64 strings). */
export interface ConfidenceMetrics {
  /** Absent means 0. */
  confidenceThreshold?: number;
  maxPredictions?: number;
  recall?: number;
  precision?: number;
  falsePositiveRate?: number;
  f1Score?: number;
  f1ScoreMicro?: number;
  f1ScoreMacro?: number;
  recallAt1?: number;
  precisionAt1?: number;
  falsePositiveRateAt1?: number;
  f1ScoreAt1?: number;
  truePositiveCount?: string;
  falsePositiveCount?: string;
  falseNegativeCount?: string;
  trueNegativeCount?: string;
  confusionMatrix?: ConfusionMatrix;
}

/** `rows[i][j]`: items of ground truth `annotationSpecs[i]` predicted as `annotationSpecs[j]`. */
export interface ConfusionMatrix {
  annotationSpecs: { id: string; displayName: string }[];
  rows: number[][];
}

/** `classification_metrics_1.0.0`: micro-averaged areas and log loss, per-threshold metrics, confusion matrix. */
export interface ClassificationEvaluationMetrics {
  auPrc?: number;
  auRoc?: number;
  logLoss?: number;
  confidenceMetrics?: ConfidenceMetrics[];
  /** Single-label models only (at most 10 labels). */
  confusionMatrix?: ConfusionMatrix;
  [other: string]: unknown;
}

/** One point of a precision–recall curve. */
export interface PrPoint {
  threshold: number;
  precision: number;
  recall: number;
}

function metricsOf(value: unknown): ClassificationEvaluationMetrics | undefined {
  const m = value ? (fromProtoValue(value as ProtoValue) as ClassificationEvaluationMetrics | null) : null;
  return m && typeof m === 'object' && Object.keys(m).length ? m : undefined;
}

/** Precision against recall, one point per confidence threshold, in recall order. */
export function prCurveOf(metrics: ClassificationEvaluationMetrics): PrPoint[] {
  return (metrics.confidenceMetrics ?? [])
    .map((c) => ({
      threshold: c.confidenceThreshold ?? 0,
      precision: c.precision ?? 0,
      recall: c.recall ?? 0,
    }))
    .sort((a, b) => a.recall - b.recall || b.precision - a.precision);
}

/** A per-label slice of an evaluation (`slice.dimension` `annotationSpec`, `slice.value` the label). */
export interface ModelEvaluationSlice {
  resourceName: string;
  dimension: string;
  value: string;
  metrics: ClassificationEvaluationMetrics;
}

/** One evaluation of a model version, e.g. the test-split evaluation AutoML training writes. */
export class ModelEvaluation {
  private readonly resource: IEvaluation;
  private readonly config: ResolvedConfig;
  private cachedMetrics?: ClassificationEvaluationMetrics;

  constructor(resource: IEvaluation, config: ResolvedConfig) {
    this.resource = resource;
    this.config = config;
  }

  /** `projects/…/models/{id}/evaluations/{eid}` */
  get resourceName(): string {
    return this.resource.name ?? '';
  }

  /** The last part of the resource name. */
  get id(): string {
    return this.resourceName.split('/').pop() ?? '';
  }

  /** The schema of the metrics (which kind of model was evaluated). */
  get metricsSchemaUri(): string {
    return this.resource.metricsSchemaUri ?? '';
  }

  /** The features the evaluation was sliced by (e.g. `annotationSpec`). */
  get sliceDimensions(): string[] {
    return this.resource.sliceDimensions ?? [];
  }

  /** The evaluation as the server last returned it. */
  get gcaResource(): IEvaluation {
    return this.resource;
  }

  /**
   * The metrics as plain JSON (`auPrc`, `auRoc`, `logLoss`, `confidenceMetrics`, `confusionMatrix` …).
   * @throws ValidationError when the evaluation has none (as the Python SDK raises).
   */
  get metrics(): ClassificationEvaluationMetrics {
    this.cachedMetrics ??= metricsOf(this.resource.metrics);
    if (!this.cachedMetrics)
      throw new ValidationError(
        'metrics',
        'this ModelEvaluation does not have any metrics, this could be because the Evaluation job failed',
        'Check the logs for details.',
      );
    return this.cachedMetrics;
  }

  /** Precision–recall points from `confidenceMetrics`, in recall order. */
  prCurve(): PrPoint[] {
    return prCurveOf(this.metrics);
  }

  /** The confusion matrix with its labels (single-label models), or undefined. */
  confusionMatrix(): { labels: string[]; ids: string[]; rows: number[][] } | undefined {
    const m = this.metrics.confusionMatrix;
    if (!m) return undefined;
    return {
      labels: m.annotationSpecs.map((s) => s.displayName),
      ids: m.annotationSpecs.map((s) => s.id),
      rows: m.rows,
    };
  }

  /** Top-1 accuracy from the confusion matrix (single-label models), or undefined. */
  accuracy(): number | undefined {
    const rows = this.metrics.confusionMatrix?.rows;
    const total = rows?.flat().reduce((a, b) => a + b, 0);
    return rows && total ? rows.reduce((a, row, i) => a + (row[i] ?? 0), 0) / total : undefined;
  }

  /** The per-label slices (`ListModelEvaluationSlices`). */
  async slices(): Promise<ModelEvaluationSlice[]> {
    const client = await modelServiceClient(this.config);
    let slices: ISlice[];
    try {
      [slices] = await client.listModelEvaluationSlices({ parent: this.resourceName });
    } catch (err) {
      throw toApiError(err, `Listing the slices of ${this.resourceName}`);
    }
    return slices.map((s) => ({
      resourceName: s.name ?? '',
      dimension: s.slice?.dimension ?? '',
      value: s.slice?.value ?? '',
      metrics: metricsOf(s.metrics) ?? {},
    }));
  }

  /** The evaluation as readable JSON (metrics as plain JSON). */
  toJSON(): Record<string, unknown> {
    const out = (toReadableJson({ ...this.resource, metrics: undefined }) as Record<string, unknown>) ?? {};
    const metrics = metricsOf(this.resource.metrics);
    return metrics ? { ...out, metrics } : out;
  }
}

/** `model.evaluations()`: the evaluations of a model version (`ListModelEvaluations` on `models/{id}@{version}`). */
export async function listModelEvaluations(
  versionedModelName: string,
  config: ResolvedConfig,
): Promise<ModelEvaluation[]> {
  const client = await modelServiceClient(config);
  try {
    const [evaluations] = await client.listModelEvaluations({ parent: versionedModelName });
    return evaluations.map((e) => new ModelEvaluation(e, config));
  } catch (err) {
    throw toApiError(err, `Listing the evaluations of ${versionedModelName}`);
  }
}

/**
 * `model.getModelEvaluation(id?)` as the Python SDK does it: lists first; without an id returns the first
 * (with a notice when there are several), with one gets `models/{id}/evaluations/{eid}` (unversioned name).
 */
export async function getModelEvaluation(
  versionedModelName: string,
  config: ResolvedConfig,
  evaluationId?: string,
): Promise<ModelEvaluation> {
  const all = await listModelEvaluations(versionedModelName, config);
  if (!evaluationId) {
    if (!all.length)
      throw new ValidationError(
        'evaluationId',
        `${versionedModelName} has no evaluations`,
        'Train it with AutoML, or import an evaluation.',
      );
    if (all.length > 1)
      process.emitWarning(`${versionedModelName} has ${all.length} evaluations; returning the first.`, {
        type: 'TerraVertexNotice',
      });
    return all[0]!;
  }
  const name = `${versionedModelName.split('@')[0]}/evaluations/${evaluationId.split('/').pop()}`;
  const client = await modelServiceClient(config);
  try {
    const [evaluation] = await client.getModelEvaluation({ name });
    return new ModelEvaluation(evaluation, config);
  } catch (err) {
    throw toApiError(err, `Getting model evaluation ${name}`);
  }
}
