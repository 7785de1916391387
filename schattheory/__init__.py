"""schattheory: Schatten-p generalization bounds for rank-sparse neural networks, exact and numeric.

Importing the package is light: SymPy-heavy modules load on first use of the name that needs them.

The package is built in layers, listed in :data:`LAYERS` from the bottom up, and its folders are those layers. A
module imports only modules of its own layer or of layers below it (arrows only point down), and the import graph
has no cycle; ``tests/test_architecture.py`` checks both from the source (``python -m pytest
tests/test_architecture.py``). The layers and their folders:

0. ``foundation/`` and ``numerics/``: errors, symbols, assumptions, provenance and citations, printing (notation,
   latex_names, the LaTeX text escaper tex_text), safe parsing, the structured left-hand sides (quantities),
   NetworkStats, checked input and safe output, the registry's manifest; exact and stable numerics (stable,
   matrix, backends, limits, domain) and the spectral functions (schatten, matrix_expr);
1. ``core/``: the statement core: Bound, the registry, limit checks, test strategies (testing), the derivation
   engine and its general steps (core/derivation);
2. ``lemmas/``: the covering lemmas, Maurey, Dudley, balancing, Schatten facts, the weight-decay identity, and the
   derivation steps that apply one lemma;
3. ``bounds/``: one paper per module, network forms, user network bounds, and the derivations of the main theorem
   (bounds/derivations);
4. ``analysis/``: asymptotics, the claims audit, cover comparisons, the falsifier;
5. ``networks/``: weight files, checkpoints, spectra, data statistics, the bundled network, and the evaluation of
   every bound on a network (``data/`` holds the bundled files and the registry's manifest);
6. ``outputs/``: LaTeX documents, the report, the command line and its commands, plug-ins, the manifest writer.

>>> import schattheory
>>> schattheory.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it (loaded lazily)
_LAZY = {
    "Bound": "core.bound",
    "Limit": "core.bound",
    "register": "core.registry",
    "get": "core.registry",
    "keys": "core.registry",
    "all_bounds": "core.registry",
    "Status": "foundation.provenance",
    "Citation": "foundation.provenance",
    "Provenance": "foundation.provenance",
    "cite": "foundation.provenance",
    "InputError": "foundation.errors",
    "SchattheoryError": "foundation.errors",
    "SchattenNorm": "numerics.schatten",
    "schatten_norm": "numerics.matrix",
    "schatten_sum": "numerics.matrix",
    "rank_proxy": "numerics.matrix",
    "stable_rank": "numerics.matrix",
    "effective_rank": "numerics.matrix",
    "log_schatten_norm": "numerics.matrix",
    "singular_values": "numerics.matrix",
    "timed_limit": "numerics.limits",
    "balanced_factorization": "lemmas.weight_decay",
    "min_weight_decay": "lemmas.weight_decay",
    "falsify": "analysis.falsifier",
    "Counterexample": "analysis.falsifier",
}

__all__ = sorted(_LAZY) + ["__version__"]

#: the layers, bottom up: (name, the folders (module prefixes relative to the package) that hold it)
LAYERS = (
    ("foundation", ("foundation", "numerics")),
    ("statement core", ("core",)),
    ("lemmas", ("lemmas",)),
    ("bounds", ("bounds",)),
    ("analysis", ("analysis",)),
    ("networks", ("networks", "data")),
    ("outputs", ("outputs", "__main__")),
)


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'schattheory' has no attribute {name!r}")


def __dir__():
    return __all__
