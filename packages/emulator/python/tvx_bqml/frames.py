"""Binary columnar frame files shared with TypeScript (`src/bigquery/bqml/frames.ts`).

`TVXF`, uint32 LE header length, header JSON `{rows, columns: [{name, type, kind, offset, length}]}`, then each
column 8-byte aligned: `f64` as raw float64 LE (NULL is NaN), `json` as a UTF-8 JSON array of strings/nulls.
"""

import json
import os
import struct

import numpy as np


class Frame:
    """Columns by name: float64 arrays (`f64`) or object arrays of str/None (`json`); `types` are BigQuery's."""

    def __init__(self, rows, columns, types, spans=None):
        self.rows = rows
        self.columns = columns
        self.types = types
        self.spans = spans or {}  # name -> (buffer, byte offset) of f64 columns still backed by the file

    def has(self, name):
        return name in self.columns

    def get(self, name):
        return self.columns[name]

    def take(self, index):
        """A frame of the rows at `index`."""
        if len(index) == self.rows and (self.rows == 0 or (index[0] == 0 and index[-1] == self.rows - 1)):
            return self
        return Frame(len(index), {k: v[index] for k, v in self.columns.items()}, self.types)

    def matrix(self, names):
        """The float64 columns `names` as an (rows, k) matrix: a zero-copy Fortran-order view of the file when
        they lie back to back in it (TypeScript writes numeric columns first, in order), else a copy."""
        spans = [self.spans.get(n) for n in names]
        if names and all(spans) and all(sp[0] is spans[0][0] for sp in spans):
            start = spans[0][1]
            if all(sp[1] == start + 8 * self.rows * i for i, sp in enumerate(spans)):
                flat = np.frombuffer(spans[0][0], dtype="<f8", count=self.rows * len(names), offset=start)
                return flat.reshape(len(names), self.rows).T
        return np.column_stack([self.columns[n] for n in names]).astype(np.float64, copy=False)


def read_frame(path):
    buf = bytearray(os.path.getsize(path))
    with open(path, "rb") as f:
        f.readinto(buf)
    if buf[:4] != b"TVXF":
        raise ValueError(f"{path} is not a frame file")
    (hlen,) = struct.unpack_from("<I", buf, 4)
    header = json.loads(bytes(buf[8 : 8 + hlen]).decode("utf-8"))
    rows = header["rows"]
    cols, types, spans = {}, {}, {}
    for c in header["columns"]:
        if c["kind"] == "f64":
            cols[c["name"]] = np.frombuffer(buf, dtype="<f8", count=rows, offset=c["offset"])
            spans[c["name"]] = (buf, c["offset"])
        else:
            values = json.loads(bytes(buf[c["offset"] : c["offset"] + c["length"]]).decode("utf-8"))
            cols[c["name"]] = np.array(values, dtype=object)
        types[c["name"]] = c["type"]
    return Frame(rows, cols, types, spans)


def write_frame(path, rows, columns):
    """Writes `columns`: a list of (name, values); float arrays as f64, anything else as a JSON list."""
    bodies, meta = [], []
    for name, values in columns:
        if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
            body = np.ascontiguousarray(values, dtype="<f8").tobytes()
            meta.append({"name": name, "type": "FLOAT", "kind": "f64"})
        else:
            body = json.dumps([None if v is None else str(v) for v in values]).encode("utf-8")
            meta.append({"name": name, "type": "STRING", "kind": "json"})
        bodies.append(body)

    def header(offsets):
        for m, b, o in zip(meta, bodies, offsets):
            m["offset"], m["length"] = o, len(b)
        return json.dumps({"rows": rows, "columns": meta}).encode("utf-8")

    pad = lambda n: (8 - n % 8) % 8  # noqa: E731
    hlen = len(header([2**40] * len(bodies)))
    start = 8 + hlen + pad(8 + hlen)
    offsets = []
    for b in bodies:
        offsets.append(start)
        start += len(b) + pad(len(b))
    head = header(offsets)
    with open(path, "wb") as f:
        f.write(b"TVXF" + struct.pack("<I", len(head)) + head)
        pos = 8 + len(head)
        for b, o in zip(bodies, offsets):
            f.write(b"\0" * (o - pos))
            f.write(b)
            pos = o + len(b)
