"""The few pieces of TorchServe (the ``ts`` package) a ``model.mar`` handler uses, for machines without it.

``install()`` registers ``ts.torch_handler.base_handler.BaseHandler`` and ``ts.context.Context`` when
``import ts`` fails. ``BaseHandler`` behaves as TorchServe's for TorchScript archives: ``initialize`` loads
the manifest's ``serializedFile`` with ``torch.jit.load`` (and ``index_to_name.json`` as ``self.mapping``),
``handle`` runs ``postprocess(inference(preprocess(data)))`` with ``torch.as_tensor`` / ``model(x)`` /
``tolist()`` as the defaults.
"""

import json
import os
import sys
import types

from ..errors import LoadError


class _NoMetrics:
    """``context.metrics``: TorchServe's metric calls are accepted and ignored (there is no metrics sink)."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class Context:
    """TorchServe's per-model context: ``system_properties``, ``manifest``, ``model_name``, request ids."""

    def __init__(self, model_name, model_dir, manifest):
        self.model_name = model_name
        self.manifest = manifest
        self._system_properties = {
            "model_dir": model_dir,
            "gpu_id": None,
            "batch_size": 1,
            "server_name": "tvx_serving",
            "server_version": "terra-vertex",
            "limit_max_image_pixels": True,
        }
        self.request_ids = {}
        self.request_processor = None
        self.metrics = _NoMetrics()
        self.model_yaml_config = {}
        self._headers = [{}]

    @property
    def system_properties(self):
        return self._system_properties

    def set_request(self, request_id, headers):
        self.request_ids = {0: request_id}
        self._headers = [dict(headers)]

    def get_request_id(self, idx=0):
        return self.request_ids.get(idx)

    def get_request_header(self, idx, key):
        return self._headers[idx].get(key) if idx < len(self._headers) else None

    def get_all_request_header(self, idx):
        return self._headers[idx] if idx < len(self._headers) else {}


class BaseHandler:
    def __init__(self):
        self.model = None
        self.mapping = None
        self.device = None
        self.initialized = False
        self.context = None
        self.manifest = None
        self.map_location = "cpu"

    def initialize(self, context):
        import torch

        self.context = context
        self.manifest = context.manifest
        self.device = torch.device("cpu")
        model_dir = context.system_properties.get("model_dir")
        model = self.manifest.get("model", {})
        if model.get("modelFile"):
            raise LoadError("this archive is an eager-mode model (MANIFEST modelFile=%s), which the emulator's "
                               "TorchServe stand-in does not load; archive a TorchScript model (torch.jit.save) or "
                               "override initialize() in the handler" % model["modelFile"])
        serialized = model.get("serializedFile")
        if not serialized:
            raise LoadError("MAR-INF/MANIFEST.json names no model.serializedFile to load")
        self.model = torch.jit.load(os.path.join(model_dir, serialized), map_location=self.device)
        self.model.eval()
        mapping = os.path.join(model_dir, "index_to_name.json")
        if os.path.isfile(mapping):
            with open(mapping) as handle:
                self.mapping = json.load(handle)
        self.initialized = True

    def preprocess(self, data):
        import torch

        return torch.as_tensor(data, device=self.device)

    def inference(self, data, *args, **kwargs):
        import torch

        with torch.no_grad():
            return self.model(data, *args, **kwargs)

    def postprocess(self, data):
        return data.tolist()

    def handle(self, data, context):
        self.context = context
        return self.postprocess(self.inference(self.preprocess(data)))


def install():
    """Register the stand-in ``ts`` modules unless the real TorchServe package is importable."""
    try:
        import ts  # noqa: F401 - the real thing wins
        return False
    except ImportError:
        pass
    modules = {}
    for name in ("ts", "ts.torch_handler", "ts.torch_handler.base_handler", "ts.context"):
        module = types.ModuleType(name, "terra-vertex stand-in for TorchServe's %s" % name)
        if name in ("ts", "ts.torch_handler"):
            module.__path__ = []
        modules[name] = module
    modules["ts.torch_handler.base_handler"].BaseHandler = BaseHandler
    modules["ts.context"].Context = Context
    modules["ts"].torch_handler = modules["ts.torch_handler"]
    modules["ts"].context = modules["ts.context"]
    modules["ts.torch_handler"].base_handler = modules["ts.torch_handler.base_handler"]
    sys.modules.update(modules)
    return True
