import type { protos } from '@google-cloud/aiplatform';
import type { StudyReportInput } from './study-report.ts';
import type { TrialLike, TrialMetric, TrialParameterScales } from './trial-analysis.ts';
import { enumName } from './trials.ts';

type IStudySpec = protos.google.cloud.aiplatform.v1.IStudySpec;
type IParameterSpec = protos.google.cloud.aiplatform.v1.StudySpec.IParameterSpec;

const GOALS = ['GOAL_TYPE_UNSPECIFIED', 'MAXIMIZE', 'MINIMIZE'];
const SCALE_TYPES = [
  'SCALE_TYPE_UNSPECIFIED',
  'UNIT_LINEAR_SCALE',
  'UNIT_LOG_SCALE',
  'UNIT_REVERSE_LOG_SCALE',
];
const SCALES: Record<string, TrialParameterScales[string]> = {
  UNIT_LOG_SCALE: 'log',
  UNIT_REVERSE_LOG_SCALE: 'reverse_log',
};

/** The searched metric of a study spec as the server returns it: its first metric (unset goal = maximize). */
export function studyMetric(spec: IStudySpec | null | undefined): TrialMetric {
  const metric = spec?.metrics?.[0];
  return {
    metricId: metric?.metricId ?? '',
    goal: enumName(metric?.goal, GOALS) === 'MINIMIZE' ? 'minimize' : 'maximize',
  };
}

/** Each parameter's axis scale (conditional children included) from a study spec as the server returns it. */
export function studyScales(spec: IStudySpec | null | undefined): TrialParameterScales {
  const scales: TrialParameterScales = {};
  const visit = (p: IParameterSpec) => {
    if (!p.parameterId) return;
    scales[p.parameterId] = p.categoricalValueSpec
      ? 'categorical'
      : (SCALES[enumName(p.scaleType, SCALE_TYPES)] ?? 'linear');
    for (const child of p.conditionalParameterSpecs ?? [])
      if (child.parameterSpec) visit(child.parameterSpec);
  };
  for (const p of spec?.parameters ?? []) visit(p);
  return scales;
}

/** What {@link studyReportHtml} and {@link showStudyCharts} need, from a tuning job or a study. */
export function studyReportInput(source: {
  title: string;
  state?: string;
  studySpec: IStudySpec | null | undefined;
  trials: readonly TrialLike[];
}): StudyReportInput {
  return {
    title: source.title,
    ...(source.state ? { state: source.state } : {}),
    trials: source.trials,
    metric: studyMetric(source.studySpec),
    scales: studyScales(source.studySpec),
  };
}
