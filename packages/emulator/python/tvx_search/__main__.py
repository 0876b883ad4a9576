"""`python -m tvx_search`: one JSON request on stdin -> one JSON response on stdout.

Errors in the request print `{"error": "<field path>: <what is wrong>"}` and exit with status 2; any other
failure prints `{"error": ...}` and exits with status 1. `--serve` answers one request per stdin line
(one response line each, errors included) until stdin closes, so a caller can keep one process warm.
"""

import json
import os
import sys
import traceback

from .api import suggest
from .space import SpecError


def answer(text):
    """Returns (response dict, exit status)."""
    try:
        req = json.loads(text)
    except json.JSONDecodeError as e:
        return {"error": f"request: not valid JSON ({e})"}, 2
    try:
        return suggest(req), 0
    except SpecError as e:
        return {"error": str(e)}, 2
    except Exception as e:  # noqa: BLE001 - reported to the caller, not swallowed
        return {"error": f"internal error: {e!r}", "trace": traceback.format_exc(limit=5)}, 1


def main():
    # Native code (L-BFGS-B's Fortran) may print to fd 1: keep the real stdout for responses only.
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    if "--serve" in sys.argv[1:]:
        for line in sys.stdin:
            if line.strip():
                res, _ = answer(line)
                out.write(json.dumps(res) + "\n")
                out.flush()
        return 0
    res, status = answer(sys.stdin.read())
    out.write(json.dumps(res) + "\n")
    out.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
