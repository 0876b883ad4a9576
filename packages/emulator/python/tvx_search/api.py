"""Request validation and dispatch: one JSON-able request dict in, one response dict out."""

import math

from . import gp_bandit, grid, random_search
from .space import SpecError, Space, key

ALGORITHMS = ("ALGORITHM_UNSPECIFIED", "GRID_SEARCH", "RANDOM_SEARCH")
GOALS = ("GOAL_TYPE_UNSPECIFIED", "MAXIMIZE", "MINIMIZE")


def suggest(req):
    if not isinstance(req, dict):
        raise SpecError("request: expected a JSON object")
    algorithm = req.get("algorithm") or "ALGORITHM_UNSPECIFIED"
    if algorithm not in ALGORITHMS:
        raise SpecError(f"algorithm: unknown algorithm {algorithm!r}; expected one of {', '.join(ALGORITHMS)}")
    space = Space(req.get("parameters"))
    metric = req.get("metric") or {}
    if not isinstance(metric, dict):
        raise SpecError("metric: expected an object {metricId, goal}")
    goal = metric.get("goal") or "GOAL_TYPE_UNSPECIFIED"
    if goal not in GOALS:
        raise SpecError(f"metric.goal: unknown goal {goal!r}; expected MAXIMIZE or MINIMIZE")
    maximize = goal != "MINIMIZE"
    count = req.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise SpecError(f"count: a positive integer is required, got {count!r}")
    seed = req.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SpecError(f"seed: a non-negative integer is required, got {seed!r}")
    completed = []
    for i, t in enumerate(req.get("completed") or []):
        path = f"completed[{i}]"
        if not isinstance(t, dict):
            raise SpecError(f"{path}: expected an object {{parameters, value}}")
        v = t.get("value")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise SpecError(f"{path}.value: a finite number is required, got {v!r}")
        completed.append((space.parse_params(t.get("parameters"), f"{path}.parameters"), float(v)))
    pending = []
    for i, t in enumerate(req.get("pending") or []):
        if not isinstance(t, dict):
            raise SpecError(f"pending[{i}]: expected an object {{parameters}}")
        pending.append(space.parse_params(t.get("parameters"), f"pending[{i}].parameters"))
    acquisition = req.get("acquisition") or "EI"
    if acquisition not in ("EI", "UCB"):
        raise SpecError(f"acquisition: expected EI or UCB, got {acquisition!r}")

    if algorithm == "GRID_SEARCH":
        used = {key(p) for p, _ in completed} | {key(p) for p in pending}
        points, exhausted = grid.suggest(space, used, count)
        return {"suggestions": points, "exhausted": exhausted}
    start = len(completed) + len(pending)
    if algorithm == "RANDOM_SEARCH":
        return {"suggestions": random_search.suggest(space, seed, start, count), "exhausted": False}
    return {
        "suggestions": gp_bandit.suggest(space, completed, pending, count, seed, maximize, acquisition),
        "exhausted": False,
    }
