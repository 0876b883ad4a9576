/**
 * The `OPTIONS(...)` each BigQuery ML model type takes, with the type and allowed values of each (BigQuery
 * ML reference: CREATE MODEL for generalized linear, boosted tree, DNN, k-means, PCA and autoencoder
 * models). Values are rendered as literals from these specs because BigQuery takes no query parameters in
 * OPTIONS.
 */

/** The model types {@link createModelSql} builds. */
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
/** A BigQuery ML `MODEL_TYPE`. */
export type ModelType = (typeof MODEL_TYPES)[number];

/** Model types trained without a label column. */
export const UNSUPERVISED_MODEL_TYPES: readonly ModelType[] = ['KMEANS', 'PCA', 'AUTOENCODER'];

/** An OPTIONS value as callers give it; `class_weights` takes a label → weight record. */
export type OptionInput = string | number | boolean | (string | number)[] | Record<string, number>;

/** How an option's value is checked and rendered. */
export interface OptionSpec {
  /**
   * `bool` TRUE/FALSE; `int`/`float` finite numbers in `[min, max]`; `enum` one of `values` (upper-cased);
   * `pattern` a string matching `pattern`; `column` one column name; `columns` an array of column names;
   * `ints` an array of positive integers; `weights` a label → weight record (`CLASS_WEIGHTS`).
   */
  type: 'bool' | 'int' | 'float' | 'enum' | 'pattern' | 'column' | 'columns' | 'ints' | 'weights';
  values?: readonly string[];
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** What a `pattern` value must look like, for the error. */
  hint?: string;
}

const bool: OptionSpec = { type: 'bool' };
const fraction: OptionSpec = { type: 'float', min: 0, max: 1 };
const nonNegative: OptionSpec = { type: 'float', min: 0 };
const positiveInt: OptionSpec = { type: 'int', min: 1 };
const enumOf = (...values: string[]): OptionSpec => ({ type: 'enum', values });

const REGISTRY: Record<string, OptionSpec> = {
  model_registry: enumOf('VERTEX_AI'),
  vertex_ai_model_id: {
    type: 'pattern',
    pattern: /^[a-z_][a-z0-9_-]{0,62}$/,
    hint: 'at most 63 lowercase letters, digits, _ and -, not starting with a digit or hyphen',
  },
  kms_key_name: {
    type: 'pattern',
    pattern: /^projects\/[a-z0-9:.-]+\/locations\/[a-z0-9-]+\/keyRings\/[\w-]+\/cryptoKeys\/[\w-]+$/,
    hint: 'projects/P/locations/L/keyRings/R/cryptoKeys/K',
  },
};

const ITERATIVE: Record<string, OptionSpec> = {
  max_iterations: positiveInt,
  early_stop: bool,
  min_rel_progress: fraction,
  warm_start: bool,
};

const SUPERVISED: Record<string, OptionSpec> = {
  ...REGISTRY,
  ...ITERATIVE,
  input_label_cols: { type: 'columns' },
  data_split_method: enumOf('AUTO_SPLIT', 'RANDOM', 'CUSTOM', 'SEQ', 'NO_SPLIT'),
  data_split_eval_fraction: fraction,
  data_split_test_fraction: fraction,
  data_split_col: { type: 'column' },
  enable_global_explain: bool,
  l1_reg: nonNegative,
  l2_reg: nonNegative,
  learn_rate: { type: 'float', min: 0 },
};

const CLASSIFIER: Record<string, OptionSpec> = {
  auto_class_weights: bool,
  class_weights: { type: 'weights' },
};

const GLM: Record<string, OptionSpec> = {
  ...SUPERVISED,
  optimize_strategy: enumOf('AUTO_STRATEGY', 'BATCH_GRADIENT_DESCENT', 'NORMAL_EQUATION'),
  learn_rate_strategy: enumOf('LINE_SEARCH', 'CONSTANT'),
  ls_init_learn_rate: { type: 'float', min: 0 },
  calculate_p_values: bool,
  fit_intercept: bool,
  category_encoding_method: enumOf('ONE_HOT_ENCODING', 'DUMMY_ENCODING'),
};

const BOOSTED_TREE: Record<string, OptionSpec> = {
  ...SUPERVISED,
  booster_type: enumOf('GBTREE', 'DART'),
  dart_normalize_type: enumOf('TREE', 'FOREST'),
  num_parallel_tree: positiveInt,
  max_tree_depth: positiveInt,
  dropout: fraction,
  tree_method: enumOf('AUTO', 'EXACT', 'APPROX', 'HIST'),
  min_tree_child_weight: nonNegative,
  colsample_bytree: fraction,
  colsample_bylevel: fraction,
  colsample_bynode: fraction,
  min_split_loss: nonNegative,
  subsample: fraction,
  category_encoding_method: enumOf('LABEL_ENCODING', 'TARGET_ENCODING', 'ONE_HOT_ENCODING'),
  xgboost_version: enumOf('0.9', '1.1'),
  approx_global_feature_contrib: bool,
  instance_weight_col: { type: 'column' },
};

const NEURAL: Record<string, OptionSpec> = {
  optimizer: enumOf('ADAGRAD', 'ADAM', 'FTRL', 'RMSPROP', 'SGD'),
  activation_fn: enumOf('RELU', 'RELU6', 'CRELU', 'ELU', 'SELU', 'SIGMOID', 'TANH'),
  batch_size: positiveInt,
  dropout: { type: 'float', min: 0, max: 0.99 },
  hidden_units: { type: 'ints' },
  tf_version: enumOf('1.15', '2.8.0'),
};

const DNN: Record<string, OptionSpec> = {
  ...SUPERVISED,
  ...NEURAL,
  integrated_gradients_num_steps: positiveInt,
};

const SPECS: Record<ModelType, Record<string, OptionSpec>> = {
  LINEAR_REG: GLM,
  LOGISTIC_REG: { ...GLM, ...CLASSIFIER },
  BOOSTED_TREE_REGRESSOR: BOOSTED_TREE,
  BOOSTED_TREE_CLASSIFIER: { ...BOOSTED_TREE, ...CLASSIFIER },
  DNN_REGRESSOR: DNN,
  DNN_CLASSIFIER: { ...DNN, ...CLASSIFIER },
  KMEANS: {
    ...REGISTRY,
    ...ITERATIVE,
    num_clusters: { type: 'int', min: 2, max: 100 },
    kmeans_init_method: enumOf('RANDOM', 'KMEANS++', 'CUSTOM'),
    kmeans_init_col: { type: 'column' },
    distance_type: enumOf('EUCLIDEAN', 'COSINE'),
    standardize_features: bool,
  },
  PCA: {
    ...REGISTRY,
    num_principal_components: positiveInt,
    pca_explained_variance_ratio: { type: 'float', min: 0, max: 1 },
    scale_features: bool,
    pca_solver: enumOf('AUTO', 'FULL', 'RANDOMIZED'),
  },
  AUTOENCODER: {
    ...REGISTRY,
    ...ITERATIVE,
    ...NEURAL,
    batch_size: { type: 'int', min: 1, max: 8192 },
    learn_rate: { type: 'float', min: 0 },
    l1_reg_activation: nonNegative,
  },
};

/** The options a model type takes, by lower-case name (without `model_type`). */
export function optionsOf(modelType: ModelType): Readonly<Record<string, OptionSpec>> {
  return SPECS[modelType];
}

/** The option names a model type takes, sorted. */
export function optionNames(modelType: ModelType): string[] {
  return Object.keys(SPECS[modelType]).sort();
}
