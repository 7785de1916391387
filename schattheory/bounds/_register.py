"""Shared registration of a NetworkForm as a fixed-depth Bound (used by the baseline modules)."""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam
from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register

DEPTH = 3


def register_form(
    fm,
    provenance,
    title,
    *,
    lhs=r"\Pr[\text{error}] - \hat R_\gamma",
    notes="",
    kind="bound",
    limits=(),
    assumptions=(),
    depth=DEPTH,
):
    """Register ``fm.expand(depth)`` under ``fm.key``; ``limits(expr)`` (a function of the expanded expression)
    declares its limits."""
    expr = fm.expand(depth)
    params = fam.ordered_params(expr)
    limits = tuple(limits(expr)) if callable(limits) else tuple(limits or ())
    return register(
        Bound(
            fm.key,
            expr=expr,
            params=params,
            provenance=provenance,
            lhs=lhs,
            kind=kind,
            mode=fm.mode,
            example=fam.example_values(params),
            limits=limits,
            assumptions=assumptions,
            title=f"{title} (L = {depth})",
            notes=notes,
        )
    )


def margin_limit(value=0, quantity="the bound (the complexity term vanishes like 1/gamma as the margin grows)"):
    """gamma -> oo, for margin bounds whose complexity term scales like 1/gamma."""
    return lambda expr: (Limit(fam.gamma, sp.oo, value, quantity),)


def sample_constant_limit(value, quantity="N x bound^2: the sample-complexity constant (the bound is C/sqrt(N))"):
    """N -> oo of N * bound^2, a closed form declared by the caller (exact for C/sqrt(N) bounds)."""
    return lambda expr: (Limit(fam.N, sp.oo, value, quantity, of=fam.N * expr**2),)
