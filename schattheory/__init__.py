"""schattheory: Schatten-p generalization bounds for rank-sparse neural networks, exact and numeric.

Importing the package is light: SymPy-heavy modules load on first use of the name that needs them.

>>> import schattheory
>>> schattheory.__version__
'0.1.0'
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it (loaded lazily)
_LAZY = {
    "Bound": "bound", "Limit": "bound",
    "register": "registry", "get": "registry", "keys": "registry", "all_bounds": "registry",
    "Status": "provenance", "Citation": "provenance", "Provenance": "provenance", "cite": "provenance",
    "InputError": "errors", "SchattheoryError": "errors",
    "SchattenNorm": "schatten",
    "schatten_norm": "matrix", "schatten_sum": "matrix", "rank_proxy": "matrix", "stable_rank": "matrix",
    "effective_rank": "matrix", "log_schatten_norm": "matrix", "singular_values": "matrix",
    "timed_limit": "limits",
    "balanced_factorization": "weight_decay", "min_weight_decay": "weight_decay",
    "falsify": "falsifier", "Counterexample": "falsifier",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'schattheory' has no attribute {name!r}")


def __dir__():
    return __all__
