"""Shared registration of a NetworkForm as a fixed-depth Bound (used by the baseline modules)."""
from __future__ import annotations

import sympy as sp

from .. import symbols as S
from ..bound import Bound, Limit
from ..registry import register
from . import family as fam

DEPTH = 3


def register_form(fm, provenance, title, *, lhs=r"\Pr[\text{error}] - \hat R_\gamma", notes="", kind="bound",
                  limits=None, assumptions=(), depth=DEPTH):
    """Register ``fm.expand(depth)`` under ``fm.key``; by default declares the limit N -> oo (the bound -> 0)."""
    expr = fm.expand(depth)
    params = fam.ordered_params(expr)
    if limits is None:
        limits = (Limit(S.N, sp.oo, 0, "the bound (vanishes as the sample grows, all else fixed)"),)
    return register(Bound(fm.key, expr=expr, params=params, provenance=provenance, lhs=lhs, kind=kind,
                          mode=fm.mode, example=fam.example_values(params), limits=limits,
                          assumptions=assumptions, title=f"{title} (L = {depth})", notes=notes))
