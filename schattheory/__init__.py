"""schattheory: Schatten-p generalization bounds for rank-sparse neural networks, exact and numeric.

Importing the package is light: SymPy-heavy modules load on first use of the name that needs them.

The package is built in layers, listed in :data:`LAYERS` from the bottom up. A module imports only modules of its
own layer or of layers below it (arrows only point down), and the import graph has no cycle; the test
``tests/test_architecture.py`` checks both from the source. The layers:

0. foundation: errors, symbols, exact and stable numerics (stable, matrix, backends, limits, domain), the spectral
   functions (schatten, matrix_expr), printing (notation, latex_names), provenance and citations, NetworkStats,
   checked input and safe output (json_input, output), the registry's manifest, the LaTeX text escaper (latex.text);
1. statement core: Bound, the registry, limit checks, test strategies, the derivation engine and its general steps;
2. lemmas: the covering lemmas, Maurey, Dudley, balancing, Schatten facts, the weight-decay identity, the derivation
   steps that apply one lemma (and the ``schattheory.derivation`` package, which re-exports them);
3. bounds: one paper per module, network forms, user network bounds, the derivations of the main theorem;
4. analysis: asymptotics, the claims audit, cover comparisons, the falsifier;
5. networks: weight files, checkpoints, spectra, data statistics, the bundled network, and the evaluation of every
   bound on a network;
6. outputs: LaTeX documents, the report, the command line, its plug-ins and the manifest writer.

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

#: the layers, bottom up: (name, module prefixes relative to the package; the longest matching prefix decides)
LAYERS = (
    ("foundation", ("errors", "symbols", "stable", "matrix", "backends", "limits", "domain", "assumptions", "notation",
                    "safe_parse", "tex_text",
                    "latex_names", "citations", "provenance", "schatten", "matrix_expr", "quantities", "netstats",
                    "json_input", "output", "manifest", "latex.text")),
    ("statement core", ("bound", "registry", "limit_check", "testing", "derivation.engine", "derivation.steps",
                        "derivation.algebra", "derivation.ranges")),
    ("lemmas", ("lemmas", "weight_decay", "derivation")),
    ("bounds", ("bounds", "derivations")),
    ("analysis", ("asymptotics", "claims", "covers_compare", "falsifier")),
    ("networks", ("networks", "data")),
    ("outputs", ("latex", "report", "commands", "plugins", "manifest_write", "cli", "__main__")),
)


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'schattheory' has no attribute {name!r}")


def __dir__():
    return __all__
