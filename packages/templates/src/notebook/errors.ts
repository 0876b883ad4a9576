import { TemplateOptionsError } from '../errors.ts';

/**
 * A notebook template or option is wrong (the option may be a template location such as
 * `01-custom-training.nb.hbs:12`); the message names it and says how to fix it.
 */
export class NotebookTemplateError extends TemplateOptionsError {
  override name = 'NotebookTemplateError';
}
