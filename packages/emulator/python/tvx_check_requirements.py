"""Checks that every requirement of the installed packages in a folder is importable by this Python.

Usage: python tvx_check_requirements.py <site folder>. Prints a JSON list of the requirements that are
missing (or at a version the specifier refuses); the emulator cannot pip-install from the internet.
"""
import glob
import json
import os
import sys
from importlib import metadata

PROVIDED = {"cloudml-hypertune", "cloudml_hypertune"}

try:
    from packaging.requirements import Requirement
except ImportError:  # packaging is vendored by setuptools on Debian
    from setuptools.extern.packaging.requirements import Requirement  # type: ignore


def requirements(site):
    for meta in glob.glob(os.path.join(site, "*.dist-info", "METADATA")) + glob.glob(os.path.join(site, "*.egg-info", "PKG-INFO")):
        with open(meta, encoding="utf-8") as f:
            for line in f:
                if line.startswith("Requires-Dist:"):
                    yield line.split(":", 1)[1].strip()


missing = []
for text in requirements(sys.argv[1]):
    req = Requirement(text)
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        continue
    if req.name.lower() in PROVIDED:
        continue
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        missing.append(str(req))
        continue
    if req.specifier and not req.specifier.contains(version, prereleases=True):
        missing.append(f"{req} (found {version})")
print(json.dumps(missing))
