"""terra-vertex's hyperparameter search engine: grid, random and a Gaussian-process bandit.

`python -m tvx_search` reads one JSON request on stdin and writes one JSON response on stdout
(see `__main__.py`); `python -m tvx_search --serve` answers one request per line until stdin closes.
"""

from .space import SpecError, Space

__all__ = ["SpecError", "Space", "suggest"]


def suggest(request):
    """Answers one request (a dict) with `{"suggestions": [...], "exhausted": bool}`."""
    from .api import suggest as _suggest

    return _suggest(request)
