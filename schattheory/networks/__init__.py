"""Real networks: weight loaders, per-layer spectra (dense and convolutional), data statistics, bound evaluation.

Names load lazily (importing this package imports neither SciPy, matplotlib nor pandas).

>>> import numpy as np
>>> from schattheory.networks import NetworkSpectra
>>> NetworkSpectra.from_model([np.diag([2.0, 1.0])]).stable_rank.tolist()
[1.25]
"""

from __future__ import annotations

import importlib

_LAZY = {
    "NetworkSpectra": "spectra",
    "singular_values": "spectra",
    "plan_model": "loaders",
    "iter_layers": "loaders",
    "open_source": "formats",
    "conv_singular_values": "conv",
    "load_data": "data",
    "choose_margin": "data",
    "evaluate": "evaluate",
    "Evaluation": "evaluate",
    "write_plots": "plots",
    "synthetic_network": "synthetic",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'schattheory.networks' has no attribute {name!r}")


def __dir__():
    return __all__
