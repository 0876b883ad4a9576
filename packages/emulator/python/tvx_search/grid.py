"""GRID_SEARCH: the exact cartesian product of the feasible values, in a fixed order.

Order: parameters in spec order, the first one varying slowest; each parameter's values in spec order
(integers ascending); a conditional child's values are nested under the parent value that activates it.
Points already completed or pending are skipped, so repeated calls walk the grid to its end.
"""

import itertools

from .space import SpecError, key


def _options(param):
    """Every assignment of `param` and its active descendants, as a list of dicts."""
    if param.kind == "doubleValueSpec":
        raise SpecError(
            f"{param.path}.doubleValueSpec: GRID_SEARCH needs INTEGER, CATEGORICAL or DISCRETE parameters; "
            f"parameter {param.id!r} is a DOUBLE range (use discreteValueSpec with the values to try)"
        )
    if param.values is None:
        raise SpecError(f"{param.path}.integerValueSpec: range too large for GRID_SEARCH")
    out = []
    for v in param.values:
        kids = [c for c in param.children if c.matches(v)]
        for combo in _product(kids):
            out.append({param.id: v, **combo})
    return out


def _product(params):
    """Cartesian product of the assignments of several sibling parameters."""
    result = [{}]
    for p in params:
        result = [{**a, **b} for a, b in itertools.product(result, _options(p))]
    return result


def grid_points(space):
    return _product(space.roots)


def suggest(space, used, count):
    """Next `count` unused grid points; `exhausted` when none remain after them."""
    points = grid_points(space)
    fresh = [p for p in points if key(p) not in used]
    return fresh[:count], len(fresh) <= count
