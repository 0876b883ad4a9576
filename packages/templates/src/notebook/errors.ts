/**
 * A notebook template or option is wrong; the message names it and says how to fix it (like
 * `TrainerOptionsError` for trainers).
 */
export class NotebookTemplateError extends Error {
  override name = 'NotebookTemplateError';
  /** The option or template at fault, e.g. `name` or `01-custom-training.nb.hbs:12`. */
  readonly option: string;
  /** What to do about it. */
  readonly fix: string;

  constructor(option: string, problem: string, fix: string) {
    super(`${option}: ${problem}. ${fix}`);
    this.option = option;
    this.fix = fix;
  }
}
