/** Helpers to emit Python source text safely. */

/** Python 3 keywords (and soft keywords that would confuse readers), never valid as names. */
const PYTHON_KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'match',
  'case',
]);

/** Whether `name` is an ASCII Python identifier that is not a keyword. */
export function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}

/** Whether `name` is a Python keyword. */
export function isPythonKeyword(name: string): boolean {
  return PYTHON_KEYWORDS.has(name);
}

/** A Python string literal (JSON's double-quoted escapes are valid Python). */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/** A Python float literal: `1` becomes `1.0`, `1e-7` stays `1e-7`. */
export function pyFloat(value: number): string {
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** A Python int literal. */
export function pyInt(value: number): string {
  return String(Math.trunc(value));
}

/** A Python list of string literals, e.g. `["torch", "numpy"]`. */
export function pyStringList(values: readonly string[]): string {
  return `[${values.map(pyString).join(', ')}]`;
}
