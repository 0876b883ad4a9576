"""Search space: validation of StudySpec.ParameterSpec (proto3 JSON), the parameter tree with conditional
children, and the map between parameter values and points of the unit cube used by the GP bandit.

Scales follow OSS Vizier (`pyvizier/converters/core.py`): LOG `u = (ln x - ln lo)/(ln hi - ln lo)`,
REVERSE_LOG `u = 1 - (ln(lo + hi - x) - ln lo)/(ln hi - ln lo)`. Integers and discrete values are snapped
to the nearest feasible value in the scaled coordinate; categorical parameters are one-hot (argmax decodes).
A conditional child occupies its own dimensions; while inactive they hold the centre (0.5) and are ignored.
"""

import math

import numpy as np

SCALES = ("SCALE_TYPE_UNSPECIFIED", "UNIT_LINEAR_SCALE", "UNIT_LOG_SCALE", "UNIT_REVERSE_LOG_SCALE")
VALUE_SPECS = ("doubleValueSpec", "integerValueSpec", "categoricalValueSpec", "discreteValueSpec")
PARENT_CONDITIONS = {
    "parentIntValues": "integerValueSpec",
    "parentDiscreteValues": "discreteValueSpec",
    "parentCategoricalValues": "categoricalValueSpec",
}
DISCRETE_EPS = 1e-10


class SpecError(ValueError):
    """A request that Vertex would reject; the message starts with the offending field's path."""


