"""AutoML image classification models (trained by ``python -m tvx_automl``), served the way Vertex AI serves
AutoML Vision models.

Artifact folder: ``model.pt`` (TorchScript: float32 N x C x H x W in [0, 1], normalisation inside -> logits
N x K) and ``automl_image.json`` ``{"labels", "annotationSpecIds", "imageSize": [H, W], "channels": 1 | 3,
"multiLabel", "modelType"}``.

- Instances (``image_classification_1.0.0``): ``{"content": "<base64 image bytes>", "mimeType"?: ...}``;
  PNG, JPEG, GIF, BMP, TIFF, WEBP and ICO are decoded with PIL, converted to the model's channels and size.
- Parameters (``image_classification_1.0.0``): ``confidenceThreshold`` (default 0.0) and ``maxPredictions``
  (default 10).
- Predictions (``classification_1.0.0``): ``{"ids": [int64 ids as strings], "displayNames": [...],
  "confidences": [...]}`` sorted by confidence, highest first: softmax confidences for single-label models,
  independent sigmoids for multi-label ones; labels under the threshold are left out, then the list is cut to
  ``maxPredictions``.

The model object also offers ``preprocess(instances)`` (-> float32 tensor N x C x H x W), ``module`` (the
TorchScript module), ``labels``, ``ids`` and ``scores(tensor)`` for explanation methods.
"""

import base64
import binascii
import json
import os

from ..errors import LoadError, RequestError

METADATA = "automl_image.json"
DEFAULT_CONFIDENCE_THRESHOLD = 0.0
DEFAULT_MAX_PREDICTIONS = 10


def _parameters(parameters):
    threshold = parameters.get("confidenceThreshold", DEFAULT_CONFIDENCE_THRESHOLD)
    limit = parameters.get("maxPredictions", DEFAULT_MAX_PREDICTIONS)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise RequestError("parameters.confidenceThreshold must be a number from 0 to 1, got %r" % (threshold,))
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit != int(limit) or limit < 1:
        raise RequestError("parameters.maxPredictions must be a positive integer, got %r" % (limit,))
    return float(threshold), int(limit)


class AutoMLImageModel:
    def __init__(self, module, meta):
        self.framework = "automl_image"
        self.module = module
        self.labels = list(meta["labels"])
        self.ids = [str(i) for i in meta["annotationSpecIds"]]
        self.size = tuple(int(v) for v in meta["imageSize"])
        self.channels = int(meta["channels"])
        self.multi_label = bool(meta.get("multiLabel"))
        self.description = "model.pt (AutoML image classification %s, %d labels, %s, input %dx%dx%d)" % (
            meta.get("modelType", "CLOUD"), len(self.labels), "multi-label" if self.multi_label else "single-label",
            self.channels, self.size[0], self.size[1])

    def preprocess(self, instances):
        """Instances -> float32 tensor N x C x H x W in [0, 1]; RequestError names the bad instance."""
        import numpy as np
        import torch
        from tvx_automl.images import decode

        arrays = []
        for i, instance in enumerate(instances):
            if not isinstance(instance, dict) or not isinstance(instance.get("content"), str):
                raise RequestError("instances[%d] must be {\"content\": \"<base64-encoded image bytes>\"}, as in "
                                   "Vertex AI's image_classification instance schema" % i)
            try:
                raw = base64.b64decode(instance["content"], validate=True)
            except (binascii.Error, ValueError):
                raise RequestError("instances[%d].content is not base64: send the image bytes base64-encoded"
                                   % i) from None
            try:
                arrays.append(decode(raw, self.size, self.channels))
            except Exception as error:  # noqa: BLE001 - PIL's error becomes the message
                raise RequestError("instances[%d].content is not an image PIL can read (PNG, JPEG, GIF, BMP, TIFF, "
                                   "WEBP, ICO): %s" % (i, error)) from None
        return torch.from_numpy(np.stack(arrays))

    def scores(self, batch):
        """Confidences N x K for a preprocessed batch (softmax, or sigmoid for multi-label models)."""
        import torch

        with torch.no_grad():
            logits = self.module(batch)
        return torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=1)

    def predict(self, instances, parameters):
        threshold, limit = _parameters(parameters or {})
        scores = self.scores(self.preprocess(instances)).tolist()
        predictions = []
        for row in scores:
            ranked = sorted(((s, k) for k, s in enumerate(row) if s >= threshold), key=lambda p: (-p[0], p[1]))
            ranked = ranked[:limit]
            predictions.append({
                "ids": [self.ids[k] for _, k in ranked],
                "displayNames": [self.labels[k] for _, k in ranked],
                "confidences": [s for s, _ in ranked],
            })
        return predictions

    def close(self):
        pass


def load(folder, filename):
    import torch

    meta_path = os.path.join(folder, METADATA)
    try:
        with open(meta_path) as f:
            meta = json.load(f)
    except (OSError, ValueError) as error:
        raise LoadError("cannot read %s (%s): an AutoML image model folder holds model.pt and %s"
                        % (METADATA, error, METADATA)) from None
    missing = [k for k in ("labels", "annotationSpecIds", "imageSize", "channels") if k not in meta]
    if missing:
        raise LoadError("%s has no %s" % (METADATA, ", ".join(missing)))
    path = os.path.join(folder, "model.pt")
    if not os.path.exists(path):
        raise LoadError("%s has no model.pt beside it: an AutoML image model folder holds both" % filename)
    module = torch.jit.load(path, map_location="cpu")
    module.eval()
    return AutoMLImageModel(module, meta)
