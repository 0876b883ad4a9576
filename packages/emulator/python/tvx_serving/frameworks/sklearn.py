"""scikit-learn, as Vertex AI's ``sklearn-cpu`` prediction container serves it.

``model.joblib`` (``joblib.load``) or ``model.pkl`` (``pickle.load``); predictions are
``model.predict(np.asarray(instances)).tolist()``. A pickled XGBoost ``Booster`` is served as the XGBoost
container would (through a ``DMatrix``).
"""

import os
import pickle

from ..errors import LoadError


def read_pickle(folder, filename):
    """The object in ``model.joblib`` / ``model.pkl``."""
    path = os.path.join(folder, filename)
    if filename.endswith(".joblib"):
        import joblib

        return joblib.load(path)
    with open(path, "rb") as handle:
        return pickle.load(handle)


def qualified_name(obj):
    cls = type(obj)
    return "%s.%s" % (cls.__module__, cls.__qualname__)


class EstimatorModel:
    """Any object with ``predict(array)``: an sklearn estimator or pipeline, or an sklearn-API XGBModel."""

    def __init__(self, framework, filename, estimator):
        self.framework = framework
        self.estimator = estimator
        self.description = "%s (%s)" % (filename, qualified_name(estimator))

    def predict(self, instances, parameters):
        import numpy as np

        return self.estimator.predict(np.asarray(instances))

    def close(self):
        pass


def from_object(framework, filename, obj):
    if type(obj).__module__.startswith("xgboost") and type(obj).__name__ == "Booster":
        from .xgboost import BoosterModel

        return BoosterModel(filename, obj)
    if not callable(getattr(obj, "predict", None)):
        raise LoadError("%s holds a %s, which has no predict() method; save the fitted estimator or "
                        "pipeline itself (joblib.dump(model, 'model.joblib'))" % (filename, qualified_name(obj)))
    return EstimatorModel(framework, filename, obj)


def load(folder, filename):
    return from_object("sklearn", filename, read_pickle(folder, filename))
