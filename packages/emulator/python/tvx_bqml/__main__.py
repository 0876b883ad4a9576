"""`python -m tvx_bqml --serve`: one JSON request per stdin line -> one JSON answer line.

Requests: `{"cmd": "train", ...}` (training progress comes first as `{"progress": IterationResult}` lines) and one
per ML function (`predict`, `explain_predict`, `evaluate`, `confusion_matrix`, `roc_curve`, `global_explain`,
`feature_importance`). A problem with the request or the data answers `{"error": "<what and the fix>"}`; an
engine failure answers `{"error": "internal error ...", "trace": ...}`. The process keeps serving either way.
"""

import json
import math
import os
import sys
import traceback
import warnings

from .prep import UserError


def _clean(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item"):
        return _clean(v.item())
    return v


def answer(req, out):
    def emit(iteration):
        out.write(json.dumps({"progress": _clean(iteration)}) + "\n")
        out.flush()

    cmd = req.get("cmd")
    if cmd == "train":
        from .engine import train

        return train(req, emit)
    from . import functions

    handler = getattr(functions, cmd, None) if cmd in {
        "predict", "explain_predict", "evaluate", "confusion_matrix", "roc_curve", "global_explain", "feature_importance",
    } else None
    if handler is None:
        raise UserError(f"cmd {cmd!r} is not a tvx_bqml request.")
    return handler(req)


def serve(out):
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            res = _clean(answer(req, out))
        except UserError as e:
            res = {"error": str(e)}
        except json.JSONDecodeError as e:
            res = {"error": f"request: not valid JSON ({e})"}
        except Exception as e:  # noqa: BLE001 - reported to the caller with its trace
            res = {"error": f"internal error in the local BigQuery ML engine: {e!r}", "trace": traceback.format_exc(limit=8)}
        out.write(json.dumps(res) + "\n")
        out.flush()


def main():
    warnings.filterwarnings("ignore")
    # Native code may print to fd 1: keep the real stdout for answers only.
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    serve(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
