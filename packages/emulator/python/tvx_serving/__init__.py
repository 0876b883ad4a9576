"""`python -m tvx_serving`: the terra-vertex emulator's model server.

One process serves one deployed model the way a Vertex AI prediction container does (the custom-container
contract: ``AIP_HTTP_PORT``, ``AIP_PREDICT_ROUTE``, ``AIP_HEALTH_ROUTE``, ``AIP_STORAGE_URI``), loading the
artifacts Vertex's prebuilt scikit-learn, XGBoost, PyTorch (TorchServe ``model.mar``) and TensorFlow
containers load. See ``__main__.py`` for the environment, exit statuses and error format, ``server.py`` for
the HTTP routes, ``artifacts.py`` for locating and loading, and ``frameworks/`` for each framework.
"""

__all__ = ["LoadError", "load_model", "resolve_storage"]

from .artifacts import load_model, resolve_storage
from .errors import LoadError
