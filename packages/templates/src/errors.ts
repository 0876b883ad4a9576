/**
 * Errors this package throws on purpose: bad options, caught before anything is rendered. The message
 * names the option and says how to fix it.
 */
export class TemplateOptionsError extends Error {
  override name = 'TemplateOptionsError';
  /** The option at fault, e.g. `hyperparameters[1].min` or `framework`. */
  readonly option: string;
  /** What to do about it. */
  readonly fix: string;

  constructor(option: string, problem: string, fix: string) {
    super(`${option}: ${problem}. ${fix}`);
    this.option = option;
    this.fix = fix;
  }
}

/** Bad trainer options. */
export class TrainerOptionsError extends TemplateOptionsError {
  override name = 'TrainerOptionsError';
}