def _num(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SpecError(f"{path}: expected a number, got {json_repr(value)}")
    try:
        out = float(value)
    except ValueError:
        raise SpecError(f"{path}: expected a number, got {json_repr(value)}") from None
    if not math.isfinite(out):
        raise SpecError(f"{path}: must be finite, got {json_repr(value)}")
    return out


def _int(value, path):
    out = _num(value, path)
    if out != int(out):
        raise SpecError(f"{path}: expected an integer, got {json_repr(value)}")
    return int(out)


def json_repr(value):
    import json

    return json.dumps(value)


class Param:
    """One node of the parameter tree (a top-level parameter or an active-when conditional child)."""

    def __init__(self, spec, path, parent=None, condition=None):
        if not isinstance(spec, dict):
            raise SpecError(f"{path}: expected an object (ParameterSpec)")
        pid = spec.get("parameterId")
        if not isinstance(pid, str) or not pid or any(c.isspace() for c in pid):
            raise SpecError(f"{path}.parameterId: required, a non-empty string without whitespace, got {json_repr(pid)}")
        self.id, self.path, self.parent, self.condition = pid, path, parent, condition
        kinds = [k for k in VALUE_SPECS if spec.get(k) is not None]
        if len(kinds) != 1:
            raise SpecError(f"{path}: exactly one of {', '.join(VALUE_SPECS)} is required (parameter {pid!r}), got {kinds or 'none'}")
        self.kind = kinds[0]
        vs, vpath = spec[self.kind], f"{path}.{self.kind}"
        scale = spec.get("scaleType") or "SCALE_TYPE_UNSPECIFIED"
        if scale not in SCALES:
            raise SpecError(f"{path}.scaleType: unknown scale {json_repr(scale)}; expected one of {', '.join(SCALES)}")
        self.scale = "UNIT_LINEAR_SCALE" if scale == "SCALE_TYPE_UNSPECIFIED" else scale
        self.values = None
        if self.kind == "categoricalValueSpec":
            vals = vs.get("values")
            if not isinstance(vals, list) or not vals or not all(isinstance(v, str) for v in vals):
                raise SpecError(f"{vpath}.values: a non-empty list of strings is required")
            if len(set(vals)) != len(vals):
                raise SpecError(f"{vpath}.values: values must be unique")
            if scale not in ("SCALE_TYPE_UNSPECIFIED", "UNIT_LINEAR_SCALE"):
                raise SpecError(f"{path}.scaleType: leave unset for a categorical parameter, got {scale}")
            self.values, self.dims = list(vals), len(vals)
        else:
            if self.kind == "discreteValueSpec":
                vals = vs.get("values")
                if not isinstance(vals, list) or not vals:
                    raise SpecError(f"{vpath}.values: a non-empty list of numbers is required")
                if len(vals) > 1000:
                    raise SpecError(f"{vpath}.values: at most 1000 values, got {len(vals)}")
                vals = [_num(v, f"{vpath}.values[{i}]") for i, v in enumerate(vals)]
                for i in range(1, len(vals)):
                    if vals[i] - vals[i - 1] < DISCRETE_EPS:
                        raise SpecError(f"{vpath}.values: must be increasing and at least 1e-10 apart ({vals[i - 1]} then {vals[i]})")
                self.values, self.lo, self.hi = vals, vals[0], vals[-1]
            else:
                conv = _int if self.kind == "integerValueSpec" else _num
                if vs.get("minValue") is None or vs.get("maxValue") is None:
                    raise SpecError(f"{vpath}: minValue and maxValue are required")
                self.lo, self.hi = conv(vs["minValue"], f"{vpath}.minValue"), conv(vs["maxValue"], f"{vpath}.maxValue")
                if self.lo > self.hi:
                    raise SpecError(f"{vpath}: minValue {fmt(self.lo)} > maxValue {fmt(self.hi)} (parameter {pid!r})")
                if self.kind == "integerValueSpec":
                    self.values = list(range(self.lo, self.hi + 1)) if self.hi - self.lo < 100_000 else None
            if self.scale != "UNIT_LINEAR_SCALE" and self.lo <= 0:
                raise SpecError(f"{path}.scaleType: {self.scale} needs a strictly positive range, but the minimum is {fmt(self.lo)} (parameter {pid!r})")
            self.dims = 1
            if self.values is not None:
                self.grid_u = np.array([self._to_u(v) for v in self.values])
        self.children = []
        for i, c in enumerate(spec.get("conditionalParameterSpecs") or []):
            cpath = f"{path}.conditionalParameterSpecs[{i}]"
            if not isinstance(c, dict):
                raise SpecError(f"{cpath}: expected an object")
            conds = [k for k in PARENT_CONDITIONS if c.get(k) is not None]
            if len(conds) != 1:
                raise SpecError(f"{cpath}: exactly one of {', '.join(PARENT_CONDITIONS)} is required")
            if PARENT_CONDITIONS[conds[0]] != self.kind:
                raise SpecError(f"{cpath}.{conds[0]}: does not fit parent {pid!r} of type {self.kind}")
            raw = (c[conds[0]] or {}).get("values")
            if not isinstance(raw, list) or not raw:
                raise SpecError(f"{cpath}.{conds[0]}.values: a non-empty list is required")
            cond = [self._check_value(v, f"{cpath}.{conds[0]}.values[{j}]") for j, v in enumerate(raw)]
            self.children.append(Param(c.get("parameterSpec"), f"{cpath}.parameterSpec", self, cond))

    def _check_value(self, v, path):
        """Parses a parent-condition value and checks that the parent can take it."""
        if self.kind == "categoricalValueSpec":
            if v not in self.values:
                raise SpecError(f"{path}: {json_repr(v)} is not one of the parent's values")
            return v
        x = _int(v, path) if self.kind == "integerValueSpec" else _num(v, path)
        if not self.feasible(x):
            raise SpecError(f"{path}: {fmt(x)} is not a feasible value of parent {self.id!r}")
        return x

    def feasible(self, x):
        if self.kind == "categoricalValueSpec":
            return x in self.values
        if self.kind == "discreteValueSpec":
            return any(abs(x - v) <= DISCRETE_EPS for v in self.values)
        return self.lo <= x <= self.hi

    def matches(self, parent_value):
        """Whether this child is active given its parent's value."""
        if parent_value is None:
            return False
        if self.parent.kind == "categoricalValueSpec":
            return parent_value in self.condition
        return any(abs(float(parent_value) - c) <= DISCRETE_EPS for c in self.condition)

    def _to_u(self, x):
        lo, hi = self.lo, self.hi
        if hi == lo:
            return 0.5
        if self.scale == "UNIT_LOG_SCALE":
            return (math.log(x) - math.log(lo)) / (math.log(hi) - math.log(lo))
        if self.scale == "UNIT_REVERSE_LOG_SCALE":
            return 1.0 - (math.log(max(lo + hi - x, lo)) - math.log(lo)) / (math.log(hi) - math.log(lo))
        return (x - lo) / (hi - lo)

    def _from_u(self, u):
        lo, hi, u = self.lo, self.hi, min(1.0, max(0.0, float(u)))
        if self.scale == "UNIT_LOG_SCALE":
            x = math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
        elif self.scale == "UNIT_REVERSE_LOG_SCALE":
            x = (lo + hi) - math.exp(math.log(hi) - (math.log(hi) - math.log(lo)) * u)
        else:
            x = lo + u * (hi - lo)
        return min(hi, max(lo, x))

    def encode(self, value):
        """Parameter value -> list of `dims` unit-cube coordinates."""
        if self.kind == "categoricalValueSpec":
            return [1.0 if v == value else 0.0 for v in self.values]
        return [self._to_u(float(value))]

    def decode(self, u):
        """Unit-cube coordinates -> the nearest feasible value (int for integers, str for categoricals)."""
        if self.kind == "categoricalValueSpec":
            return self.values[int(np.argmax(u))]
        if self.kind == "doubleValueSpec":
            return self._from_u(u[0])
        if self.values is not None:
            v = self.values[int(np.argmin(np.abs(self.grid_u - u[0])))]
        else:  # a huge integer range: round in value space
            v = round(self._from_u(u[0]))
        return int(v) if self.kind == "integerValueSpec" else float(v)

    def parse(self, value, path):
        """A value from a completed/pending trial, checked and typed."""
        if self.kind == "categoricalValueSpec":
            if value not in self.values:
                raise SpecError(f"{path}: {json_repr(value)} is not one of {self.values}")
            return value
        x = _int(value, path) if self.kind == "integerValueSpec" else _num(value, path)
        if not self.feasible(x):
            raise SpecError(f"{path}: {fmt(x)} is outside parameter {self.id!r}'s feasible values")
        return x


def fmt(x):
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


class Space:
    """The parameter tree of a StudySpec, flattened into unit-cube dimensions."""

    def __init__(self, specs):
        if not isinstance(specs, list) or not specs:
            raise SpecError("parameters: at least one ParameterSpec is required")
        self.roots = [Param(s, f"parameters[{i}]") for i, s in enumerate(specs)]
        self.nodes, self.offset = [], {}
        seen = {}
        stack = list(reversed(self.roots))
        while stack:
            p = stack.pop()
            prev = seen.get(p.id)
            if prev is not None and not (prev.parent is p.parent and p.parent is not None and not set(map(str, prev.condition)) & set(map(str, p.condition))):
                raise SpecError(f"{p.path}.parameterId: duplicate parameter id {p.id!r} (also at {prev.path})")
            seen[p.id] = p
            self.offset[id(p)] = sum(n.dims for n in self.nodes)
            self.nodes.append(p)
            stack.extend(reversed(p.children))
        self.dim = sum(n.dims for n in self.nodes)

    def active(self, params):
        """Yields (node, value) for the nodes active in a parameter dict, top-down."""
        stack = [(r, True) for r in reversed(self.roots)]
        while stack:
            p, on = stack.pop()
            if not on:
                continue
            yield p, params.get(p.id)
            stack.extend((c, c.matches(params.get(p.id))) for c in reversed(p.children))

    def parse_params(self, params, path):
        """Checks a trial's parameter dict: active parameters must be present and feasible."""
        if not isinstance(params, dict):
            raise SpecError(f"{path}: expected an object of parameterId -> value")
        out = {}
        for p, v in self.active(params):
            if v is None:
                raise SpecError(f"{path}.{p.id}: missing (the parameter is active)")
            out[p.id] = p.parse(v, f"{path}.{p.id}")
        return out

    def encode(self, params):
        u = np.full(self.dim, 0.5)
        for p, v in self.active(params):
            o = self.offset[id(p)]
            u[o : o + p.dims] = p.encode(v)
        return u

    def decode(self, u):
        out = {}
        stack = list(reversed(self.roots))
        while stack:
            p = stack.pop()
            o = self.offset[id(p)]
            out[p.id] = p.decode(u[o : o + p.dims])
            stack.extend(c for c in reversed(p.children) if c.matches(out[p.id]))
        return out

    def snap(self, u):
        """Projects a unit-cube point onto the feasible set (as the GP sees it)."""
        return self.encode(self.decode(u))

    def snap_many(self, U):
        """`snap` for each row of U; vectorised when there are no conditional parameters."""
        U = np.clip(np.asarray(U, float), 0.0, 1.0)
        if len(self.nodes) != len(self.roots):
            return np.array([self.snap(u) for u in U])
        out = U.copy()
        for p in self.nodes:
            o = self.offset[id(p)]
            if p.kind == "categoricalValueSpec":
                block = np.zeros((len(U), p.dims))
                block[np.arange(len(U)), np.argmax(U[:, o : o + p.dims], axis=1)] = 1.0
                out[:, o : o + p.dims] = block
            elif p.kind != "doubleValueSpec" and p.values is not None:
                out[:, o] = p.grid_u[np.argmin(np.abs(U[:, o, None] - p.grid_u[None, :]), axis=1)]
            elif p.kind != "doubleValueSpec" or p.hi == p.lo:
                out[:, o] = [self.snap(u)[o] for u in U]
        return out


def key(params):
    """A hashable identity for a parameter dict (floats to 12 significant digits)."""
    return tuple(sorted((k, f"{v:.12g}" if isinstance(v, float) else repr(v)) for k, v in params.items()))
