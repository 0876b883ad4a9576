"""The serving environment Vertex AI gives a prediction container, read and checked once at start."""

from . import frameworks
from .errors import ConfigError

DEFAULT_PORT = 8080
DEFAULT_PREDICT_ROUTE = "/predict"
DEFAULT_HEALTH_ROUTE = "/health"
HOST = "127.0.0.1"


class Settings:
    def __init__(self, port, predict_route, health_route, storage_uri, framework, deployed_model_id, model_name):
        self.port = port
        self.predict_route = predict_route
        self.health_route = health_route
        self.storage_uri = storage_uri
        self.framework = framework
        self.deployed_model_id = deployed_model_id
        self.model_name = model_name


def framework_from_env(environ):
    """``TVX_SERVING_FRAMEWORK`` (None when unset: detect from the artifact files)."""
    value = (environ.get("TVX_SERVING_FRAMEWORK") or "").strip().lower()
    if value and value not in frameworks.FRAMEWORKS:
        raise ConfigError("TVX_SERVING_FRAMEWORK=%r is not a framework: use %s, or leave it unset to detect the "
                          "framework from the artifact files" % (value, ", ".join(frameworks.FRAMEWORKS)))
    return value or None


def _port(environ):
    text = (environ.get("AIP_HTTP_PORT") or "").strip()
    if not text:
        return DEFAULT_PORT
    if not text.isdigit() or int(text) > 65535:
        raise ConfigError("AIP_HTTP_PORT=%r is not a port number: use 1-65535 (0 picks a free port)" % text)
    return int(text)


def _route(environ, name, default):
    value = (environ.get(name) or "").strip() or default
    if not value.startswith("/") or any(c in value for c in "?# "):
        raise ConfigError("%s=%r is not a route: use a path starting with '/', e.g. %s" % (name, value, default))
    return value


def from_env(environ):
    predict = _route(environ, "AIP_PREDICT_ROUTE", DEFAULT_PREDICT_ROUTE)
    health = _route(environ, "AIP_HEALTH_ROUTE", DEFAULT_HEALTH_ROUTE)
    if predict == health:
        raise ConfigError("AIP_PREDICT_ROUTE and AIP_HEALTH_ROUTE are both %r: give them different paths" % predict)
    return Settings(
        port=_port(environ),
        predict_route=predict,
        health_route=health,
        storage_uri=environ.get("AIP_STORAGE_URI", ""),
        framework=framework_from_env(environ),
        deployed_model_id=environ.get("AIP_DEPLOYED_MODEL_ID", ""),
        model_name=environ.get("AIP_MODEL_NAME", ""),
    )
