/** The reference's option defaults per model type (§3.2), as `trainingOptions` reports them. */
import {
  CLASSIFIERS,
  DNN,
  GLM,
  ITERATIVE,
  type ModelType,
  SPLIT,
  SUPERVISED,
  TREE,
  type TrainingOptions,
} from './options.ts';

/** Defaults per model type (reference §3.2) that `trainingOptions` reports when the statement left them out. */
export function withDefaults(mt: ModelType, o: TrainingOptions): TrainingOptions {
  const d: TrainingOptions = {};
  if (ITERATIVE.includes(mt))
    Object.assign(d, { max_iterations: 20, early_stop: true, min_rel_progress: 0.01 });
  if (SPLIT.includes(mt)) d.data_split_method = 'AUTO_SPLIT';
  if (SUPERVISED.includes(mt))
    Object.assign(d, { input_label_cols: ['label'], enable_global_explain: false });
  if (GLM.includes(mt))
    Object.assign(d, {
      l1_reg: 0,
      l2_reg: 0,
      learn_rate_strategy: 'LINE_SEARCH',
      ls_init_learn_rate: 0.1,
      optimize_strategy: 'AUTO_STRATEGY',
      fit_intercept: true,
      category_encoding_method: 'ONE_HOT_ENCODING',
    });
  if (TREE.includes(mt))
    Object.assign(d, {
      booster_type: 'GBTREE',
      num_parallel_tree: 1,
      max_tree_depth: 6,
      l1_reg: 0,
      l2_reg: 1,
      learn_rate: 0.3,
      tree_method: 'AUTO',
      min_tree_child_weight: 1,
      colsample_bytree: 1,
      colsample_bylevel: 1,
      colsample_bynode: 1,
      min_split_loss: 0,
      subsample: 1,
      category_encoding_method: 'LABEL_ENCODING',
    });
  if (DNN.includes(mt) || mt === 'AUTOENCODER')
    Object.assign(d, { optimizer: 'ADAM', learn_rate: 0.001, activation_fn: 'RELU', dropout: 0 });
  if (CLASSIFIERS.includes(mt)) d.auto_class_weights = false;
  if (mt === 'KMEANS')
    Object.assign(d, {
      kmeans_init_method: 'RANDOM',
      distance_type: 'EUCLIDEAN',
      standardize_features: true,
    });
  if (mt === 'PCA') Object.assign(d, { scale_features: true, pca_solver: 'AUTO' });
  return { ...d, ...o };
}
