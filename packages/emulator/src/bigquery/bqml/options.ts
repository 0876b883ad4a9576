/**
 * CREATE MODEL `OPTIONS(...)`: which options each model type takes, their types, allowed values and defaults
 * (reference §3.2), checked before any training starts. Errors name the option and what it accepts.
 */
import { invalidQuery } from '../errors.ts';
import type { OptionValue } from '../types.ts';

/** The model types the local BigQuery trains (MODEL_TYPE values). */
export const MODEL_TYPES = [
  'LINEAR_REG',
  'LOGISTIC_REG',
  'KMEANS',
  'PCA',
  'BOOSTED_TREE_CLASSIFIER',
  'BOOSTED_TREE_REGRESSOR',
  'DNN_CLASSIFIER',
  'DNN_REGRESSOR',
  'AUTOENCODER',
] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** `Model.modelType` as the REST API names it. */
export const REST_MODEL_TYPE: Record<ModelType, string> = {
  LINEAR_REG: 'LINEAR_REGRESSION',
  LOGISTIC_REG: 'LOGISTIC_REGRESSION',
  KMEANS: 'KMEANS',
  PCA: 'PCA',
  BOOSTED_TREE_CLASSIFIER: 'BOOSTED_TREE_CLASSIFIER',
  BOOSTED_TREE_REGRESSOR: 'BOOSTED_TREE_REGRESSOR',
  DNN_CLASSIFIER: 'DNN_CLASSIFIER',
  DNN_REGRESSOR: 'DNN_REGRESSOR',
  AUTOENCODER: 'AUTOENCODER',
};

const REAL_BUT_UNSUPPORTED = [
  'RANDOM_FOREST_CLASSIFIER',
  'RANDOM_FOREST_REGRESSOR',
  'DNN_LINEAR_COMBINED_CLASSIFIER',
  'DNN_LINEAR_COMBINED_REGRESSOR',
  'MATRIX_FACTORIZATION',
  'ARIMA_PLUS',
  'ARIMA_PLUS_XREG',
  'AUTOML_CLASSIFIER',
  'AUTOML_REGRESSOR',
  'TENSORFLOW',
  'TENSORFLOW_LITE',
  'ONNX',
  'XGBOOST',
  'TRANSFORM_ONLY',
  'CONTRIBUTION_ANALYSIS',
];

export const GLM = ['LINEAR_REG', 'LOGISTIC_REG'];
export const TREE = ['BOOSTED_TREE_CLASSIFIER', 'BOOSTED_TREE_REGRESSOR'];
export const DNN = ['DNN_CLASSIFIER', 'DNN_REGRESSOR'];
export const SUPERVISED = [...GLM, ...TREE, ...DNN];
export const CLASSIFIERS = ['LOGISTIC_REG', 'BOOSTED_TREE_CLASSIFIER', 'DNN_CLASSIFIER'];
export const ITERATIVE = [...SUPERVISED, 'AUTOENCODER', 'KMEANS'];
export const SPLIT = [...SUPERVISED, 'AUTOENCODER'];

type Kind = 'string' | 'number' | 'int' | 'bool' | 'strings' | 'ints' | 'pairs';
interface Spec {
  kind: Kind;
  models: readonly string[];
  values?: readonly string[];
  /** Numeric range check: [min, max, minExclusive?, maxExclusive?]. */
  range?: [number, number, boolean?, boolean?];
  /** The REST `trainingOptions` field. */
  rest: string;
}

const s = (kind: Kind, models: readonly string[], rest: string, extra: Partial<Spec> = {}): Spec => ({
  kind,
  models,
  rest,
  ...extra,
});
const POS: [number, number, boolean] = [0, Number.POSITIVE_INFINITY, true];
const NONNEG: [number, number] = [0, Number.POSITIVE_INFINITY];

