// Placeholder: the cleanup helper (issue 10) fills this module.
export {};
