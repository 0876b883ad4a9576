// Placeholder: the comparison helpers (issue 10) fill this module.
export {};