/** Every option the local BigQuery accepts. */
export const OPTION_SPECS: Record<string, Spec> = {
  input_label_cols: s('strings', SUPERVISED, 'inputLabelColumns'),
  max_iterations: s('int', ITERATIVE, 'maxIterations', { range: [1, 1e6] }),
  early_stop: s('bool', ITERATIVE, 'earlyStop'),
  min_rel_progress: s('number', ITERATIVE, 'minRelativeProgress', { range: NONNEG }),
  data_split_method: s('string', SPLIT, 'dataSplitMethod', {
    values: ['AUTO_SPLIT', 'RANDOM', 'CUSTOM', 'SEQ', 'NO_SPLIT'],
  }),
  data_split_eval_fraction: s('number', SPLIT, 'dataSplitEvalFraction', { range: [0, 1, true, true] }),
  data_split_col: s('string', SPLIT, 'dataSplitColumn'),
  l1_reg: s('number', [...GLM, ...TREE, ...DNN], 'l1Regularization', { range: NONNEG }),
  l2_reg: s('number', [...GLM, ...TREE, ...DNN], 'l2Regularization', { range: NONNEG }),
  learn_rate: s('number', [...GLM, ...TREE, ...DNN, 'AUTOENCODER'], 'learnRate', { range: POS }),
  learn_rate_strategy: s('string', GLM, 'learnRateStrategy', { values: ['LINE_SEARCH', 'CONSTANT'] }),
  ls_init_learn_rate: s('number', GLM, 'initialLearnRate', { range: POS }),
  optimize_strategy: s('string', GLM, 'optimizationStrategy', {
    values: ['AUTO_STRATEGY', 'BATCH_GRADIENT_DESCENT', 'NORMAL_EQUATION'],
  }),
  fit_intercept: s('bool', GLM, 'fitIntercept'),
  calculate_p_values: s('bool', GLM, 'calculatePValues'),
  category_encoding_method: s('string', [...GLM, ...TREE], 'categoryEncodingMethod', {
    values: ['ONE_HOT_ENCODING', 'DUMMY_ENCODING', 'LABEL_ENCODING', 'TARGET_ENCODING'],
  }),
  auto_class_weights: s('bool', CLASSIFIERS, 'autoClassWeights'),
  class_weights: s('pairs', CLASSIFIERS, 'labelClassWeights'),
  instance_weight_col: s('string', [...TREE, ...DNN], 'instanceWeightColumn'),
  enable_global_explain: s('bool', SUPERVISED, 'enableGlobalExplain'),
  warm_start: s('bool', [...GLM, ...DNN, 'AUTOENCODER', 'KMEANS'], 'warmStart'),
  num_clusters: s('int', ['KMEANS'], 'numClusters', { range: [2, 100] }),
  kmeans_init_method: s('string', ['KMEANS'], 'kmeansInitializationMethod', {
    values: ['RANDOM', 'KMEANS++', 'CUSTOM'],
  }),
  kmeans_init_col: s('string', ['KMEANS'], 'kmeansInitializationColumn'),
  distance_type: s('string', ['KMEANS'], 'distanceType', { values: ['EUCLIDEAN', 'COSINE'] }),
  standardize_features: s('bool', ['KMEANS'], 'standardizeFeatures'),
  num_principal_components: s('int', ['PCA'], 'numPrincipalComponents', { range: [1, 1e9] }),
  pca_explained_variance_ratio: s('number', ['PCA'], 'pcaExplainedVarianceRatio', {
    range: [0, 1, true, true],
  }),
  scale_features: s('bool', ['PCA'], 'scaleFeatures'),
  pca_solver: s('string', ['PCA'], 'pcaSolver', { values: ['AUTO', 'FULL', 'RANDOMIZED'] }),
  hidden_units: s('ints', [...DNN, 'AUTOENCODER'], 'hiddenUnits'),
  activation_fn: s('string', [...DNN, 'AUTOENCODER'], 'activationFn', {
    values: ['RELU', 'RELU6', 'CRELU', 'ELU', 'SELU', 'SIGMOID', 'TANH'],
  }),
  batch_size: s('int', [...DNN, 'AUTOENCODER'], 'batchSize', { range: [1, 8192] }),
  dropout: s('number', [...DNN, 'AUTOENCODER', ...TREE], 'dropout', { range: [0, 1, false, true] }),
  optimizer: s('string', [...DNN, 'AUTOENCODER'], 'optimizer', {
    values: ['ADAGRAD', 'ADAM', 'FTRL', 'RMSPROP', 'SGD'],
  }),
  integrated_gradients_num_steps: s('int', DNN, 'integratedGradientsNumSteps', { range: [1, 1000] }),
  tf_version: s('string', [...DNN, 'AUTOENCODER'], 'tfVersion', { values: ['1.15', '2.8.0'] }),
  l1_reg_activation: s('number', ['AUTOENCODER'], 'l1RegActivation', { range: NONNEG }),
  booster_type: s('string', TREE, 'boosterType', { values: ['GBTREE', 'DART'] }),
  dart_normalize_type: s('string', TREE, 'dartNormalizeType', { values: ['TREE', 'FOREST'] }),
  num_parallel_tree: s('int', TREE, 'numParallelTree', { range: [1, 1000] }),
  max_tree_depth: s('int', TREE, 'maxTreeDepth', { range: [1, 20] }),
  tree_method: s('string', TREE, 'treeMethod', { values: ['AUTO', 'EXACT', 'APPROX', 'HIST'] }),
  min_tree_child_weight: s('number', TREE, 'minTreeChildWeight', { range: NONNEG }),
  colsample_bytree: s('number', TREE, 'colsampleBytree', { range: [0, 1, true] }),
  colsample_bylevel: s('number', TREE, 'colsampleBylevel', { range: [0, 1, true] }),
  colsample_bynode: s('number', TREE, 'colsampleBynode', { range: [0, 1, true] }),
  min_split_loss: s('number', TREE, 'minSplitLoss', { range: NONNEG }),
  subsample: s('number', TREE, 'subsample', { range: [0, 1, true] }),
  xgboost_version: s('string', TREE, 'xgboostVersion', { values: ['0.9', '1.1'] }),
  approx_global_feature_contrib: s('bool', TREE, 'approxGlobalFeatureContrib'),
};

