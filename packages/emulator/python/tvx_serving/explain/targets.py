"""What the explanation methods need from a served model: one float array per instance, and the model's
scores for a batch of such arrays, as a differentiable torch function for PyTorch models (integrated
gradients, XRAI) and as plain numpy for any model (sampled Shapley).

The scores explained are the numbers the predictions show: raw outputs of a bare TorchScript ``model.pt``,
softmax (sigmoid when multi-label) confidences of an AutoML image model, class probabilities of an
scikit-learn classifier (``predict_proba``), the booster's output for XGBoost, and for a ``model.mar`` the
softmax of its TorchScript output when the archive has ``index_to_name.json`` (TorchServe's classifier
convention; the raw output otherwise).
"""

import base64
import io
import json
import os

import numpy as np

from ..errors import RequestError

AUTOML_CONFIG = "automl_image.json"


class Target:
    differentiable = False
    #: Arrays are images, C x H x W in [0, 1] (XRAI segments them; attributions come back as images).
    image = False
    labels = None
    #: The model returns one number per instance (no ``outputIndex`` in the attributions).
    scalar = False

    def arrays(self, instances):
        out = []
        for i, instance in enumerate(instances):
            try:
                array = np.asarray(instance, dtype=np.float32)
            except (TypeError, ValueError):
                array = None
            if array is None or array.ndim == 0 or array.size == 0:
                raise RequestError("instance %d is not an array of numbers: explanations of a %s take numeric "
                                   "instances, e.g. [1.0, 2.0, 3.0]" % (i, self.kind))
            out.append(array)
        if len({a.shape for a in out}) > 1:
            raise RequestError("the instances have different shapes %s: send instances of one shape"
                               % sorted({a.shape for a in out}))
        return out

    def _rows(self, output, count):
        output = np.asarray(output, dtype=np.float64)
        if output.ndim == 1:
            self.scalar = True
            output = output[:, None]
        if output.ndim != 2 or output.shape[0] != count:
            raise RequestError("the %s returned outputs of shape %s for %d inputs; explanations need one number "
                               "or one vector of scores per instance" % (self.kind, output.shape, count))
        return output


class TorchTarget(Target):
    """A TorchScript module; ``post`` is None, ``"softmax"`` or ``"sigmoid"``."""

    differentiable = True

    def __init__(self, module, kind, post=None, labels=None):
        import torch

        self.torch = torch
        self.module = module
        self.kind = kind
        self.post = post
        self.labels = labels

    def forward(self, x):
        output = self.module(x)
        if not isinstance(output, self.torch.Tensor):
            raise RequestError("the %s returned a %s; integrated gradients and XRAI need a model that returns "
                               "one tensor of scores" % (self.kind, type(output).__name__))
        if output.ndim == 1:
            self.scalar = True
            output = output[:, None]
        output = output.reshape(output.shape[0], -1)
        if self.post == "softmax":
            output = self.torch.softmax(output, dim=1)
        elif self.post == "sigmoid":
            output = self.torch.sigmoid(output)
        return output

    def scores(self, batch):
        with self.torch.no_grad():
            return self._rows(self.forward(self.torch.as_tensor(np.asarray(batch, dtype=np.float32))).numpy(),
                              len(batch))


class AutoMLImageTarget(TorchTarget):
    """The AutoML image artifact: ``model.pt`` (N x C x H x W in [0, 1] -> logits) and ``automl_image.json``.

    The served model's own ``module`` and ``preprocess(instances)`` (frameworks/automl_image.py) are used when it
    has them, so that explanations see exactly the pixels predictions see.
    """

    image = True

    def __init__(self, folder, model):
        import torch

        with open(os.path.join(folder, AUTOML_CONFIG)) as handle:
            config = json.load(handle)
        module = getattr(model, "module", None)
        if module is None:
            module = torch.jit.load(os.path.join(folder, "model.pt"), map_location="cpu").eval()
        super().__init__(module, "AutoML image model", "sigmoid" if config.get("multiLabel") else "softmax",
                         [str(label) for label in config.get("labels") or []])
        self.size = tuple(int(n) for n in config.get("imageSize") or (224, 224))
        self.channels = int(config.get("channels") or 3)
        self.to_tensor = getattr(model, "preprocess", None)

    def arrays(self, instances):
        if callable(self.to_tensor):
            return [np.asarray(t, dtype=np.float32) for t in self.to_tensor(instances)]
        from PIL import Image

        out = []
        for i, instance in enumerate(instances):
            content = instance.get("content") if isinstance(instance, dict) else None
            if not isinstance(content, str):
                raise RequestError("instance %d has no \"content\": an AutoML image model takes "
                                   "{\"content\": \"<base64 image bytes>\"}" % i)
            try:
                image = Image.open(io.BytesIO(base64.b64decode(content)))
                image = image.convert("L" if self.channels == 1 else "RGB")
            except Exception as error:  # noqa: BLE001 - any decoder failure is the caller's image
                raise RequestError("instance %d: content is not a base64 image PIL can read (%s)" % (i, error))
            height, width = self.size
            pixels = np.asarray(image.resize((width, height), Image.BILINEAR), dtype=np.float32) / 255.0
            out.append(pixels[None] if pixels.ndim == 2 else pixels.transpose(2, 0, 1))
        return out


class FunctionTarget(Target):
    """Any model, through a function from a batch (N x features) to scores: for sampled Shapley."""

    def __init__(self, function, kind, labels=None):
        self.function = function
        self.kind = kind
        self.labels = labels

    def scores(self, batch):
        return self._rows(self.function(np.asarray(batch)), len(batch))


def _mar_target(model):
    import torch

    with open(os.path.join(model.folder, "MAR-INF", "MANIFEST.json")) as handle:
        serialized = json.load(handle)["model"].get("serializedFile")
    names = os.path.join(model.folder, "index_to_name.json")
    try:
        module = torch.jit.load(os.path.join(model.folder, serialized or "model.pt"), map_location="cpu").eval()
    except (RuntimeError, ValueError, OSError) as error:
        raise RequestError("model.mar's serialized file %s is not TorchScript (%s): the emulator explains "
                           "archives whose model is TorchScript" % (serialized, str(error).splitlines()[0]))
    if not os.path.exists(names):
        return TorchTarget(module, "model.mar")
    with open(names) as handle:
        mapping = json.load(handle)
    labels = [str(mapping.get(str(i), i)) for i in range(len(mapping))]
    return TorchTarget(module, "model.mar", "softmax", labels)


def build(model, folder):
    """The explanation target of a served model (``folder``: its artifact folder)."""
    framework = getattr(model, "framework", "")
    if framework == "automl_image" or (framework != "pytorch" and os.path.exists(os.path.join(folder, AUTOML_CONFIG))):
        return AutoMLImageTarget(folder, model)
    if hasattr(model, "module"):
        return TorchTarget(model.module, "TorchScript model")
    if framework == "pytorch" and hasattr(model, "folder"):
        return _mar_target(model)
    estimator = getattr(model, "estimator", None)
    if estimator is not None:
        classes = getattr(estimator, "classes_", None)
        if callable(getattr(estimator, "predict_proba", None)) and classes is not None:
            return FunctionTarget(estimator.predict_proba, "%s model" % framework, [str(c) for c in classes])
        return FunctionTarget(estimator.predict, "%s model" % framework)
    booster = getattr(model, "booster", None)
    if booster is not None:
        import xgboost

        return FunctionTarget(lambda batch: booster.predict(xgboost.DMatrix(batch)), "XGBoost booster")
    return FunctionTarget(lambda batch: model.predict(batch.tolist(), {}), "%s model" % (framework or "served"))
