"""Errors of the model server, each mapped to one exit status or HTTP status."""

import re


class LoadError(Exception):
    """The model artifacts cannot be found or loaded: one line on stderr, exit status 3."""


class ConfigError(Exception):
    """An environment variable or flag has an invalid value: one line on stderr, exit status 2."""


class RequestError(Exception):
    """The request body is not a valid prediction request: HTTP 400 with the message."""


class OutputError(Exception):
    """The model (or its handler) answered with something that is not a prediction per instance: HTTP 500."""


def one_line(error):
    """``Type: message`` on one line (native libraries' stack traces cut off), for stderr and JSON."""
    text = str(error) if not isinstance(error, BaseException) else _describe(error)
    text = text.split("Stack trace:")[0]  # XGBoost appends the native stack
    if "Traceback of TorchScript" in text:  # keep the interpreter's final error, not the code excerpts
        text = [line for line in text.splitlines() if line.strip()][-1]  # already "RuntimeError: ..."
    text = re.sub(r"\[\d\d:\d\d:\d\d\] [^\s:]+:\d+: ", "", text)  # XGBoost's "[10:19:47] src/x.cc:12: "
    return re.sub(r"\s+", " ", text).strip()


def _describe(error):
    message = str(error).strip()
    name = type(error).__name__
    if isinstance(error, (LoadError, ConfigError, RequestError, OutputError)):
        return message or name
    return "%s: %s" % (name, message) if message else name
