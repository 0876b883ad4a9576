"""XGBoost, as Vertex AI's ``xgboost-cpu`` prediction container serves it.

``model.bst`` (also ``model.json`` / ``model.ubj``) is loaded into an ``xgboost.Booster`` and predicts
``booster.predict(xgboost.DMatrix(np.asarray(instances))).tolist()``; ``model.joblib`` / ``model.pkl`` may hold
a Booster or an sklearn-API ``XGBModel`` (then ``model.predict(np.asarray(instances))``).
"""

import os

from . import sklearn as pickles


class BoosterModel:
    def __init__(self, filename, booster):
        self.framework = "xgboost"
        self.booster = booster
        features = booster.num_features()
        self.description = "%s (xgboost.Booster, %d features)" % (filename, features)

    def predict(self, instances, parameters):
        import numpy as np
        import xgboost

        return self.booster.predict(xgboost.DMatrix(np.asarray(instances)))

    def close(self):
        pass


def load(folder, filename):
    import xgboost

    if filename.endswith((".joblib", ".pkl")):
        return pickles.from_object("xgboost", filename, pickles.read_pickle(folder, filename))
    booster = xgboost.Booster()
    booster.load_model(os.path.join(folder, filename))
    return BoosterModel(filename, booster)
