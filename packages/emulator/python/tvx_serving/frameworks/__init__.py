"""The frameworks Vertex AI's prebuilt prediction containers serve, and the artifact files each one loads.

Every loader module has ``load(folder, filename) -> model``; a model has ``framework``, ``description``,
``predict(instances, parameters) -> list`` (one prediction per instance) and ``close()``.
"""

import importlib

# Files each framework's container looks for, in order of preference (Vertex: exactly these names).
ARTIFACTS = {
    "sklearn": ("model.joblib", "model.pkl"),
    "xgboost": ("model.bst", "model.json", "model.ubj", "model.joblib", "model.pkl"),
    "pytorch": ("model.mar", "model.pt"),
    "tensorflow": ("saved_model.pb",),
    # AutoML image classification (tvx_automl): automl_image.json beside a TorchScript model.pt.
    "automl_image": ("automl_image.json",),
}
FRAMEWORKS = tuple(ARTIFACTS)

# Without TVX_SERVING_FRAMEWORK: the first file present decides (pickles last: both sklearn and xgboost).
DETECTION = (
    ("automl_image.json", "automl_image"),
    ("model.mar", "pytorch"),
    ("model.pt", "pytorch"),
    ("saved_model.pb", "tensorflow"),
    ("model.bst", "xgboost"),
    ("model.ubj", "xgboost"),
    ("model.json", "xgboost"),
    ("model.joblib", "sklearn"),
    ("model.pkl", "sklearn"),
)

def loader(framework):
    """The module that loads ``framework``'s artifacts (imported on demand: each pulls in its library)."""
    return importlib.import_module("." + framework, __name__)


def files_phrase(framework):
    names = ARTIFACTS[framework]
    return names[0] if len(names) == 1 else "%s or %s" % (", ".join(names[:-1]), names[-1])
