"""The HTTP side of a Vertex AI prediction container, on a threading HTTP/1.1 server bound to 127.0.0.1.

- ``GET <AIP_HEALTH_ROUTE>`` -> 200 ``{}`` (the model is loaded before the server listens).
- ``POST <AIP_PREDICT_ROUTE>`` with ``{"instances": [...], "parameters": {...}}`` -> 200
  ``{"predictions": [...]}``, one per instance.
- ``POST /tvx/explain`` with ``{"instances": [...], "parameters": {...}, "explanationSpec": {...}}`` -> 200
  ``{"explanations": [...], "predictions": [...]}`` (Vertex Explainable AI, see ``explain/``; the emulator
  posts here for ``PredictionService.Explain``).
- Errors are ``{"error": "<what is wrong and how to fix it>"}``: 400 for a body that is not a prediction
  request or input the model raises on, 404 / 405 for other routes and methods, 413 for a body over 64 MiB,
  500 for anything else (its traceback goes to stderr).

One line per request goes to stdout: ``<method> <route> <status> <ms>ms [instances=N] [error: ...]``.
"""

import json
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .config import HOST
from .errors import OutputError, RequestError, one_line

MAX_BODY = 64 * 1024 * 1024
EXAMPLE = '{"instances": [[1.0, 2.0, 3.0]], "parameters": {}}'
_log_lock = threading.Lock()


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def log(line, stream=None):
    stream = stream or sys.stdout
    with _log_lock:
        stream.write(line + "\n")
        stream.flush()


def parse_request(body):
    """``(instances, parameters)`` of a prediction request body; RequestError says what is wrong."""
    if not body.strip():
        raise RequestError("the request body is empty: send JSON like %s" % EXAMPLE)
    try:
        request = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RequestError("the request body is not valid JSON (%s): send JSON like %s" % (error, EXAMPLE)) from None
    if not isinstance(request, dict):
        raise RequestError("the request body is a JSON %s, not an object: send JSON like %s"
                           % (type(request).__name__, EXAMPLE))
    if "instances" not in request:
        hint = " (\"inputs\" is TF Serving's columnar format, which Vertex does not accept here)" \
            if "inputs" in request else ""
        raise RequestError("\"instances\" is missing%s: send one instance per prediction, e.g. %s" % (hint, EXAMPLE))
    instances = request["instances"]
    if not isinstance(instances, list):
        raise RequestError("\"instances\" must be a list with one instance per prediction, got a JSON %s"
                           % type(instances).__name__)
    if not instances:
        raise RequestError("\"instances\" is empty: send at least one instance")
    parameters = request.get("parameters")
    if parameters is not None and not isinstance(parameters, dict):
        raise RequestError("\"parameters\" must be an object, got a JSON %s" % type(parameters).__name__)
    return instances, parameters or {}


def _plain(value):
    """json.dumps default: numpy arrays and scalars, torch tensors (anything with tolist()), sets."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError("a %s.%s is not JSON-serialisable" % (type(value).__module__, type(value).__qualname__))


def encode_predictions(predictions, count):
    if hasattr(predictions, "tolist"):
        predictions = predictions.tolist()
    if isinstance(predictions, tuple):
        predictions = list(predictions)
    if not isinstance(predictions, list):
        raise OutputError("the model returned a %s, not a list of predictions" % type(predictions).__name__)
    if len(predictions) != count:
        raise OutputError("the model returned %d predictions for %d instances" % (len(predictions), count))
    try:
        return json.dumps({"predictions": predictions}, default=_plain, allow_nan=False).encode()
    except ValueError as error:
        raise OutputError("the predictions contain NaN or Infinity, which JSON cannot carry (%s)" % error) from None
    except TypeError as error:
        raise OutputError("the predictions are not JSON-serialisable: %s" % error) from None


def parse_explain_request(body):
    """``(instances, parameters, explanationSpec)`` of an explain request body."""
    instances, parameters = parse_request(body)
    spec = json.loads(body).get("explanationSpec")
    if not isinstance(spec, dict):
        raise RequestError("\"explanationSpec\" is missing: send the deployed model's ExplanationSpec, e.g. "
                           "{\"parameters\": {\"integratedGradientsAttribution\": {\"stepCount\": 50}}}")
    return instances, parameters, spec


def make_explainer(model, settings):
    """The model's Explainer (its artifact folder read from AIP_STORAGE_URI)."""
    from .artifacts import resolve_storage
    from .explain import Explainer

    try:
        folder = resolve_storage(settings.storage_uri).path
    except Exception:  # noqa: BLE001 - only AutoML image models need the folder
        folder = ""
    return Explainer(model, folder)


