"""One audited claim (:class:`ClaimResult`) and its plain-JSON form."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import mpmath
import numpy as np
import sympy as sp

from schattheory.analysis.claims.verdicts import VERDICTS

__all__ = ["ClaimResult", "plain"]


@dataclass(frozen=True)
class ClaimResult:
    """A claim's verdict with what decided it: ``reason`` and ``basis`` are :func:`~.verdicts.decide`'s output on
    the evidence tree (``basis``: every node with its own verdict); ``evidence`` and ``numeric`` are the computed
    values behind it."""

    id: str
    text: str
    verdict: str
    checked_against: tuple
    convention: str
    evidence: dict
    numeric: tuple = ()
    derivation: str = ""
    seconds: float = field(default=0.0, compare=False)
    reason: str = ""
    basis: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict={self.verdict!r}: must be one of {VERDICTS}")

    def to_dict(self) -> dict:
        return plain(asdict(self))


def plain(x):
    """x with every value made JSON-serialisable (SymPy objects printed, non-finite floats as strings)."""
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (bool, int, str)) or x is None:
        return x
    if isinstance(x, float):
        return x if math.isfinite(x) else str(x)
    if isinstance(x, (np.floating, np.integer, np.bool_)):
        return plain(x.item())
    if isinstance(x, mpmath.mpf):
        return float(x)
    return sp.sstr(x) if isinstance(x, sp.Basic) else str(x)
