"""Vertex Explainable AI for the served model: ``POST /tvx/explain`` with ``{"instances": [...], "parameters":
{...}, "explanationSpec": {...}}`` answers ``{"explanations": [...], "predictions": [...]}``, the entries of
Vertex's ``ExplainResponse``.

Methods: integrated gradients and XRAI for PyTorch models (a bare TorchScript ``model.pt``, a ``model.mar``
whose model is TorchScript, the AutoML image artifact), sampled Shapley for any model. Each attribution is
``{baselineOutputValue, instanceOutputValue, featureAttributions, outputIndex, outputDisplayName,
approximationError, outputName}``; ``featureAttributions`` is keyed by the metadata's input names:

- image inputs (AutoML image models, or an input with ``modality: "image"``): ``{"<input>": {"b64_jpeg":
  "<the rendered visualization>", "attributions": [[...]]}}`` — the per-pixel map (summed over channels;
  XRAI: region importance) is an emulator extension beside Vertex's JPEG;
- one value per feature: ``{"<feature>": value}`` with names from the metadata (one input per feature, or
  one input's ``indexFeatureMapping``), else the feature's index (``"0"``, ``"1"`` ...);
- any other array: ``{"<input>": <array of the instance's shape>}``.
"""

import threading

import numpy as np

from ..errors import RequestError
from . import targets
from .gradients import attribute, blurred
from .shapley import sampled_shapley
from .spec import IG, SHAPLEY, XRAI, Spec
from .visualize import b64_jpeg
from .xrai import xrai

ROUTE = "/tvx/explain"


class Explainer:
    """Explains one served model; the explanation target is built on first use."""

    def __init__(self, model, folder):
        self.model = model
        self.folder = folder
        self._target = None
        self._lock = threading.Lock()

    def target(self):
        with self._lock:
            if self._target is None:
                self._target = targets.build(self.model, self.folder)
            return self._target

    def explain(self, instances, parameters, spec_json):
        spec = Spec(spec_json)
        target = self.target()
        if spec.method in (IG, XRAI) and not target.differentiable:
            raise RequestError("%s needs gradients, which the %s does not have: deploy it with "
                               "sampledShapleyAttribution instead" % (spec.method, target.kind))
        arrays = target.arrays(instances)
        image = target.image or spec.image_modality
        if (spec.method == XRAI or spec.blur_sigma) and arrays[0].ndim not in (2, 3):
            raise RequestError("%s works on images (C x H x W or H x W instances); these instances have shape "
                               "%s" % ("XRAI" if spec.method == XRAI else "blurBaselineConfig", arrays[0].shape))
        scores = target.scores(np.stack(arrays))
        predictions = self.model.predict(instances, parameters)
        if hasattr(predictions, "tolist"):
            predictions = predictions.tolist()
        explanations = [{"attributions": self._attributions(target, spec, x, row, image)}
                        for x, row in zip(arrays, scores)]
        return {"explanations": explanations, "predictions": list(predictions)}

    def _attributions(self, target, spec, x, row, image):
        names = feature_names(spec, x)
        indices = spec.outputs_to_explain(row, target.scalar)
        rng = np.random.default_rng(0)
        if spec.method == SHAPLEY:
            results = sampled_shapley(target, x, baselines(spec, x, names), indices, spec.paths, rng)
        elif spec.method == XRAI:
            results = [xrai(target, x, index or 0, spec, rng) for index in indices]
        else:
            found = baselines(spec, x, names)
            results = [attribute(target, x, found, index or 0, spec, names, rng) for index in indices]
        out = []
        for index, (values, instance_output, baseline_output, error) in zip(indices, results):
            entry = {
                "baselineOutputValue": baseline_output,
                "instanceOutputValue": instance_output,
                "featureAttributions": feature_attributions(spec, x, values, names, image),
                "approximationError": float(error),
            }
            if index is not None:
                entry["outputIndex"] = [int(index)]
                label = display_name(spec, target, index)
                if label is not None:
                    entry["outputDisplayName"] = label
            if spec.output_name:
                entry["outputName"] = spec.output_name
            out.append(entry)
        return out


def feature_names(spec, x):
    """Names of the features of a flat instance: one metadata input each, or one input's indexFeatureMapping."""
    if x.ndim != 1:
        return None
    if len(spec.input_names) == x.size and x.size > 1:
        return list(spec.input_names)
    if len(spec.input_names) == 1:
        mapping = (spec.inputs[spec.input_names[0]] or {}).get("indexFeatureMapping") or []
        if len(mapping) == x.size:
            return [str(m) for m in mapping]
    return None


def baselines(spec, x, names):
    """The baselines of one instance: blurred (blurBaselineConfig), the metadata's inputBaselines, else zeros."""
    if spec.blur_sigma:
        return [blurred(x, spec.blur_sigma)]
    per_feature = spec.feature_baseline(names)
    if per_feature is not None:
        return [np.asarray(per_feature, dtype=np.float32)]
    out = []
    for i, given in enumerate(spec.baselines):
        try:
            out.append(np.broadcast_to(np.asarray(given, dtype=np.float32), x.shape))
        except (TypeError, ValueError):
            raise RequestError("explanationSpec.metadata.inputs.%s.inputBaselines[%d] does not fit instances of "
                               "shape %s: give a number or an array of that shape"
                               % (spec.input_names[0], i, x.shape)) from None
    return out or [np.zeros_like(x)]


def feature_attributions(spec, x, values, names, image):
    key = spec.input_names[0] if spec.input_names else None
    if image and values.ndim in (2, 3):
        pixel = values.sum(axis=0) if values.ndim == 3 else values
        return {key or "image": {"b64_jpeg": b64_jpeg(pixel, x, spec.visualization, spec.method == XRAI),
                                 "attributions": pixel.tolist()}}
    if names:
        return {name: float(v) for name, v in zip(names, values)}
    if key is None and values.ndim == 1:
        return {str(i): float(v) for i, v in enumerate(values)}
    return {key or "input": values.tolist()}


def display_name(spec, target, index):
    for labels in (spec.index_names, target.labels):
        if labels and 0 <= index < len(labels):
            return str(labels[index])
    return None