def make_handler(model, settings):
    from .explain import ROUTE as EXPLAIN_ROUTE

    routes = "predictions are POST %s, health is GET %s" % (settings.predict_route, settings.health_route)
    explainer = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: without TCP_NODELAY the second waits ~40 ms for the
        # client's delayed ACK on every keep-alive request.
        disable_nagle_algorithm = True
        server_version = "tvx_serving"

        def log_message(self, format, *args):  # noqa: A002 - replaced by one line per request in _dispatch
            pass

        def do_GET(self):
            self._dispatch()

        def do_HEAD(self):
            self._dispatch()

        def do_POST(self):
            self._dispatch()

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

        def _read_body(self):
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                chunks, total = [], 0
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(chunks)
                    total += size
                    if total > MAX_BODY:
                        self.close_connection = True
                        raise HttpError(413, "the request body is over %d bytes" % MAX_BODY)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            text = self.headers.get("Content-Length") or "0"
            if not text.strip().isdigit():
                self.close_connection = True
                raise HttpError(400, "Content-Length %r is not a number" % text)
            if int(text) > MAX_BODY:
                self.close_connection = True
                raise HttpError(413, "the request body is %s bytes, over the %d-byte limit" % (text, MAX_BODY))
            return self.rfile.read(int(text))

        def _predict(self, body):
            instances, parameters = parse_request(body)
            self.note = "instances=%d" % len(instances)
            try:
                predictions = model.predict(instances, parameters)
            except OutputError:
                raise
            except Exception as error:  # noqa: BLE001 - the model rejected this input: the caller's to fix
                raise RequestError("the %s model failed on these instances: %s"
                                   % (model.framework, one_line(error))) from error
            return encode_predictions(predictions, len(instances))

        def _explain(self, body):
            instances, parameters, spec = parse_explain_request(body)
            self.note = "instances=%d" % len(instances)
            if not explainer:
                explainer.append(make_explainer(model, settings))
            try:
                answer = explainer[0].explain(instances, parameters, spec)
            except (RequestError, OutputError):
                raise
            except Exception as error:  # noqa: BLE001 - the model failed on these instances
                log("tvx_serving: explain failed:\n%s" % traceback.format_exc().rstrip(), sys.stderr)
                raise RequestError("explaining with the %s model failed: %s"
                                   % (model.framework, one_line(error))) from error
            try:
                return json.dumps(answer, default=_plain, allow_nan=False).encode()
            except ValueError as error:
                raise OutputError("the explanations contain NaN or Infinity (%s)" % error) from None

        def _route(self, method, route, body):
            if route == settings.health_route:
                if method not in ("GET", "HEAD"):
                    raise HttpError(405, "%s %s: the health route takes GET" % (method, route))
                return b"{}"
            if route == settings.predict_route:
                if method != "POST":
                    raise HttpError(405, "%s %s: the predict route takes POST with %s" % (method, route, EXAMPLE))
                return self._predict(body)
            if route == EXPLAIN_ROUTE and route != settings.health_route:
                if method != "POST":
                    raise HttpError(405, "%s %s: the explain route takes POST" % (method, route))
                return self._explain(body)
            raise HttpError(404, "no route %s %s: %s" % (method, route, routes))

        def _dispatch(self):
            start = time.perf_counter()
            method, route = self.command, urlsplit(self.path).path
            self.note = ""
            error = None
            try:
                payload, status = self._route(method, route, self._read_body()), 200
            except HttpError as e:
                status, error = e.status, str(e)
            except RequestError as e:
                status, error = 400, str(e)
            except OutputError as e:
                status, error = 500, str(e)
            except Exception as e:  # noqa: BLE001 - answered as 500 and logged with its traceback
                status, error = 500, "internal error: %s" % one_line(e)
                log("tvx_serving: %s %s failed:\n%s" % (method, route, traceback.format_exc().rstrip()), sys.stderr)
            if error is not None:
                payload = json.dumps({"error": error}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(payload)
            ms = (time.perf_counter() - start) * 1000
            extra = "".join(" " + part for part in (self.note, error and "error: " + error) if part)
            log("%s %s %d %.1fms%s" % (method, route, status, ms, extra))

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def make_server(model, settings):
    """Bind ``127.0.0.1:<AIP_HTTP_PORT>`` (OSError when taken); ``serve_forever()`` starts answering."""
    return Server((HOST, settings.port), make_handler(model, settings))
