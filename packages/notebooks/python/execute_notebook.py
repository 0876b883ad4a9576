"""Execute one notebook with nbclient, cell by cell, stopping at the first error.

    /usr/bin/python3 execute_notebook.py IN.ipynb OUT.ipynb [--kernel tslab] [--timeout 600]
        [--startup-timeout 120] [--cwd DIR]

Writes the executed notebook to OUT.ipynb (also when a cell fails: the cells up to the failing one keep
their outputs) and reports on stdout, one JSON object per line:
    {"event": "start", "cells": N}
    {"event": "cell", "index": I, "seconds": S, "type": "code"}       (after each code cell)
    {"event": "error", "index": I, "source": "...", "message": "..."}  (the first failing cell)
    {"event": "done", "ok": true|false, "seconds": S}
Exit status: 0 when every cell ran, 1 when a cell failed, 2 for bad arguments or a kernel that did not start.

tslab sends no `error` message: a failing cell's text is in its stderr stream, so the message is taken
from the cell's outputs. tslab also aborts queued requests after an error, so running on would only
return empty cells.
"""

import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def cell_error_text(cell, exc):
    """The error text of a failed cell: its stderr and error outputs, else the exception."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s" % (out.get("ename", ""), out.get("evalue", "")))
            parts.extend(out.get("traceback", []))
    text = "".join(parts).strip()
    return text or str(exc).strip()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--startup-timeout", type=int, default=120, help="seconds for the kernel to start")
    parser.add_argument("--cwd", default=None, help="kernel working directory (default: the notebook's)")
    args = parser.parse_args(argv)

    nb = nbformat.read(args.input, as_version=4)
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.input))
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout,
                            startup_timeout=args.startup_timeout, resources={"metadata": {"path": cwd}})
    started = time.monotonic()
    emit(event="start", cells=len(nb.cells))
    ok = True
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                cell_started = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                    emit(event="error", index=index, source=cell.source, message=cell_error_text(cell, exc))
                    ok = False
                    break
                emit(event="cell", index=index, seconds=round(time.monotonic() - cell_started, 3), type="code")
    except Exception as exc:  # the kernel did not start, or died between cells
        emit(event="error", index=-1, source="", message="%s: %s" % (type(exc).__name__, exc))
        ok = False
        nbformat.write(nb, args.output)
        emit(event="done", ok=False, seconds=round(time.monotonic() - started, 3))
        return 2
    nbformat.write(nb, args.output)
    emit(event="done", ok=ok, seconds=round(time.monotonic() - started, 3))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