const UNSUPPORTED: Record<string, string> = {
  num_trials: 'hyperparameter tuning (NUM_TRIALS)',
  max_parallel_trials: 'hyperparameter tuning (MAX_PARALLEL_TRIALS)',
  hparam_tuning_algorithm: 'hyperparameter tuning (HPARAM_TUNING_ALGORITHM)',
  hparam_tuning_objectives: 'hyperparameter tuning (HPARAM_TUNING_OBJECTIVES)',
  data_split_test_fraction: 'DATA_SPLIT_TEST_FRACTION (a hyperparameter tuning option)',
  model_registry: 'MODEL_REGISTRY (registering in Vertex AI)',
  vertex_ai_model_id: 'VERTEX_AI_MODEL_ID',
  vertex_ai_model_version_aliases: 'VERTEX_AI_MODEL_VERSION_ALIASES',
  kms_key_name: 'KMS_KEY_NAME',
  budget_hours: 'BUDGET_HOURS (AutoML models)',
  optimization_objective: 'OPTIMIZATION_OBJECTIVE (AutoML models)',
};

/** Options after checking: keys lower-case, enum values upper-case. */
export type TrainingOptions = Record<string, OptionValue>;

const unsupported = (what: string) =>
  invalidQuery(`The local BigQuery does not support ${what}; remove it from the statement.`);

