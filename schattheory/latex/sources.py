"""Where the documents' content comes from: the computing modules of the toolkit, loaded on demand.

The LaTeX package renders what other modules compute (the derived main theorem, the sample-complexity rows, the
claims audit). When one of them is not part of this installation, the function that needs it raises
:class:`MissingComponentError` naming the module, instead of rendering anything in its place.

>>> try:
...     require("schattheory.no_such_module", "thing", "the demo table")
... except MissingComponentError as exc:
...     print(exc)
the demo table needs schattheory.no_such_module.thing, which is not in this installation
"""
from __future__ import annotations

import importlib

from ..errors import SchattheoryError

__all__ = ["MissingComponentError", "require", "main_theorem", "sample_complexity_rows", "claim_results"]

#: what each document part needs: (module, attribute)
MAIN_THEOREM = ("schattheory.derivations.main_bound", "derive_main_bound")
SAMPLE_COMPLEXITY = ("schattheory.asymptotics", "sample_complexity_table")
CLAIMS = ("schattheory.claims", "audit")


class MissingComponentError(SchattheoryError):
    """A document part needs a module of the toolkit that is not installed."""


def require(module: str, attribute: str, what: str):
    """``module.attribute``, or :class:`MissingComponentError` saying ``what`` needs it."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if module == missing or module.startswith(missing + "."):
            raise MissingComponentError(
                f"{what} needs {module}.{attribute}, which is not in this installation") from None
        raise
    try:
        return getattr(mod, attribute)
    except AttributeError:
        raise MissingComponentError(f"{what} needs {module}.{attribute}; {module} has no {attribute}") from None


def main_theorem():
    """The main theorem as a derived Bound whose ``derivation`` records its steps."""
    return require(*MAIN_THEOREM, "the main theorem")()


def sample_complexity_rows():
    """The rows of the sample-complexity comparison, computed by the asymptotic engine."""
    return list(require(*SAMPLE_COMPLEXITY, "the sample-complexity table")())


def claim_results():
    """The audited claims with their verdicts."""
    return list(require(*CLAIMS, "the claims table")())
