"""``model.mar`` served the way Vertex AI's PyTorch container (TorchServe) serves it.

The archive (a zip: ``MAR-INF/MANIFEST.json``, the serialized model, the handler, extra files) is unpacked
into a temporary folder, which is the handler's ``model_dir`` and goes on ``sys.path``. The handler named by
the manifest (``handler.py``, or ``handler.py:function``) is loaded like TorchServe's model loader does: a
``handle(data, context)`` function (called once with ``data=None`` to initialize), else the one class the
module defines (``initialize(context)`` then ``handle(data, context)``; a class without ``handle`` gets
BaseHandler's ``preprocess -> inference -> postprocess``).

Vertex runs TorchServe with the JSON service envelope: for a request ``{"instances": [...]}`` the handler
gets ``data`` = the list of instances (``{"b64": ...}`` values decoded to bytes) and must return one
prediction per instance; the response is ``{"predictions": <that list>}``.
"""

import base64
import importlib
import inspect
import json
import os
import shutil
import sys
import tempfile
import threading
import uuid
import zipfile

from ..errors import LoadError, OutputError
from . import ts_shim

BUILTIN_HANDLERS = ("base_handler", "image_classifier", "image_segmenter", "object_detector", "text_classifier",
                    "vision_handler")


def unpack(path):
    folder = tempfile.mkdtemp(prefix="tvx-serving-mar-")
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(folder)  # extractall drops absolute paths and ".." components
    except (zipfile.BadZipFile, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise LoadError("model.mar is not a readable zip archive (%s)" % error) from error
    return folder


def read_manifest(folder):
    path = os.path.join(folder, "MAR-INF", "MANIFEST.json")
    if not os.path.isfile(path):
        raise LoadError("model.mar has no MAR-INF/MANIFEST.json; build it with torch-model-archiver or the "
                           "trainer template's torchserve.build_mar")
    with open(path) as handle:
        manifest = json.load(handle)
    if not isinstance(manifest.get("model"), dict) or not manifest["model"].get("handler"):
        raise LoadError("MAR-INF/MANIFEST.json has no model.handler")
    return manifest


def import_handler(folder, spec):
    """The handler module and entry function name from the manifest's ``handler`` value."""
    name, _, function = spec.partition(":")
    module_name = os.path.basename(name)[:-3] if name.endswith(".py") else name
    if not os.path.isfile(os.path.join(folder, module_name + ".py")):
        if module_name in BUILTIN_HANDLERS:
            raise LoadError("the archive uses TorchServe's built-in handler %r, which the emulator does not "
                               "provide; archive a custom handler.py" % module_name)
        raise LoadError("model.handler=%r but the archive has no %s.py" % (spec, module_name))
    sys.path.insert(0, folder)
    sys.modules.pop(module_name, None)
    return importlib.import_module(module_name), function or None


def entry_points(module, function):
    """``(initialize(context), handle(data, context))`` as TorchServe's model loader picks them."""
    name = function or "handle"
    if callable(getattr(module, name, None)) and not inspect.isclass(getattr(module, name)):
        entry = getattr(module, name)
        return (lambda context: entry(None, context)), entry
    if function:
        raise LoadError("the handler module has no function %r" % function)
    classes = [cls for _, cls in inspect.getmembers(module, inspect.isclass) if cls.__module__ == module.__name__]
    if len(classes) != 1:
        raise LoadError("%s.py must define exactly one class or a handle(data, context) function; it "
                           "defines %s" % (module.__name__, ", ".join(c.__name__ for c in classes) or "neither"))
    cls = classes[0]
    if not callable(getattr(cls, "handle", None)):
        cls = type(cls.__name__, (cls, ts_shim.BaseHandler), {})
    service = cls()
    initialize = getattr(service, "initialize", None) or (lambda context: None)
    return initialize, service.handle


def envelope_rows(instances):
    """TorchServe's JSON envelope: instances as they are, ``{"b64": s}`` decoded to bytes."""
    rows = list(instances)
    if rows and isinstance(rows[0], dict):
        for i, row in enumerate(rows):
            if list(row) == ["b64"]:
                rows[i] = base64.b64decode(row["b64"])
            else:
                rows[i] = {key: base64.b64decode(value["b64"])
                           if isinstance(value, dict) and list(value) == ["b64"] else value
                           for key, value in row.items()}
    return rows


class TorchServeModel:
    def __init__(self, folder, manifest, handle, context):
        self.framework = "pytorch"
        self.folder = folder
        self.handle = handle
        self.context = context
        self.lock = threading.Lock()  # a TorchServe worker runs one batch at a time
        model = manifest["model"]
        self.description = "model.mar (model %s, handler %s, serialized %s)" % (
            model.get("modelName", "?"), model["handler"], model.get("serializedFile", "none"))

    def predict(self, instances, parameters):
        rows = envelope_rows(instances)
        with self.lock:
            self.context.set_request(str(uuid.uuid4()), {})
            output = self.handle(rows, self.context)
        if isinstance(output, tuple):
            output = list(output)
        if not isinstance(output, list):
            raise OutputError("the handler returned a %s; handle(data, context) must return a list with one "
                              "prediction per instance" % type(output).__name__)
        if len(output) != len(rows):
            raise OutputError("the handler returned %d predictions for %d instances; handle(data, context) must "
                              "return one prediction per instance" % (len(output), len(rows)))
        return output

    def close(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def load(path):
    ts_shim.install()
    folder = unpack(path)
    try:
        manifest = read_manifest(folder)
        module, function = import_handler(folder, manifest["model"]["handler"])
        model_name = manifest["model"].get("modelName") or "model"
        context = ts_shim.Context(model_name, folder, manifest)
        initialize, handle = entry_points(module, function)
        initialize(context)
        return TorchServeModel(folder, manifest, handle, context)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