function checkValue(name: string, spec: Spec, value: OptionValue): OptionValue {
  const upper = name.toUpperCase();
  const bad = (want: string) =>
    invalidQuery(`Option ${upper} must be ${want}; got ${JSON.stringify(value)}.`);
  const num = (v: OptionValue, int: boolean): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v)))
      throw bad(int ? 'an INT64' : 'a FLOAT64');
    if (spec.range) {
      const [lo, hi, loEx, hiEx] = spec.range;
      if (v < lo || v > hi || (loEx && v === lo) || (hiEx && v === hi))
        throw bad(
          `in ${loEx ? '(' : '['}${lo}, ${hi === Number.POSITIVE_INFINITY ? '∞' : hi}${hiEx ? ')' : ']'}`,
        );
    }
    return v;
  };
  switch (spec.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw bad('TRUE or FALSE');
      return value;
    case 'number':
    case 'int':
      return num(value, spec.kind === 'int');
    case 'string': {
      if (typeof value !== 'string') throw bad('a STRING');
      if (!spec.values) return value;
      const v = value.toUpperCase();
      if (!spec.values.includes(v)) throw bad(`one of ${spec.values.join(', ')}`);
      return v;
    }
    case 'strings':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad('an ARRAY<STRING>');
      return value;
    case 'ints':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((v) => Number.isInteger(v) && (v as number) > 0)
      )
        throw bad('a non-empty ARRAY<INT64> of positive sizes');
      return value;
    case 'pairs':
      if (
        !Array.isArray(value) ||
        !value.every((p) => Array.isArray(p) && p.length === 2 && typeof p[1] === 'number')
      )
        throw bad("an ARRAY<STRUCT<STRING, FLOAT64>> like [STRUCT('a', 0.2), STRUCT('b', 0.8)]");
      return value;
  }
}

/** Checks `OPTIONS(...)` and returns the model type and the normalised options. */
export function checkOptions(options: Record<string, OptionValue>): {
  modelType: ModelType;
  options: TrainingOptions;
} {
  const raw = options.model_type;
  if (raw === undefined)
    throw invalidQuery(`CREATE MODEL needs OPTIONS(MODEL_TYPE = '...'); one of ${MODEL_TYPES.join(', ')}.`);
  const mt = String(raw).toUpperCase();
  if (REAL_BUT_UNSUPPORTED.includes(mt))
    throw unsupported(`MODEL_TYPE '${mt}'; use one of ${MODEL_TYPES.join(', ')}`);
  if (!(MODEL_TYPES as readonly string[]).includes(mt))
    throw invalidQuery(
      `Option MODEL_TYPE '${String(raw)}' is not a model type; use one of ${MODEL_TYPES.join(', ')}.`,
    );
  const modelType = mt as ModelType;
  const out: TrainingOptions = {};
  for (const [key, value] of Object.entries(options)) {
    const name = key.toLowerCase();
    if (name === 'model_type') continue;
    if (UNSUPPORTED[name]) throw unsupported(UNSUPPORTED[name]);
    const spec = OPTION_SPECS[name];
    if (!spec) {
      const allowed = Object.keys(OPTION_SPECS).filter((k) => OPTION_SPECS[k]!.models.includes(modelType));
      throw invalidQuery(
        `Unknown option ${name.toUpperCase()} for MODEL_TYPE ${modelType}; the options it takes are MODEL_TYPE, ${allowed.map((a) => a.toUpperCase()).join(', ')}.`,
      );
    }
    if (!spec.models.includes(modelType))
      throw invalidQuery(
        `Option ${name.toUpperCase()} does not apply to MODEL_TYPE ${modelType}; remove it.`,
      );
    if (value === null) continue;
    out[name] = checkValue(name, spec, value);
  }
  crossCheck(modelType, out);
  return { modelType, options: out };
}

