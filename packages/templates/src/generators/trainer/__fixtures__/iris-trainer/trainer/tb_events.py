"""TensorBoard scalars: ``tf.summary`` or ``torch.utils.tensorboard`` / ``tensorboardX`` when they are
importable, else a small pure-Python event-file writer.

The fallback writes what TensorBoard reads: ``events.out.tfevents.*`` files made of TFRecords
(little-endian uint64 length, masked CRC32C of the length, the data, masked CRC32C of the data), each
holding an ``Event`` protobuf: ``wall_time`` (1, double), ``step`` (2, int64), ``file_version``
(3, string, first record only) or ``summary`` (5) with ``value { tag (1), simple_value (2, float) }``.
"""

import os
import socket
import struct
import sys
import time

_CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc32c(data):
    """CRC-32C (Castagnoli), the checksum of TFRecord framing."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _length_delimited(field, payload):
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def encode_event(wall_time, step, file_version=None, summary=None):
    """Encode an ``Event`` protobuf message."""
    message = b"\x09" + struct.pack("<d", wall_time)
    if step:
        message += b"\x10" + _varint(int(step))
    if file_version is not None:
        message += _length_delimited(3, file_version.encode("utf-8"))
    if summary is not None:
        message += _length_delimited(5, summary)
    return message


def encode_scalar_summary(tag, value):
    """Encode a ``Summary`` with one ``simple_value``."""
    inner = _length_delimited(1, tag.encode("utf-8")) + b"\x15" + struct.pack("<f", float(value))
    return _length_delimited(1, inner)


def tfrecord(data):
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack(
        "<I", masked_crc32c(data))


class EventFileWriter:
    """Minimal TensorBoard writer: scalars only, one event file per writer."""

    def __init__(self, logdir):
        os.makedirs(logdir, exist_ok=True)
        name = "events.out.tfevents.%010d.%s.%d.0" % (time.time(), socket.gethostname(), os.getpid())
        self.path = os.path.join(logdir, name)
        self._file = open(self.path, "wb")
        self._write(encode_event(time.time(), 0, file_version="brain.Event:2"))

    def _write(self, event):
        self._file.write(tfrecord(event))
        self._file.flush()

    def scalar(self, tag, value, step):
        self._write(encode_event(time.time(), step, summary=encode_scalar_summary(tag, value)))

    def close(self):
        self._file.close()


class _LibraryWriter:
    def __init__(self, writer):
        self._writer = writer

    def scalar(self, tag, value, step):
        self._writer.add_scalar(tag, float(value), int(step))

    def close(self):
        self._writer.close()


class _TfWriter:
    def __init__(self, logdir):
        import tensorflow as tf

        self._tf = tf
        self._writer = tf.summary.create_file_writer(logdir)

    def scalar(self, tag, value, step):
        with self._writer.as_default():
            self._tf.summary.scalar(tag, float(value), step=int(step))
        self._writer.flush()

    def close(self):
        self._writer.close()


class NullWriter:
    def scalar(self, tag, value, step):
        pass

    def close(self):
        pass


def open_writer(logdir):
    """The best available scalar writer for ``logdir`` (None: a writer that drops everything)."""
    if not logdir:
        return NullWriter()
    if "tensorflow" in sys.modules:
        return _TfWriter(logdir)
    if "torch" in sys.modules:
        try:
            from torch.utils.tensorboard import SummaryWriter

            return _LibraryWriter(SummaryWriter(logdir))
        except Exception:  # needs the tensorboard package
            pass
    try:
        from tensorboardX import SummaryWriter

        return _LibraryWriter(SummaryWriter(logdir))
    except Exception:
        return EventFileWriter(logdir)
