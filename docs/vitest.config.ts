import shared from '../vitest.shared.ts';

/** The guides' checks (docs/test): links, notebooks, imports, typechecked examples and `tvx` commands. */
export default shared;
