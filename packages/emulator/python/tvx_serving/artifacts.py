"""Locate the model artifacts (``AIP_STORAGE_URI``) and load them with the right framework."""

import os
import sys

from . import frameworks
from .errors import LoadError, one_line

GCS_PREFIX = "gs://"
FILE_PREFIX = "file://"


class Location:
    """Where the artifacts are: the URI as given and the local folder it maps to."""

    def __init__(self, uri, path, mount=None):
        self.uri = uri
        self.path = path
        self.mount = mount

    def __str__(self):
        if self.uri == self.path:
            return self.path
        how = " through TVX_GCS_MOUNT=%s" % self.mount if self.mount else ""
        return "%s (%s%s)" % (self.uri, self.path, how)


def resolve_storage(uri, environ=None):
    """Map ``gs://bucket/path`` to ``$TVX_GCS_MOUNT/bucket/path`` (``/gcs/...`` when unset, Vertex's FUSE
    mount); ``file://`` URIs and plain paths are local folders."""
    environ = os.environ if environ is None else environ
    uri = (uri or "").strip()
    if not uri:
        raise LoadError("AIP_STORAGE_URI is not set: set it to the folder that holds the model artifacts "
                        "(gs://bucket/path, or a local folder)")
    if uri.startswith(GCS_PREFIX):
        rest = uri[len(GCS_PREFIX):].strip("/")
        if not rest:
            raise LoadError("AIP_STORAGE_URI=%s names no bucket: use gs://bucket/path/to/model" % uri)
        mount = environ.get("TVX_GCS_MOUNT") or "/gcs"
        return Location(uri, os.path.join(mount, rest), mount)
    if "://" in uri and not uri.startswith(FILE_PREFIX):
        raise LoadError("AIP_STORAGE_URI=%s: only gs:// URIs and local folders are supported" % uri)
    path = os.path.abspath(uri[len(FILE_PREFIX):] if uri.startswith(FILE_PREFIX) else uri)
    return Location(uri if uri.startswith(FILE_PREFIX) else path, path)


def _listing(names):
    if not names:
        return "the folder is empty"
    shown = sorted(names)[:12]
    more = " and %d more" % (len(names) - len(shown)) if len(names) > len(shown) else ""
    return "the folder holds: %s%s" % (", ".join(shown), more)


def _detected(names):
    for filename, framework in frameworks.DETECTION:
        if filename in names:
            return filename, framework
    return None, None


def find_artifact(location, framework=None):
    """``(framework, filename)`` of the artifact to load from ``location``; LoadError when there is none."""
    path = location.path
    if not os.path.exists(path):
        raise LoadError("model artifacts not found: %s does not exist" % location)
    if not os.path.isdir(path):
        raise LoadError("model artifacts not found: %s is a file, not a folder; set AIP_STORAGE_URI to the "
                        "folder that holds %s" % (location, os.path.basename(path)))
    names = set(os.listdir(path))
    if framework:
        for filename in frameworks.ARTIFACTS[framework]:
            if filename in names:
                return framework, filename
        _, other = _detected(names)
        hint = " (it holds a %s model: deploy it with that framework's prediction image)" % other \
            if other and other != framework else ""
        raise LoadError("no %s model in %s: looked for %s; %s%s" % (
            framework, location, frameworks.files_phrase(framework), _listing(names), hint))
    filename, detected = _detected(names)
    if not filename:
        wanted = "; ".join("%s (%s)" % (frameworks.files_phrase(f), f) for f in frameworks.FRAMEWORKS)
        raise LoadError("no model artifacts in %s: looked for %s; %s" % (location, wanted, _listing(names)))
    return detected, filename


def load_model(location, framework=None):
    """Load the model at ``location`` (a Location); raises LoadError saying what, where and why."""
    framework, filename = find_artifact(location, framework)
    try:
        return frameworks.loader(framework).load(location.path, filename)
    except LoadError as error:
        raise LoadError("cannot load %s model from %s: %s" % (framework, location, one_line(error))) from error
    except ImportError as error:
        raise LoadError("cannot load %s model %s from %s: a library it needs is not installed for %s (%s)" % (
            framework, filename, location, sys.executable, one_line(error))) from error
    except Exception as error:  # noqa: BLE001 - becomes the deploy failure message
        raise LoadError("cannot load %s model %s from %s: %s" % (
            framework, filename, location, one_line(error))) from error
