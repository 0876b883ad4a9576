/**
 * The one error this package throws on purpose: bad trainer options, caught before anything is
 * rendered. The message names the option and says how to fix it.
 */
export class TrainerOptionsError extends Error {
  override name = 'TrainerOptionsError';
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