function crossCheck(mt: ModelType, o: TrainingOptions): void {
  const fail = (m: string) => invalidQuery(m);
  if (o.warm_start === true) throw unsupported('WARM_START = TRUE (warm-starting a model)');
  if (o.calculate_p_values === true) throw unsupported('CALCULATE_P_VALUES = TRUE (ML.ADVANCED_WEIGHTS)');
  if (o.category_encoding_method === 'TARGET_ENCODING')
    throw unsupported("CATEGORY_ENCODING_METHOD 'TARGET_ENCODING'");
  if (o.optimizer === 'FTRL') throw unsupported("OPTIMIZER 'FTRL'; use ADAM, ADAGRAD, RMSPROP or SGD");
  if (o.activation_fn === 'CRELU') throw unsupported("ACTIVATION_FN 'CRELU'");
  if (typeof o.l1_reg_activation === 'number' && o.l1_reg_activation > 0)
    throw unsupported('L1_REG_ACTIVATION > 0');
  const enc = o.category_encoding_method;
  if (enc && GLM.includes(mt) && !['ONE_HOT_ENCODING', 'DUMMY_ENCODING'].includes(enc as string))
    throw fail(
      `Option CATEGORY_ENCODING_METHOD for ${mt} must be ONE_HOT_ENCODING or DUMMY_ENCODING; got ${enc}.`,
    );
  if (enc === 'DUMMY_ENCODING' && TREE.includes(mt))
    throw fail(
      `Option CATEGORY_ENCODING_METHOD for ${mt} must be LABEL_ENCODING or ONE_HOT_ENCODING; got ${enc}.`,
    );
  if (Array.isArray(o.input_label_cols) && o.input_label_cols.length !== 1)
    throw fail(
      "Option INPUT_LABEL_COLS must name exactly one label column, e.g. INPUT_LABEL_COLS = ['label'].",
    );
  if (GLM.includes(mt) && o.learn_rate !== undefined && o.learn_rate_strategy !== 'CONSTANT')
    throw fail(
      "Option LEARN_RATE needs LEARN_RATE_STRATEGY = 'CONSTANT'; with LINE_SEARCH use LS_INIT_LEARN_RATE.",
    );
  if (o.optimize_strategy === 'NORMAL_EQUATION' && typeof o.l1_reg === 'number' && o.l1_reg > 0)
    throw fail("OPTIMIZE_STRATEGY 'NORMAL_EQUATION' cannot be used with L1_REG; use BATCH_GRADIENT_DESCENT.");
  if (o.auto_class_weights === true && o.class_weights !== undefined)
    throw fail('Options AUTO_CLASS_WEIGHTS and CLASS_WEIGHTS exclude each other; set only one.');
  const method = (o.data_split_method as string | undefined) ?? 'AUTO_SPLIT';
  if ((method === 'CUSTOM' || method === 'SEQ') && !o.data_split_col)
    throw fail(`DATA_SPLIT_METHOD '${method}' needs DATA_SPLIT_COL naming the split column.`);
  if (o.data_split_col && method !== 'CUSTOM' && method !== 'SEQ')
    throw fail("Option DATA_SPLIT_COL is used only with DATA_SPLIT_METHOD 'CUSTOM' or 'SEQ'.");
  if (o.data_split_eval_fraction !== undefined && !['RANDOM', 'SEQ'].includes(method))
    throw fail("Option DATA_SPLIT_EVAL_FRACTION is used only with DATA_SPLIT_METHOD 'RANDOM' or 'SEQ'.");
  if (o.kmeans_init_method === 'CUSTOM' && !o.kmeans_init_col)
    throw fail("KMEANS_INIT_METHOD 'CUSTOM' needs KMEANS_INIT_COL naming a BOOL column.");
  if (o.kmeans_init_col && o.kmeans_init_method !== 'CUSTOM')
    throw fail("Option KMEANS_INIT_COL is used only with KMEANS_INIT_METHOD 'CUSTOM'.");
  if (
    mt === 'PCA' &&
    (o.num_principal_components === undefined) === (o.pca_explained_variance_ratio === undefined)
  )
    throw fail('A PCA model needs exactly one of NUM_PRINCIPAL_COMPONENTS or PCA_EXPLAINED_VARIANCE_RATIO.');
  if (mt === 'AUTOENCODER' && Array.isArray(o.hidden_units) && o.hidden_units.length % 2 === 0)
    throw fail(
      'Option HIDDEN_UNITS of an AUTOENCODER must have odd length; the middle layer is the latent space.',
    );
}

/** Whether the model type has labels (and ML.EXPLAIN_PREDICT / GLOBAL_EXPLAIN). */
export const isSupervised = (mt: string): boolean => SUPERVISED.includes(mt);
/** Whether the model type predicts classes. */
export const isClassifier = (mt: string): boolean => CLASSIFIERS.includes(mt);
/** Whether the model type is a boosted tree. */
export const isTree = (mt: string): boolean => TREE.includes(mt);
/** Whether the model type splits its training data. */
export const usesSplit = (mt: string): boolean => SPLIT.includes(mt);
