"""RANDOM_SEARCH: uniform in each parameter's scaled unit interval (so log scales sample log-uniformly).

Trial number i (counting completed and pending trials) draws from a generator seeded by (seed, i), so one call
asking for n points returns the same points as n sequential calls.
"""

import numpy as np


def point(space, seed, index):
    """The random point for trial `index`."""
    rng = np.random.default_rng([seed, index])
    u = rng.random(space.dim)
    for p in space.nodes:  # widen by half a cell so the end values of integers/discrete are not under-sampled
        if p.kind in ("integerValueSpec", "discreteValueSpec") and p.values is not None and len(p.values) > 1:
            o, n = space.offset[id(p)], len(p.values)
            u[o] = (u[o] * n - 0.5) / (n - 1)
    return space.decode(u)


def suggest(space, seed, start, count):
    return [point(space, seed, start + j) for j in range(count)]
