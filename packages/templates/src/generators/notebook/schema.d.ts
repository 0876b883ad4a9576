/** Options of the `@terra-vertex/templates:notebook` generator (mirrors schema.json). */
export interface NotebookGeneratorSchema {
  /** File name without `.ipynb`. */
  name: string;
  /** First heading; default: the name. */
  title?: string;
  /** Output directory relative to the workspace root; default `notebooks`. */
  directory?: string;
  framework?: 'sklearn' | 'xgboost' | 'pytorch';
  /** Replace an existing notebook of that name. */
  overwrite?: boolean;
}
