/** Options of the `@terra-vertex/templates:trainer` generator (mirrors schema.json). */
export interface TrainerGeneratorSchema {
  /** Python package name (setup.py name). */
  name: string;
  /** Output directory relative to the workspace root; default `trainers/<name>`. */
  directory?: string;
  framework?: 'sklearn' | 'xgboost' | 'pytorch' | 'tf-keras';
  /** Tuning metric; default `accuracy`. */
  metric?: string;
  /** Default: the metric's natural goal. */
  goal?: 'maximize' | 'minimize';
  /** JSON array, or `name:type:min:max[:default][:scale]` entries (a string or a list). */
  hyperparameters?: string | string[];
  task?: 'tabular' | 'image';
  /** Replace an existing package in `directory`. */
  overwrite?: boolean;
}
