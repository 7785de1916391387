"""What several checks share, computed once per audit: the sample-complexity table and the C14 sweep."""

from __future__ import annotations

import math

import sympy as sp

from schattheory.analysis.asymptotics import _slopes as asymptotic_slopes
from schattheory.analysis.asymptotics import sample_complexity_table
from schattheory.analysis.claims.result import plain
from schattheory.foundation import symbols as S

__all__ = ["Context", "slopes", "growth_text", "growth_by_name"]


class Context:
    def __init__(self, timeout: float):
        self.timeout = timeout
        self._table = None
        self._sweep = None

    @property
    def table(self) -> dict:
        if self._table is None:
            self._table = {row["label"]: row for row in sample_complexity_table()}
        return self._table

    @property
    def sweep(self) -> dict:
        if self._sweep is None:
            from schattheory.analysis.claims.sweep import c14_sweep

            self._sweep = c14_sweep()
        return self._sweep

    def row(self, label_start: str) -> dict:
        for label, row in self.table.items():
            if label.startswith(label_start):
                return row
        raise KeyError(label_start)


def growth_text(row) -> str:
    return ", ".join(f"{k}: {plain(v)}" for k, v in row["growth"].items())


def growth_by_name(g) -> dict:
    """A growth report keyed by symbol name ({'W': 2, 'L': 1, ...})."""
    return {str(k): v for k, v in g.items()}


_AT = {S.W: 64, S.r: 4, S.L: 4, S.eps: sp.Rational(1, 10), S.N: 10000, S.X: 1}


def slopes(expr, var, label=""):
    """Numeric slopes d log f / d log var of ``expr`` at var = 2^4, 2^8, 2^16 (others at _AT), computed."""
    at = {k_: v for k_, v in _AT.items() if k_ != var}
    return tuple(
        (label or sp.sstr(expr), f"{var}=2^{int(math.log2(x))}", "slope", round(sl, 4))
        for x, sl in asymptotic_slopes(expr, var, at, ks=(4, 8, 16))
    )
