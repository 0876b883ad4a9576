"""The explanation spec of one request, read once: the method and its settings, baselines, which outputs to
explain, the names of inputs and outputs, and the image visualization settings.

The body the emulator posts carries the deployed model's ``explanationSpec`` (Vertex's ``ExplanationSpec`` in
proto3 JSON, any ``explanationSpecOverride`` already merged in). Settings the emulator already validated
at deploy time are checked again here only as far as a direct caller of the model server could get them
wrong.
"""

from ..errors import RequestError

IG, XRAI, SHAPLEY = "integratedGradientsAttribution", "xraiAttribution", "sampledShapleyAttribution"
METHODS = (IG, XRAI, SHAPLEY)
DEFAULT_NOISE_SIGMA, DEFAULT_NOISY_SAMPLES = 0.1, 3


def _int(config, name, low, high, method):
    value = config.get(name)
    if value is None:
        raise RequestError("explanationSpec.parameters.%s.%s is missing: give an integer from %d to %d"
                           % (method, name, low, high))
    try:
        number = int(value) if not isinstance(value, bool) and float(value) == int(float(value)) else None
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or not low <= number <= high:
        raise RequestError("explanationSpec.parameters.%s.%s=%r: give an integer from %d to %d"
                           % (method, name, value, low, high))
    return number


class Spec:
    """What an explanation method needs to know about a request."""

    def __init__(self, spec):
        if not isinstance(spec, dict) or not isinstance(spec.get("parameters"), dict):
            raise RequestError("\"explanationSpec\" with \"parameters\" is missing: send the deployed model's "
                               "ExplanationSpec, e.g. {\"parameters\": {\"integratedGradientsAttribution\": "
                               "{\"stepCount\": 50}}}")
        params = spec["parameters"]
        found = [m for m in METHODS if m in params]
        if len(found) != 1:
            raise RequestError("explanationSpec.parameters must name one method of %s, got %s"
                               % (", ".join(METHODS), ", ".join(found) or "none"))
        self.method = found[0]
        config = params[self.method] or {}
        self.steps = _int(config, "stepCount", 1, 100, self.method) if self.method != SHAPLEY else 0
        self.paths = _int(config, "pathCount", 1, 50, self.method) if self.method == SHAPLEY else 0
        smooth = config.get("smoothGradConfig")
        self.noise_sigma, self.feature_sigmas, self.noisy_samples = None, {}, 0
        if isinstance(smooth, dict):
            self.noisy_samples = int(smooth.get("noisySampleCount") or DEFAULT_NOISY_SAMPLES)
            per_feature = (smooth.get("featureNoiseSigma") or {}).get("noiseSigma") or []
            self.feature_sigmas = {f.get("name"): float(f.get("sigma", DEFAULT_NOISE_SIGMA)) for f in per_feature}
            self.noise_sigma = float(smooth.get("noiseSigma", DEFAULT_NOISE_SIGMA))
        blur = config.get("blurBaselineConfig")
        self.blur_sigma = float(blur.get("maxBlurSigma") or 0) if isinstance(blur, dict) else 0.0
        self.top_k = int(params.get("topK") or 1)
        indices = params.get("outputIndices")
        self.output_indices = [int(i) for i in indices] if isinstance(indices, list) and indices else None

        metadata = spec.get("metadata") or {}
        self.inputs = metadata.get("inputs") or {}
        self.input_names = list(self.inputs)
        outputs = metadata.get("outputs") or {}
        self.output_name = next(iter(outputs), None)
        mapping = (outputs.get(self.output_name) or {}).get("indexDisplayNameMapping") if outputs else None
        self.index_names = mapping if isinstance(mapping, list) else None
        self.image_modality = any((m or {}).get("modality") == "image" for m in self.inputs.values())
        first = self.inputs[self.input_names[0]] if self.input_names else {}
        self.visualization = (first or {}).get("visualization") or {}
        self.baselines = (first or {}).get("inputBaselines") or []

    @property
    def smooth(self):
        return self.noisy_samples > 0

    def feature_baseline(self, names):
        """A baseline vector when every named input has its own scalar ``inputBaselines[0]``, else None."""
        if not names or len(self.inputs) < 2:
            return None
        values = []
        for name in names:
            given = (self.inputs.get(name) or {}).get("inputBaselines") or []
            if not given or not isinstance(given[0], (int, float)):
                return None
            values.append(float(given[0]))
        return values

    def outputs_to_explain(self, row, scalar):
        """Output indices to attribute for one instance's output row (``[None]`` for a scalar output)."""
        if scalar:
            return [None]
        count = len(row)
        if self.output_indices is not None:
            bad = [i for i in self.output_indices if not 0 <= i < count]
            if bad:
                raise RequestError("explanationSpec.parameters.outputIndices %s are out of range: the model has "
                                   "%d outputs (0 to %d)" % (bad, count, count - 1))
            return list(self.output_indices)
        k = count if self.top_k < 0 else min(self.top_k, count)
        return [int(i) for i in sorted(range(count), key=lambda i: -row[i])[:k]]
